package dev.ringio.engine;

import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

import dev.ringio.EngineConfig;
import dev.ringio.engine.IdleStrategy.Action;

import static dev.ringio.engine.IdleStrategy.Action.PARK;
import static dev.ringio.engine.IdleStrategy.Action.SPIN;
import static dev.ringio.engine.IdleStrategy.Action.YIELD;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The idle strategy's sequence, on a fake clock: spin N, yield M (within a time budget), park; work resets it. */
class IdleStrategyTest {

    private long now;

    private IdleStrategy strategy(int spins, int yields, long yieldNanos) {
        return new IdleStrategy(spins, yields, yieldNanos, () -> now);
    }

    private static List<Action> idleTurns(IdleStrategy s, int turns) {
        List<Action> out = new ArrayList<>();
        for (int i = 0; i < turns; i++) {
            out.add(s.idle(0));
        }
        return out;
    }

    @Test
    void spinsThenYieldsThenParksWhenTheClockStandsStill() {
        IdleStrategy s = strategy(3, 4, 1_000);
        assertEquals(List.of(SPIN, SPIN, SPIN, YIELD, YIELD, YIELD, YIELD, PARK, PARK), idleTurns(s, 9));
    }

    @Test
    void theYieldPhaseEndsWhenItsTimeIsSpentEvenWithYieldsLeft() {
        IdleStrategy s = strategy(2, 1_000, 100);
        assertEquals(List.of(SPIN, SPIN, YIELD), idleTurns(s, 3)); // the yield phase starts at now = 0
        now = 99;
        assertEquals(YIELD, s.idle(0));
        now = 100;
        assertEquals(PARK, s.idle(0));
        assertEquals(PARK, s.idle(0));
    }

    @Test
    void workStartsTheBackOffAgain() {
        IdleStrategy s = strategy(2, 2, 1_000);
        assertEquals(List.of(SPIN, SPIN, YIELD, YIELD, PARK), idleTurns(s, 5));
        assertEquals(SPIN, s.idle(7)); // a turn that did work
        assertEquals(List.of(SPIN, SPIN, YIELD), idleTurns(s, 3));
        now = 5_000; // the new yield phase measures from its own start
        s.reset();
        assertEquals(List.of(SPIN, SPIN, YIELD, YIELD, PARK), idleTurns(s, 5));
    }

    @Test
    void aNewYieldPhaseTimesFromItsOwnStart() {
        IdleStrategy s = strategy(1, 10, 100);
        now = 1_000;
        assertEquals(List.of(SPIN, YIELD), idleTurns(s, 2));
        now = 1_200;
        assertEquals(PARK, s.idle(0));
        s.idle(1);
        now = 1_250;
        assertEquals(List.of(SPIN, YIELD), idleTurns(s, 2)); // 50 ns after the old phase ended: a fresh budget
        now = 1_349;
        assertEquals(YIELD, s.idle(0));
    }

    @Test
    void zeroesParkAtOnce() {
        assertEquals(List.of(PARK, PARK), idleTurns(strategy(0, 0, 0), 2));
        assertEquals(List.of(SPIN, PARK), idleTurns(strategy(1, 5, 0), 2)); // no yield time: no yields
        assertEquals(List.of(SPIN, PARK), idleTurns(strategy(1, 0, 1_000), 2)); // no yields allowed
    }

    @Test
    void negativeSettingsAreRefused() {
        assertThrows(IllegalArgumentException.class, () -> strategy(-1, 0, 0));
        assertThrows(IllegalArgumentException.class, () -> strategy(0, -1, 0));
        assertThrows(IllegalArgumentException.class, () -> strategy(0, 0, -1));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> EngineConfig.builder().idleTurns(-1, 3).build());
        assertTrue(e.getMessage().contains("idleTurns"), e.getMessage());
    }

    @Test
    void theConfigDefaultsAreTheStrategyDefaults() {
        EngineConfig c = EngineConfig.defaults();
        assertEquals(IdleStrategy.DEFAULT_SPINS, c.idleSpins());
        assertEquals(IdleStrategy.DEFAULT_YIELDS, c.idleYields());
        assertEquals(IdleStrategy.DEFAULT_YIELD_NANOS, c.idleSpinNanos());
        EngineConfig custom = EngineConfig.builder().idleTurns(5, 6).idleSpin(java.time.Duration.ofNanos(7)).build();
        assertEquals(5, custom.idleSpins());
        assertEquals(6, custom.idleYields());
        assertEquals(7, custom.idleSpinNanos());
    }
}
