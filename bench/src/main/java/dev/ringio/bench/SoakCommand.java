package dev.ringio.bench;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.TreeMap;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReferenceArray;
import java.util.concurrent.atomic.LongAdder;
import java.util.stream.Stream;

import dev.ringio.EngineConfig;
import dev.ringio.Errno;
import dev.ringio.Fd;
import dev.ringio.IoEngine;
import dev.ringio.IoEngines;
import dev.ringio.NativeIoException;
import dev.ringio.buffers.Chunk;
import dev.ringio.net.Domain;
import dev.ringio.net.SocketType;
import dev.ringio.net.Sockets;

/**
 * {@code ringio soak}: a long run of mixed operations from several threads on shared socket
 * pairs, with random cancels and {@code close(fd)}s racing them, that counts what must never
 * happen. Not part of CI (10^6 operations take about ten seconds here); a bench test runs it small.
 *
 * <p>Each worker thread repeatedly picks one of a few shared slots (a connected unix socket pair)
 * and does one of: noop, a short sleep, send, recv, a chunk read through the engine's future API,
 * a chunk read through its allocation-free completion API, awaitReadable, or {@code close(fd)} of
 * the slot's receiving end (the slot then gets a fresh pair). A third of the futures are cancelled
 * right away; no other op is ever cancelled: an op still pending when its thread has too many in
 * flight, or at the end, is ended by {@code close(fd)} of its pair alone, so one that a close
 * missed shows as hung. Ops that lose a race with a close end with ECANCELED or EBADF, as
 * documented.
 *
 * <p>What it counts, all of which must be 0:
 * <ul>
 *   <li><b>hung</b>: futures and completions (close(fd)'s included) still pending a while after
 *       every thread has stopped submitting and every slot has been closed through the engine;</li>
 *   <li><b>lost</b>: of those, the ones still pending after the engine itself was closed (which
 *       promises to complete everything);</li>
 *   <li><b>duplicated</b>: a completion callback that ran more than once for one operation;</li>
 *   <li><b>leaked fds</b>: descriptors open after the engine closed that were not open before it
 *       opened ({@code /proc/self/fd}), after deferred closes had time to run;</li>
 *   <li><b>leaked chunks</b>: fixed-buffer pool chunks not back in the pool once every op ended.</li>
 * </ul>
 * Failures other than the expected ones (ECANCELED, EBADF, EPIPE, ECONNRESET, cancellation) are
 * counted as <b>unexpected</b> and the first few printed; they fail the run too.
 *
 * <p>Exit status: 0 when every count is 0, 1 otherwise, 2 for a usage error.
 */
final class SoakCommand {

    static final long DEFAULT_OPS = 1_000_000;
    static final int DEFAULT_THREADS = 4;
    private static final int SLOTS = 8;
    private static final int MAX_PENDING_PER_THREAD = 64;
    private static final Duration SETTLE = Duration.ofSeconds(30);

    static final String USAGE = "usage: ringio soak [--ops N] [--threads N] [--engine uring|epoll] [--seed S]\n"
            + "  N mixed operations (default 10^6) from N threads (default 4) with random cancels and\n"
            + "  close(fd)s; reports lost, duplicated and hung futures and leaked fds and chunks\n"
            + Main.exitStatuses("every count is 0 (clean)", "any count is not 0");

    private SoakCommand() {
    }

    /** What one run found. */
    record Result(String engine, long ops, int threads, double seconds, long succeeded, long failedAsExpected,
                  long cancelled, long closes, long hung, long lost, long duplicated, long leakedFds,
                  long leakedChunks, long unexpected, List<String> unexpectedSamples) {

        boolean clean() {
            return hung == 0 && lost == 0 && duplicated == 0 && leakedFds == 0 && leakedChunks == 0 && unexpected == 0;
        }

        void print(PrintStream out) {
            out.printf(Locale.ROOT, "ringio soak: %s, %,d ops from %d threads in %.1f s (%,.0f ops/s)%n",
                    engine, ops, threads, seconds, ops / Math.max(seconds, 1e-9));
            out.printf(Locale.ROOT, "  outcomes:   %,d succeeded, %,d failed as documented (ECANCELED/EBADF/EPIPE/"
                    + "ECONNRESET after a close), %,d cancelled; %,d close(fd)%n", succeeded, failedAsExpected,
                    cancelled, closes);
            out.printf(Locale.ROOT, "  lost: %d  duplicated: %d  hung: %d  leaked fds: %d  leaked chunks: %d"
                    + "  unexpected failures: %d%n", lost, duplicated, hung, leakedFds, leakedChunks, unexpected);
            unexpectedSamples.forEach(s -> out.println("    " + s));
            out.println(clean() ? "  result: clean" : "  result: FAILED");
        }
    }

    static int run(String[] args, PrintStream out, PrintStream err) throws Exception {
        long ops = DEFAULT_OPS;
        int threads = DEFAULT_THREADS;
        String engine = null;
        long seed = System.nanoTime();
        try {
            for (int i = 0; i < args.length; i++) {
                switch (args[i]) {
                    case "--ops" -> ops = Long.parseLong(value(args, ++i, "--ops"));
                    case "--threads" -> threads = Integer.parseInt(value(args, ++i, "--threads"));
                    case "--seed" -> seed = Long.parseLong(value(args, ++i, "--seed"));
                    case "--engine" -> engine = switch (value(args, ++i, "--engine")) {
                        case "uring", "io_uring" -> "io_uring";
                        case "epoll" -> "epoll";
                        default -> throw new IllegalArgumentException("--engine: uring or epoll, not '" + args[i] + "'");
                    };
                    case "-h", "--help" -> {
                        out.println(USAGE);
                        return Main.EXIT_OK;
                    }
                    default -> throw new IllegalArgumentException("unknown option '" + args[i] + "'");
                }
            }
            if (ops < 1 || threads < 1 || threads > 256) {
                throw new IllegalArgumentException("--ops must be >= 1 and --threads between 1 and 256");
            }
        } catch (IllegalArgumentException e) {
            err.println("ringio soak: " + e.getMessage());
            err.println(USAGE);
            return Main.EXIT_USAGE;
        }
        out.println("ringio soak: seed " + seed);
        Result r = soak(engine, ops, threads, seed);
        r.print(out);
        return r.clean() ? Main.EXIT_OK : Main.EXIT_FAILURE;
    }

    private static String value(String[] args, int i, String option) {
        if (i >= args.length) {
            throw new IllegalArgumentException(option + " needs a value");
        }
        return args[i];
    }

    /** Runs {@code ops} operations from {@code threads} threads on {@code engineName} (null: the default selection). */
    static Result soak(String engineName, long ops, int threads, long seed) throws Exception {
        EngineConfig config = EngineConfig.builder().fixedBuffers(Math.max(16, threads * 4), 4096).build();
        warmUp(engineName, config);
        Map<Integer, String> fdsBefore = openFds();
        IoEngine engine = open(engineName, config);
        Tally tally = new Tally();
        String name = engine.name();
        long start = System.nanoTime();
        List<Chunk> chunks = new ArrayList<>();
        long hung;
        long lost;
        long leakedChunks;
        int poolSize = engine.bufferPool().chunkCount();
        try {
            AtomicReferenceArray<Fd[]> slots = new AtomicReferenceArray<>(SLOTS);
            for (int i = 0; i < SLOTS; i++) {
                slots.set(i, pair());
            }
            AtomicLong budget = new AtomicLong(ops);
            List<Thread> workers = new ArrayList<>();
            List<Throwable> crashes = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                Chunk[] mine = {engine.bufferPool().alloc(), engine.bufferPool().alloc()};
                chunks.add(mine[0]);
                chunks.add(mine[1]);
                Worker w = new Worker(engine, slots, budget, tally, mine, new SplittableRandom(seed + t));
                workers.add(Thread.ofPlatform().name("soak-" + t).start(() -> {
                    try {
                        w.run();
                    } catch (Throwable x) {
                        synchronized (crashes) {
                            crashes.add(x);
                        }
                    }
                }));
            }
            for (Thread t : workers) {
                t.join();
            }
            if (!crashes.isEmpty()) {
                throw new IllegalStateException("a soak thread failed", crashes.get(0));
            }
            // Close every slot through the engine: what still waits on them must now end.
            for (int i = 0; i < SLOTS; i++) {
                Fd[] p = slots.get(i);
                tally.watch(engine.close(p[0]), "close(fd)");
                tally.watch(engine.close(p[1]), "close(fd)");
            }
            hung = tally.awaitAll(SETTLE);
            for (Chunk c : chunks) {
                if (c.retainCount() == 0) {
                    engine.bufferPool().free(c);
                }
            }
            leakedChunks = poolSize - engine.bufferPool().freeCount();
        } finally {
            engine.close();
        }
        lost = tally.pending();
        List<String> samples = new ArrayList<>(tally.samples());
        tally.pendingSamples().forEach(p -> samples.add("still pending after the engine closed: " + p));
        long seconds = System.nanoTime() - start;
        long leakedFds = leakedFds(fdsBefore);
        return new Result(name, ops, threads, seconds / 1e9, tally.succeeded.sum(),
                tally.expectedFailures.sum(), tally.cancelled.sum(), tally.closes.sum(), hung, lost,
                tally.duplicated.sum(), leakedFds, leakedChunks, tally.unexpected.sum(), samples);
    }

    private static IoEngine open(String engineName, EngineConfig config) throws NativeIoException {
        return engineName == null ? IoEngines.open(config) : IoEngines.open(engineName, config);
    }

    /**
     * One small round before the descriptor snapshot, so that what the JVM opens once and keeps
     * (class-path jars, searched on first use of a class) is open before, not counted as a leak.
     */
    private static void warmUp(String engineName, EngineConfig config) throws Exception {
        try (IoEngine e = open(engineName, config)) {
            Fd[] p = pair();
            e.noop().join();
            e.send(p[0], ByteBuffer.allocateDirect(1), Set.of()).join();
            e.recv(p[1], ByteBuffer.allocateDirect(1), Set.of()).join();
            CompletableFuture<Integer> r = e.awaitReadable(p[1]);
            r.cancel(true);
            r.handle((v, t) -> null).join();
            e.close(p[0]).join();
            e.close(p[1]).join();
        }
    }

    private static Fd[] pair() throws NativeIoException {
        return Sockets.socketpair(Domain.UNIX, Set.of(SocketType.STREAM));
    }

    /** Counts outcomes and keeps every operation that has not ended yet. Any thread. */
    static final class Tally {
        final LongAdder submitted = new LongAdder();
        final LongAdder succeeded = new LongAdder();
        final LongAdder expectedFailures = new LongAdder();
        final LongAdder cancelled = new LongAdder();
        final LongAdder closes = new LongAdder();
        final LongAdder duplicated = new LongAdder();
        final LongAdder unexpected = new LongAdder();
        /** Every operation not ended yet: key → what it is, for the report. */
        private final Map<Object, String> open = new ConcurrentHashMap<>();
        private final List<String> samples = new ArrayList<>();

        /** Tracks {@code f}: counted once when it completes, whichever way. */
        void watch(CompletableFuture<?> f, String op) {
            submitted.increment();
            AtomicInteger seen = new AtomicInteger();
            Object key = new Object();
            open.put(key, op + " " + f);
            f.whenComplete((v, t) -> {
                if (seen.incrementAndGet() > 1) {
                    duplicated.increment();
                    return;
                }
                outcome(op, t);
                open.remove(key);
            });
        }

        /** A completion for the raw API: counts duplicates itself (a callback can be called twice). */
        dev.ringio.RawCompletion rawCompletion(String op) {
            submitted.increment();
            AtomicInteger seen = new AtomicInteger();
            Object key = new Object();
            open.put(key, op + " (completion API)");
            return res -> {
                if (seen.incrementAndGet() > 1) {
                    duplicated.increment();
                    return;
                }
                outcome(op, res < 0 ? new NativeIoException(op, -res) : null);
                open.remove(key);
            };
        }

        private void outcome(String op, Throwable t) {
            Throwable cause = t instanceof CompletionException && t.getCause() != null ? t.getCause() : t;
            if (cause == null) {
                succeeded.increment();
            } else if (cause instanceof CancellationException) {
                cancelled.increment();
            } else if (cause instanceof NativeIoException n && (n.is(Errno.ECANCELED) || n.is(Errno.EBADF)
                    || n.is(Errno.EPIPE) || n.is(Errno.ECONNRESET))) {
                expectedFailures.increment();
            } else {
                unexpected.increment();
                synchronized (samples) {
                    if (samples.size() < 5) {
                        samples.add(op + ": " + cause);
                    }
                }
            }
        }

        /** Waits up to {@code max} for every tracked operation; how many are still pending then. */
        long awaitAll(Duration max) throws InterruptedException {
            long deadline = System.nanoTime() + max.toNanos();
            while (!open.isEmpty() && System.nanoTime() < deadline) {
                Thread.sleep(10);
            }
            return open.size();
        }

        long pending() {
            return open.size();
        }

        /** A few of the operations still pending. */
        List<String> pendingSamples() {
            return open.values().stream().limit(5).toList();
        }

        List<String> samples() {
            synchronized (samples) {
                return List.copyOf(samples);
            }
        }
    }

    /** One soak thread: picks a slot and an op, over and over, until the shared budget is spent. */
    private static final class Worker {
        private final IoEngine engine;
        private final AtomicReferenceArray<Fd[]> slots;
        private final AtomicLong budget;
        private final Tally tally;
        private final Chunk[] chunks;
        private final SplittableRandom random;
        /** This thread's ops not known to have ended, oldest first, with the slot and pair they use. */
        private final ArrayDeque<Pending> pending = new ArrayDeque<>();
        private final ByteBuffer recvBuf = ByteBuffer.allocateDirect(256);
        private final ByteBuffer sendBuf = ByteBuffer.allocateDirect(64);

        Worker(IoEngine engine, AtomicReferenceArray<Fd[]> slots, AtomicLong budget, Tally tally, Chunk[] chunks,
               SplittableRandom random) {
            this.engine = engine;
            this.slots = slots;
            this.budget = budget;
            this.tally = tally;
            this.chunks = chunks;
            this.random = random;
        }

        void run() throws Exception {
            while (budget.getAndDecrement() > 0) {
                int s = random.nextInt(SLOTS);
                Fd[] p = slots.get(s);
                Chunk c = chunks[random.nextInt(chunks.length)];
                int kind = random.nextInt(100);
                CompletableFuture<?> f;
                if (kind < 10) {
                    f = engine.noop();
                    tally.watch(f, "noop");
                } else if (kind < 18) {
                    f = engine.sleep(Duration.ofNanos(random.nextInt(200_000)));
                    tally.watch(f, "sleep");
                } else if (kind < 38) {
                    f = engine.send(p[0], sendBuf.duplicate().clear().limit(1 + random.nextInt(64)), Set.of());
                    tally.watch(f, "send");
                } else if (kind < 56) {
                    // Buffers are shared between concurrent ops: the soak checks lifetimes, not bytes.
                    f = engine.recv(p[1], recvBuf.duplicate().clear(), Set.of());
                    tally.watch(f, "recv");
                } else if (kind < 68) {
                    f = engine.readUpTo(p[1], c, 128, -1);
                    tally.watch(f, "read");
                } else if (kind < 80) {
                    dev.ringio.RawCompletion done = tally.rawCompletion("submitRead");
                    try {
                        engine.submitRead(p[1], c, 128, -1, done);
                    } catch (NativeIoException closed) {
                        done.onComplete(-closed.errno()); // refused at once (EBADF): the same outcome, delivered here
                    }
                    f = null;
                } else if (kind < 92) {
                    f = engine.awaitReadable(p[1]);
                    tally.watch(f, "awaitReadable");
                } else if (kind < 96) {
                    f = null;
                    closeSlot(s, p);
                } else {
                    // An op whose descriptor another thread may be closing right now.
                    f = engine.recv(p[1], recvBuf.duplicate().clear(), Set.of());
                    tally.watch(f, "recv");
                    if (random.nextBoolean()) {
                        closeSlot(s, p);
                    }
                }
                if (f != null) {
                    if (random.nextInt(3) == 0) {
                        f.cancel(true);
                    }
                    pending.addLast(new Pending(f, s, p));
                    while (pending.size() > MAX_PENDING_PER_THREAD) {
                        settleOldest();
                    }
                }
            }
            // What is left is not cancelled: the final close(fd) of every slot must end it.
        }

        /**
         * Bounds what one thread has in flight: if its oldest op is still pending (a recv nobody
         * sends to, say), closes that op's pair through the engine — the close must end it, so it
         * is not cancelled, which would hide an op the close missed — and waits for it.
         */
        private void settleOldest() throws Exception {
            Pending oldest = pending.pollFirst();
            if (oldest.future().isDone()) {
                return;
            }
            closeSlot(oldest.slot(), oldest.pair());
            try {
                oldest.future().handle((v, t) -> null).get(SETTLE.toMillis(), TimeUnit.MILLISECONDS);
            } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
                // still pending: the final count reports it as hung
            }
        }

        /** A submitted op, the slot it picked and the pair that slot held then. */
        private record Pending(CompletableFuture<?> future, int slot, Fd[] pair) {
        }

        /**
         * close(fd) of a slot's pair through the engine, racing whatever other threads do on it; a
         * fresh pair replaces it. Nothing if the slot holds another pair already (its close(fd)
         * has been issued).
         */
        private void closeSlot(int s, Fd[] p) throws NativeIoException {
            Fd[] fresh = pair();
            if (slots.compareAndSet(s, p, fresh)) {
                tally.closes.increment();
                CompletableFuture<Void> receiver = engine.close(p[1]);
                tally.watch(receiver, "close(fd)");
                // The sending end is closed only once the receiving end is: closed earlier, it
                // would end a recv that the close missed with end-of-stream, hiding the miss.
                tally.watch(receiver.handle((v, t) -> null).thenCompose(x -> engine.close(p[0])), "close(fd)");
            } else {
                fresh[0].close();
                fresh[1].close();
            }
        }
    }

    // ---- descriptors ----------------------------------------------------------------------------

    private static Map<Integer, String> openFds() {
        Map<Integer, String> m = new TreeMap<>();
        try (Stream<Path> s = Files.list(Path.of("/proc/self/fd"))) {
            for (Path p : (Iterable<Path>) s::iterator) {
                try {
                    m.put(Integer.parseInt(p.getFileName().toString()), Files.readSymbolicLink(p).toString());
                } catch (IOException gone) {
                    // closed meanwhile, or the listing's own descriptor
                }
            }
        } catch (IOException e) {
            throw new IllegalStateException("cannot list /proc/self/fd", e);
        }
        return m;
    }

    /** Descriptors open now that were not before (deferred closes get a few seconds to run). */
    private static long leakedFds(Map<Integer, String> before) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        long leaked;
        do {
            Map<Integer, String> now = openFds();
            leaked = now.entrySet().stream()
                    .filter(e -> !e.getValue().equals(before.get(e.getKey())))
                    .filter(e -> !e.getValue().startsWith("/proc/")) // the listing's own descriptor
                    .count();
            if (leaked == 0) {
                return 0;
            }
            Thread.sleep(20);
        } while (System.nanoTime() < deadline);
        return leaked;
    }
}
