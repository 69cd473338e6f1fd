package dev.ringio.os;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;

import dev.ringio.Errno;
import dev.ringio.Fd;
import dev.ringio.IoEngine;
import dev.ringio.NativeIoException;
import dev.ringio.sys.Shim;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

/**
 * A child process with a pidfd (eio's {@code Process}): started by {@link Builder#spawn} with an
 * argument vector, an environment, a working directory and exactly the descriptors it is given,
 * its exit reported as a future the engine completes, signalled through its pidfd, and killed when
 * closed.
 *
 * <pre>{@code
 * try (ChildProcess p = ChildProcess.builder("ls", "-l").directory(dir).pipeStdout().spawn(engine)) {
 *     engine.read(p.stdout(), buffer, -1) ...;          // the child's output, as an engine Fd
 *     ExitStatus status = p.onExit().join();           // completed by the engine
 * }
 * }</pre>
 *
 * <p><b>How it starts.</b> The shim clones the calling thread with {@code CLONE_VM | CLONE_VFORK |
 * CLONE_PIDFD} onto a private stack (what glibc's {@code posix_spawn} and {@code pidfd_spawn} do;
 * never a {@code fork} of the JVM), so the pidfd is born with the child and can never name a
 * recycled pid. In the child, before {@code execve}: every signal the JVM handles goes back to its
 * default action and none is blocked; the descriptors given ({@link Builder#fd}, stdin, stdout,
 * stderr; {@code /dev/null} for a standard one not given) are put at their numbers and every
 * other descriptor is closed ({@code close_range}); then the working directory is changed. A
 * failure of any step reaches {@link Builder#spawn} as its errno, with the path.
 *
 * <p><b>Exit.</b> The engine waits for the pidfd to become readable ({@code awaitReadable}: a
 * POLL_ADD on io_uring, epoll on the readiness engine), then reaps the child with
 * {@code waitid(P_PIDFD, WNOHANG)}; no zombie is left and no thread waits per child. Needs Linux
 * 5.4 (pidfd polling and {@code P_PIDFD}).
 *
 * <p>Threading: every method is safe from any thread; {@link #waitFor()} and {@link #close()} block.
 */
public final class ChildProcess implements AutoCloseable {

    private static final int WNOHANG = 1;
    private static final int WEXITED = 4;
    private static final int WNOWAIT = 0x01000000;

    private final long pid;
    private final Fd pidfd;
    private final IoEngine engine;
    private final Fd stdin;
    private final Fd stdout;
    private final Fd stderr;
    private final CompletableFuture<ExitStatus> exit = new CompletableFuture<>();
    private final Object reapLock = new Object();
    private volatile ExitStatus status;

    private ChildProcess(long pid, Fd pidfd, IoEngine engine, Fd stdin, Fd stdout, Fd stderr) {
        this.pid = pid;
        this.pidfd = pidfd;
        this.engine = engine;
        this.stdin = stdin;
        this.stdout = stdout;
        this.stderr = stderr;
    }

    /**
     * A builder for running {@code argv} ({@code argv[0]} is the program, looked up in PATH unless
     * it has a '/').
     *
     * @param argv the program and its arguments
     * @return a new builder
     */
    public static Builder builder(String... argv) {
        return new Builder(List.of(argv));
    }

    /**
     * A builder for running {@code argv}.
     *
     * @param argv the program and its arguments
     * @return a new builder
     */
    public static Builder builder(List<String> argv) {
        return new Builder(List.copyOf(argv));
    }

    /**
     * The child's process id.
     *
     * @return the process id
     */
    public long pid() {
        return pid;
    }

    /**
     * The pidfd (kind {@link Fd.Kind#PIDFD}); closed by {@link #close()}.
     *
     * @return the pidfd
     */
    public Fd pidfd() {
        return pidfd;
    }

    /**
     * The write end of the child's stdin pipe ({@link Builder#pipeStdin()}), or null. Closed by
     * {@link #close()}.
     *
     * @return the pipe's write end, or {@code null}
     */
    public Fd stdin() {
        return stdin;
    }

    /**
     * The read end of the child's stdout pipe ({@link Builder#pipeStdout()}), or null. Closed by
     * {@link #close()}.
     *
     * @return the pipe's read end, or {@code null}
     */
    public Fd stdout() {
        return stdout;
    }

    /**
     * The read end of the child's stderr pipe ({@link Builder#pipeStderr()}), or null. Closed by
     * {@link #close()}.
     *
     * @return the pipe's read end, or {@code null}
     */
    public Fd stderr() {
        return stderr;
    }

    /**
     * Completes, on the engine's loop thread, with the exit status once the child has ended and
     * has been reaped (eio's {@code await_exit}); exceptionally if the engine closes first (then
     * {@link #waitFor()} still works). A copy: cancelling it does not affect the child.
     *
     * @return a future of the exit status
     */
    public CompletableFuture<ExitStatus> onExit() {
        return exit.copy();
    }

    /**
     * The exit status once known, or null while the child runs (or is not reaped yet).
     *
     * @return the exit status, or {@code null}
     */
    public ExitStatus exitStatus() {
        return status;
    }

    /**
     * Waits, blocking the calling thread, until the child has ended, and reaps it.
     *
     * @return the exit status
     * @throws NativeIoException if waitid fails
     */
    public ExitStatus waitFor() throws NativeIoException {
        while (true) {
            ExitStatus s = status;
            if (s != null) {
                return s;
            }
            int raw = pidfd.acquireHeld("waitid");
            int r;
            try (Arena arena = Arena.ofConfined()) {
                MemorySegment out = arena.allocate(JAVA_INT, 3);
                do {
                    // WNOWAIT: only wait; the reaping is tryReap's, under its lock, so it happens once.
                    r = Shim.get().waitidPidfd(raw, WEXITED | WNOWAIT, out.address());
                } while (r == -Errno.EINTR.value());
            } finally {
                pidfd.release();
            }
            if (r < 0) {
                // ECHILD: the engine's watcher reaped it meanwhile; its lock orders that before this.
                synchronized (reapLock) {
                    if (status != null) {
                        return status;
                    }
                }
                throw new NativeIoException("waitid pid " + pid, -r);
            }
            tryReap();
        }
    }

    /**
     * Sends {@code signal} to the child through its pidfd ({@code pidfd_send_signal(2)}; eio's
     * {@code signal}). A pidfd never names another process, even after this one is gone.
     *
     * @param signal the signal number
     * @throws NativeIoException ESRCH once the child has been reaped (or EBADF after close)
     */
    public void signal(int signal) throws NativeIoException {
        Signals.check(signal, true);
        int raw = pidfd.acquire("pidfd_send_signal");
        try {
            int r = Shim.get().pidfdSendSignal(raw, signal);
            if (r < 0) {
                throw new NativeIoException("pidfd_send_signal(pid " + pid + ", " + Signals.name(signal) + ")", -r);
            }
        } finally {
            pidfd.release();
        }
    }

    /**
     * {@link #signal(int)} with a standard signal.
     *
     * @param signal the signal
     * @throws NativeIoException ESRCH once the child has been reaped (or EBADF after close)
     */
    public void signal(Signal signal) throws NativeIoException {
        signal(signal.number());
    }

    /**
     * Kills the child (SIGKILL) unless it has ended, waits for it and reaps it, then closes the
     * pidfd and the parent's ends of the pipes. Idempotent.
     */
    @Override
    public void close() {
        try {
            if (status == null) {
                try {
                    signal(Signal.SIGKILL);
                } catch (NativeIoException e) {
                    // ESRCH: it has ended already (and waits to be reaped): waitFor does that
                }
                waitFor();
            }
        } catch (NativeIoException e) {
            System.getLogger("dev.ringio").log(System.Logger.Level.WARNING, "reaping pid " + pid + " on close", e);
        } finally {
            pidfd.close();
            for (Fd f : new Fd[] {stdin, stdout, stderr}) {
                if (f != null) {
                    f.close();
                }
            }
        }
    }

    /** Arms the engine's wait for the pidfd; re-armed if a wakeup finds the child still running. */
    private void watchExit() {
        CompletableFuture<Integer> ready;
        try {
            ready = engine.awaitReadable(pidfd);
        } catch (RuntimeException e) {
            exit.completeExceptionally(e);
            return;
        }
        ready.whenComplete((events, error) -> {
            if (status != null) {
                return;
            }
            if (error != null) {
                exit.completeExceptionally(error);
                return;
            }
            try {
                if (tryReap() == null) {
                    watchExit();
                }
            } catch (NativeIoException e) {
                exit.completeExceptionally(e);
            }
        });
    }

    /** Reaps the child if it has ended (waitid WNOHANG), once; the status, or null while it runs. */
    private ExitStatus tryReap() throws NativeIoException {
        synchronized (reapLock) {
            if (status != null) {
                return status;
            }
            int raw = pidfd.acquireHeld("waitid");
            try (Arena arena = Arena.ofConfined()) {
                MemorySegment out = arena.allocate(JAVA_INT, 3);
                int r;
                do {
                    r = Shim.get().waitidPidfd(raw, WEXITED | WNOHANG, out.address());
                } while (r == -Errno.EINTR.value());
                if (r < 0) {
                    throw new NativeIoException("waitid pid " + pid, -r);
                }
                if (out.getAtIndex(JAVA_INT, 0) == 0) {
                    return null;
                }
                ExitStatus s = ExitStatus.of(pid, out.getAtIndex(JAVA_INT, 1), out.getAtIndex(JAVA_INT, 2));
                status = s;
                exit.complete(s);
                return s;
            } finally {
                pidfd.release();
            }
        }
    }

    @Override
    public String toString() {
        ExitStatus s = status;
        return "ChildProcess[pid " + pid + (s == null ? ", running" : ", " + s) + "]";
    }

    /**
     * What to run and how (eio's {@code spawn} arguments). By default: the JVM's environment and
     * working directory, {@code /dev/null} for stdin, stdout and stderr, no other descriptor.
     * Not thread-safe; build on one thread.
     */
    public static final class Builder {
        private final List<String> argv;
        private Path executable;
        private Map<String, String> environment;
        private Path directory;
        private final TreeMap<Integer, Fd> fds = new TreeMap<>();
        private boolean pipeIn;
        private boolean pipeOut;
        private boolean pipeErr;

        private Builder(List<String> argv) {
            if (argv.isEmpty()) {
                throw new IllegalArgumentException("spawn: empty argument vector");
            }
            for (String a : argv) {
                if (a.indexOf('\0') >= 0) {
                    throw new IllegalArgumentException("spawn: argument with a NUL character: " + a.replace('\0', '?'));
                }
            }
            this.argv = argv;
        }

        /**
         * The program file to execute instead of looking up {@code argv[0]}.
         *
         * @param program the program file
         * @return this builder
         */
        public Builder executable(Path program) {
            this.executable = Objects.requireNonNull(program, "program");
            return this;
        }

        /**
         * The child's whole environment (default: this JVM's, {@code System.getenv()}).
         *
         * @param env the variables, name to value
         * @return this builder
         */
        public Builder environment(Map<String, String> env) {
            Map<String, String> copy = new LinkedHashMap<>();
            env.forEach((k, v) -> {
                if (k.isEmpty() || k.indexOf('=') >= 0 || k.indexOf('\0') >= 0 || v.indexOf('\0') >= 0) {
                    throw new IllegalArgumentException("spawn: bad environment entry " + k.replace('\0', '?'));
                }
                copy.put(k, v);
            });
            this.environment = copy;
            return this;
        }

        /**
         * The child's working directory (default: this JVM's).
         *
         * @param dir the directory
         * @return this builder
         */
        public Builder directory(Path dir) {
            this.directory = Objects.requireNonNull(dir, "dir");
            return this;
        }

        /**
         * Gives the child {@code source} as its descriptor {@code target}; the caller keeps {@code
         * source}.
         *
         * @param target the descriptor number in the child
         * @param source the descriptor to give the child; the caller keeps it
         * @return this builder
         */
        public Builder fd(int target, Fd source) {
            if (target < 0 || target > 65535) {
                throw new IllegalArgumentException("spawn: target descriptor out of range 0..65535: " + target);
            }
            fds.put(target, Objects.requireNonNull(source, "source"));
            if (target == 0) {
                pipeIn = false;
            } else if (target == 1) {
                pipeOut = false;
            } else if (target == 2) {
                pipeErr = false;
            }
            return this;
        }

        /**
         * {@code fd(0, source)}.
         *
         * @param source the descriptor to give the child; the caller keeps it
         * @return this builder
         */
        public Builder stdin(Fd source) {
            return fd(0, source);
        }

        /**
         * {@code fd(1, source)}.
         *
         * @param source the descriptor to give the child; the caller keeps it
         * @return this builder
         */
        public Builder stdout(Fd source) {
            return fd(1, source);
        }

        /**
         * {@code fd(2, source)}.
         *
         * @param source the descriptor to give the child; the caller keeps it
         * @return this builder
         */
        public Builder stderr(Fd source) {
            return fd(2, source);
        }

        /**
         * The child's stdin is a new pipe whose write end is {@link ChildProcess#stdin()}.
         *
         * @return this builder
         */
        public Builder pipeStdin() {
            fds.remove(0);
            pipeIn = true;
            return this;
        }

        /**
         * The child's stdout is a new pipe whose read end is {@link ChildProcess#stdout()}.
         *
         * @return this builder
         */
        public Builder pipeStdout() {
            fds.remove(1);
            pipeOut = true;
            return this;
        }

        /**
         * The child's stderr is a new pipe whose read end is {@link ChildProcess#stderr()}.
         *
         * @return this builder
         */
        public Builder pipeStderr() {
            fds.remove(2);
            pipeErr = true;
            return this;
        }

        /**
         * Starts the child; {@code engine} reports its exit ({@link ChildProcess#onExit()}). Any thread.
         *
         * @param engine the engine that reports the exit
         * @return the running child, which the caller closes
         * @throws NativeIoException naming the program: ENOENT (no such file, or not found in PATH),
         *                           EACCES (not executable), ENOEXEC, E2BIG; naming the directory
         *                           when the chdir fails; EBADF when a given descriptor is closed
         */
        public ChildProcess spawn(IoEngine engine) throws NativeIoException {
            Objects.requireNonNull(engine, "engine");
            Map<String, String> env = environment != null ? environment : System.getenv();
            String program = resolve(env);
            List<Fd> opened = new ArrayList<>();
            List<Fd> held = new ArrayList<>();
            Fd parentIn = null;
            Fd parentOut = null;
            Fd parentErr = null;
            boolean ok = false;
            TreeMap<Integer, Fd> map = new TreeMap<>(fds);
            try {
                if (pipeIn) {
                    Pipe p = Pipe.open();
                    opened.add(p.readEnd());
                    parentIn = p.writeEnd();
                    map.put(0, p.readEnd());
                }
                if (pipeOut) {
                    Pipe p = Pipe.open();
                    opened.add(p.writeEnd());
                    parentOut = p.readEnd();
                    map.put(1, p.writeEnd());
                }
                if (pipeErr) {
                    Pipe p = Pipe.open();
                    opened.add(p.writeEnd());
                    parentErr = p.readEnd();
                    map.put(2, p.writeEnd());
                }
                long pidfdAndPid;
                try (Arena arena = Arena.ofConfined()) {
                    MemorySegment mapSeg = arena.allocate(JAVA_INT, Math.max(1, 2L * map.size()));
                    int i = 0;
                    for (Map.Entry<Integer, Fd> e : map.entrySet()) {
                        int raw = e.getValue().acquire("spawn " + program + ": descriptor for fd " + e.getKey());
                        held.add(e.getValue());
                        mapSeg.setAtIndex(JAVA_INT, i++, raw);
                        mapSeg.setAtIndex(JAVA_INT, i++, e.getKey());
                    }
                    MemorySegment argvSeg = strings(arena, argv);
                    List<String> envList = new ArrayList<>(env.size());
                    env.forEach((k, v) -> envList.add(k + "=" + v));
                    MemorySegment envSeg = strings(arena, envList);
                    MemorySegment path = arena.allocateFrom(program);
                    MemorySegment cwd = directory == null ? MemorySegment.NULL : arena.allocateFrom(directory.toString());
                    MemorySegment out = arena.allocate(JAVA_LONG, 2);
                    int r = Shim.get().spawn(path.address(), argvSeg.address(), envSeg.address(), cwd.address(),
                            mapSeg.address(), map.size(), out.address());
                    if (r < 0) {
                        long stage = out.getAtIndex(JAVA_LONG, 1);
                        String op = stage == 2 ? "spawn " + program + ": chdir " + directory
                                : stage == 1 ? "spawn " + program + ": descriptor setup" : "spawn " + program;
                        throw new NativeIoException(op, -r);
                    }
                    pidfdAndPid = out.getAtIndex(JAVA_LONG, 0);
                    ChildProcess child = new ChildProcess(r, Fd.adopt((int) pidfdAndPid, Fd.Kind.PIDFD), engine,
                            parentIn, parentOut, parentErr);
                    ok = true;
                    child.watchExit();
                    return child;
                }
            } finally {
                held.forEach(Fd::release);
                opened.forEach(Fd::close); // the child's pipe ends: the child has its own copies now
                if (!ok) {
                    for (Fd f : new Fd[] {parentIn, parentOut, parentErr}) {
                        if (f != null) {
                            f.close();
                        }
                    }
                }
            }
        }

        /** argv[0] through PATH (the child's) unless it has a '/' or {@link #executable} is set. */
        private String resolve(Map<String, String> env) throws NativeIoException {
            if (executable != null) {
                return executable.toString();
            }
            String name = argv.get(0);
            if (name.isEmpty()) {
                throw new NativeIoException("spawn \"\"", Errno.ENOENT.value());
            }
            if (name.indexOf('/') >= 0) {
                return name;
            }
            String path = env.getOrDefault("PATH", "/usr/local/bin:/usr/bin:/bin");
            String firstExisting = null;
            for (String dir : path.split(":", -1)) {
                Path candidate = Path.of(dir.isEmpty() ? "." : dir, name);
                if (Files.isRegularFile(candidate)) {
                    if (Files.isExecutable(candidate)) {
                        return candidate.toString();
                    }
                    if (firstExisting == null) {
                        firstExisting = candidate.toString(); // exec will say EACCES, naming it
                    }
                }
            }
            if (firstExisting != null) {
                return firstExisting;
            }
            throw new NativeIoException("spawn " + name, Errno.ENOENT.value(), "not found in PATH " + path);
        }

        /** A NULL-terminated array of C strings in {@code arena}. */
        private static MemorySegment strings(Arena arena, List<String> list) {
            MemorySegment arr = arena.allocate(ADDRESS, list.size() + 1L);
            for (int i = 0; i < list.size(); i++) {
                arr.setAtIndex(ADDRESS, i, arena.allocateFrom(list.get(i)));
            }
            arr.setAtIndex(ADDRESS, list.size(), MemorySegment.NULL);
            return arr;
        }
    }
}
