package dev.ringio.bench.jmh;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

import dev.ringio.EngineConfig;
import dev.ringio.IoEngine;
import dev.ringio.IoEngines;
import dev.ringio.NativeIoException;

/**
 * Future-API NOP throughput: one {@code noop()} round trip at a time, and rounds of 32 in flight.
 * Each benchmark thread has its own engine (opened per trial, so per fork).
 *
 * <pre>
 * ./ringio bench --jmh NoopBenchmark -f 1 -wi 3 -i 5
 * </pre>
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
// Native access for ringio; Unsafe access for JMH's own harness (ringio itself never uses Unsafe).
@Fork(value = 1, jvmArgsAppend = {"--enable-native-access=ALL-UNNAMED", "--sun-misc-unsafe-memory-access=allow"})
public class NoopBenchmark {

    private static final int BATCH = 32;

    private IoEngine engine;
    private final CompletableFuture<?>[] futures = new CompletableFuture<?>[BATCH];

    @Setup(Level.Trial)
    public void open() throws NativeIoException {
        engine = IoEngines.open(EngineConfig.builder().queueDepth(256).build());
    }

    @TearDown(Level.Trial)
    public void close() {
        if (engine != null) {
            engine.close();
        }
    }

    /** One noop() submitted from this thread and waited for. */
    @Benchmark
    public void noopRoundTrip() {
        engine.noop().join();
    }

    /** 32 noop() futures submitted, then all waited for; reported per noop. */
    @Benchmark
    @OperationsPerInvocation(BATCH)
    public void noopBatch32() {
        CompletableFuture<?>[] fs = futures;
        for (int i = 0; i < BATCH; i++) {
            fs[i] = engine.noop();
        }
        for (int i = 0; i < BATCH; i++) {
            fs[i].join();
            fs[i] = null;
        }
    }
}
