package dev.ringio.bench;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@link Stats}: medians, spreads and the text of the bench tables. */
class StatsTest {

    @Test
    void medianOfOddEvenAndEmpty() {
        double[] odd = {5, 1, 3};
        assertEquals(3.0, Stats.median(odd));
        assertArrayEquals(new double[] {5, 1, 3}, odd, "the input is not sorted in place");
        assertEquals(2.5, Stats.median(new double[] {4, 1, 3, 2}));
        assertEquals(7.0, Stats.median(new double[] {7}));
        assertTrue(Double.isNaN(Stats.median(new double[0])));
    }

    @Test
    void minAndMax() {
        assertEquals(1.0, Stats.min(new double[] {3, 1, 2}));
        assertEquals(3.0, Stats.max(new double[] {3, 1, 2}));
        assertTrue(Double.isNaN(Stats.min(new double[0])));
        assertTrue(Double.isNaN(Stats.max(new double[0])));
    }

    @Test
    void amountScalesToMegaKiloOrUnits() {
        assertEquals("3.41 M", Stats.amount(3_410_000));
        assertEquals("1.00 M", Stats.amount(1_000_000));
        assertEquals("512.3 k", Stats.amount(512_300));
        assertEquals("1.0 k", Stats.amount(1_000));
        assertEquals("87", Stats.amount(87));
        assertEquals("999", Stats.amount(999.4));
        assertEquals("3.41 M/s", Stats.perSec(3_410_000));
    }

    @Test
    void rangeUsesTheUnitOfTheLargerEnd() {
        assertEquals("3.38–3.47 M", Stats.range(3_380_000, 3_470_000));
        assertEquals("0.90–1.20 M", Stats.range(900_000, 1_200_000));
        assertEquals("0.9–1.5 k", Stats.range(900, 1_500));
        assertEquals("80–95", Stats.range(80, 95));
    }

    @Test
    void ratioTextIsMedianAndSpread() {
        assertEquals("1.23 (1.10–1.31)", Stats.ratio(new double[] {1.31, 1.1, 1.23}));
        assertEquals("2.00 (2.00–2.00)", Stats.ratio(new double[] {2}));
        assertEquals("-", Stats.ratio(new double[0]));
    }

    @Test
    void microsText() {
        assertEquals("12.3", Stats.micros(12.34));
        assertEquals("99.9", Stats.micros(99.94));
        assertEquals("100", Stats.micros(100));
        assertEquals("1040", Stats.micros(1040));
        assertEquals("12.3ms", Stats.micros(12_345));
        assertEquals("-", Stats.micros(Double.NaN));
    }

    @Test
    void secondsText() {
        assertEquals("1", Stats.seconds(1.0));
        assertEquals("0.4", Stats.seconds(0.4));
    }
}
