package dev.ringio.bench;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@link CProgram}: finding the programs, parsing their {@code key=value} lines, running them. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class CProgramTest {

    private static final CProgram SH = CProgram.onPath("sh");

    @Test
    void parsesKeyValuePairs() throws Exception {
        assertEquals(Map.of("a", "1", "b", "2.5"), SH.parse("a=1 b=2.5"));
        assertEquals(List.of("b", "a"), List.copyOf(SH.parse("  b=2\ta=1  ").keySet()), "in line order");
        // Tokens without a key are skipped; an empty value is kept; the first '=' splits.
        assertEquals(Map.of("a", "", "c", "x=y"), SH.parse("=1 word a= c=x=y"));
    }

    @Test
    void aLineWithoutPairsIsAFailure() {
        CProgram.CFailure e = assertThrows(CProgram.CFailure.class, () -> SH.parse("segmentation fault"));
        assertEquals("unexpected output from sh: segmentation fault", e.getMessage());
        assertThrows(CProgram.CFailure.class, () -> SH.parse(""));
    }

    @Test
    void numberReadsAKeyOrNamesTheMissingOne() throws Exception {
        Map<String, String> m = SH.parse("req_per_sec=12.5 p50_us=x");
        assertEquals(12.5, SH.number(m, "req_per_sec"));
        CProgram.CFailure missing = assertThrows(CProgram.CFailure.class, () -> SH.number(m, "p99_us"));
        assertEquals("sh printed no p99_us (got {req_per_sec=12.5, p50_us=x})", missing.getMessage());
        CProgram.CFailure bad = assertThrows(CProgram.CFailure.class, () -> SH.number(m, "p50_us"));
        assertEquals("sh printed p50_us=x", bad.getMessage());
    }

    @Test
    void aMissingProgramIsNotBuilt() {
        CProgram p = CProgram.locate("no-such-c-program");
        assertFalse(p.available());
        assertEquals("no-such-c-program", p.name());
        // Run from target/classes, the code directory is bench/target.
        assertTrue(p.missingReason().startsWith("no-such-c-program: not built (no "), p.missingReason());
        assertTrue(p.missingReason().contains(Path.of("target", "c", "no-such-c-program").toString()),
                p.missingReason());
        CProgram.CFailure e = assertThrows(CProgram.CFailure.class, () -> p.run(List.of(), 5));
        assertEquals(p.missingReason(), e.getMessage());
    }

    @Test
    void theBenchProgramsAreBuiltNextToTheClasses() {
        for (String name : List.of("netload", "nop_bench", "read_bench")) {
            CProgram p = CProgram.locate(name);
            assertTrue(p.available(), p.missingReason());
            assertNull(p.missingReason());
        }
    }

    @Test
    void thePropertyOverridesTheDirectory(@TempDir Path dir) throws Exception {
        Path exe = dir.resolve("fake");
        Files.writeString(exe, "#!/bin/sh\necho hello=$1\n");
        assertTrue(exe.toFile().setExecutable(true));
        String old = System.getProperty(CProgram.PROPERTY);
        System.setProperty(CProgram.PROPERTY, dir.toString());
        try {
            CProgram fake = CProgram.locate("fake");
            assertTrue(fake.available(), fake.missingReason());
            assertEquals(Map.of("hello", "world"), fake.run(List.of("world"), 10));
            CProgram none = CProgram.locate("netload");
            assertEquals("netload: not built (no " + dir.resolve("netload") + "; `mvn package` in bench/ builds it)",
                    none.missingReason());
        } finally {
            if (old == null) {
                System.clearProperty(CProgram.PROPERTY);
            } else {
                System.setProperty(CProgram.PROPERTY, old);
            }
        }
    }

    @Test
    void onPathFindsShAndNotANonexistentProgram() {
        assertTrue(SH.available(), SH.missingReason());
        CProgram none = CProgram.onPath("no-such-program-xyz");
        assertFalse(none.available());
        assertEquals("no-such-program-xyz: not installed", none.missingReason());
    }

    @Test
    void runReturnsTheLastLinesPairs() throws Exception {
        assertEquals(Map.of("y", "2"), SH.run(List.of("-c", "echo x=1; echo y=2"), 10));
        assertEquals("x=1\ny=2", SH.runForOutput(List.of("-c", "echo x=1; echo y=2; echo"), 10));
    }

    @Test
    void aNonZeroExitIsAFailureWithTheStatus() {
        CProgram.CFailure e = assertThrows(CProgram.CFailure.class,
                () -> SH.run(List.of("-c", "echo a=1; exit 3"), 10));
        assertEquals("sh exited with status 3", e.getMessage());
    }

    @Test
    void aProgramThatPrintsNoPairsIsAFailure() {
        CProgram.CFailure e = assertThrows(CProgram.CFailure.class, () -> SH.run(List.of("-c", "echo done"), 10));
        assertEquals("unexpected output from sh: done", e.getMessage());
    }

    @Test
    void theTimeoutHoldsWhileTheProgramKeepsItsOutputOpen() {
        long t0 = System.nanoTime();
        CProgram.CFailure e = assertThrows(CProgram.CFailure.class,
                () -> SH.run(List.of("-c", "echo a=1; exec sleep 20"), 1));
        long ms = (System.nanoTime() - t0) / 1_000_000;
        assertEquals("sh did not finish within 1 s", e.getMessage());
        assertTrue(ms < 10_000, "gave up after " + ms + " ms");
    }

    @Test
    void aSessionsResultTimeoutHoldsToo() throws Exception {
        long t0 = System.nanoTime();
        try (CProgram.Session s = SH.session(List.of("-c", "echo a=1; exec sleep 20"))) {
            CProgram.CFailure e = assertThrows(CProgram.CFailure.class, () -> s.result(1));
            assertEquals("sh did not finish within 1 s", e.getMessage());
        }
        long ms = (System.nanoTime() - t0) / 1_000_000;
        assertTrue(ms < 10_000, "gave up after " + ms + " ms");
    }

    @Test
    void aSessionReadsLinesTakesInputAndReturnsTheLastLine() throws Exception {
        try (CProgram.Session s = SH.session(List.of("-c", "echo port=7; read go p; echo got=$p; echo n=$p"))) {
            assertEquals(Map.of("port", "7"), s.readLine());
            s.writeLine("go 8080");
            assertEquals(Map.of("n", "8080"), s.result(10));
        }
        try (CProgram.Session s = SH.session(List.of("-c", "exit 4"))) {
            CProgram.CFailure e = assertThrows(CProgram.CFailure.class, s::readLine);
            assertEquals("sh exited with status 4", e.getMessage());
        }
        try (CProgram.Session s = SH.session(List.of("-c", "exit 0"))) {
            CProgram.CFailure e = assertThrows(CProgram.CFailure.class, () -> s.result(10));
            assertEquals("sh printed no result", e.getMessage());
        }
    }

    @Test
    void readBenchReadsAndWritesWithODirectAndReportsItsCpu() throws Exception {
        Path file = Files.createTempFile(Path.of("/var/tmp"), "ringio-cprogram-", ".dat");
        try {
            TestFiles.fill(file, 4L << 20, new java.util.SplittableRandom(1));
            CProgram rb = CProgram.locate("read_bench");
            for (List<String> mode : List.of(List.of("fixed", "direct"), List.of("direct", "write"), List.of("fixed"))) {
                List<String> args = new java.util.ArrayList<>(List.of(file.toString(), "4", "0.2"));
                args.addAll(mode);
                Map<String, String> m = rb.run(args, 30);
                assertTrue(rb.number(m, "ops_per_sec") > 0, mode + ": " + m);
                double cpu = rb.number(m, "cpu_sec");
                assertTrue(cpu > 0 && cpu < 10, mode + ": " + m);
            }
            CProgram.CFailure e = assertThrows(CProgram.CFailure.class,
                    () -> rb.run(List.of(file.toString(), "4", "0.2", "sideways"), 30));
            assertTrue(e.getMessage().contains("exited with status 2"), e.getMessage()); // the usage status
        } finally {
            Files.deleteIfExists(file);
        }
    }
}
