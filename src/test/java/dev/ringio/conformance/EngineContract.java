package dev.ringio.conformance;

import java.util.List;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;

import dev.ringio.IoEngine;
import dev.ringio.testing.LeakCheck;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The conformance suite of {@link IoEngine}: every operation of the interface — success, end of
 * file / stream, bad inputs, kernel errors, cancellation, {@code close(fd)} and {@code close()}
 * with operations in flight, and many threads at once — against real files in a temporary
 * directory, pipes and loopback sockets. Every engine must pass all of it.
 *
 * <h2>Plugging in an engine</h2>
 * A new engine gets exactly one small concrete class, named {@code *ConformanceTest} so that
 * surefire runs it, and kept beside that engine's own tests (e.g. {@code dev.ringio.engine.uring.
 * UringConformanceTest}; the readiness engines' {@code EpollConformanceTest} and
 * {@code KqueueEmulatedConformanceTest} go to {@code dev.ringio.engine.poll}). It provides:
 * <ol>
 *   <li>{@link #openEngine()} (required): a new, open engine of the kind under test, with the
 *       configuration under test. The suite calls it once for the engine the area tests share,
 *       and again wherever a test needs an engine of its own (the {@link Lifetime} tests close
 *       theirs). The engine's {@link IoEngine#bufferPool()} must have at least 16 chunks of at
 *       least 4 KiB (the {@code EngineConfig} defaults have 64 of 64 KiB).</li>
 *   <li>{@link #checkAfterEachTest} (optional): engine-specific health checks after every test,
 *       e.g. io_uring's "no stale completion, no failing callback, no slot in use".</li>
 *   <li>Engine-specific {@code @Test} methods (optional) about the configuration itself, e.g.
 *       "the ring really has two entries"; they run against {@link #engine()}.</li>
 * </ol>
 * Nothing else may differ between engines. Where an engine lacks a capability, the suite reads
 * {@link IoEngine#supports(dev.ringio.Capability)} and asserts the documented clear failure
 * instead of the success (never a skipped assertion); see {@link SocketContract} for
 * {@code ZERO_COPY_SEND}.
 *
 * <h2>Structure</h2>
 * One {@link Nested} class per area, each extending an abstract area contract in this package
 * ({@link BasicsContract}, {@link FileContract}, {@link DirectoryContract}, {@link LowLevelContract},
 * {@link SocketContract}, {@link DatagramContract}, {@link MessageContract},
 * {@link MultishotContract}, {@link CancellationContract}, {@link BlockedOpsContract},
 * {@link PartialProgressContract}, {@link DeadlineContract}, {@link LifetimeContract}, {@link MemoryContract}, {@link ConcurrencyContract}, {@link FileOpsContract}); JUnit runs the nested classes of every concrete subclass. The
 * shared engine is opened before the first area and closed after the last. After every test
 * ({@link ContractBase}) the engine's pool must be full, every descriptor the test opened must be
 * released, no new descriptor may be open in the process ({@code /proc/self/fd}), and
 * {@link #checkAfterEachTest} must find nothing; {@link LeakCheck} checks the whole class (the
 * engine's own descriptors included) once more at the end.
 *
 * <h2>Engine-neutral</h2>
 * No test depends on how an engine works inside: no {@code instanceof}, no assumption that file
 * I/O is asynchronous in the kernel or that an operation has reached the kernel when it is
 * cancelled, no elapsed-time bounds except "not before the deadline". Behaviour that only one
 * engine promises (io_uring's overflow queue, results winning a cancel inline, registered
 * buffers) is tested beside that engine.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@ExtendWith(LeakCheck.class)
public abstract class EngineContract {

    /** A new, open engine of the kind and configuration under test. */
    protected abstract IoEngine openEngine() throws Exception;

    /**
     * Engine-specific checks after each test, with the shared engine (or a test's own engine
     * before it is closed). Add a line to {@code problems} for each thing wrong; the default finds
     * nothing.
     */
    protected void checkAfterEachTest(IoEngine engine, List<String> problems) throws Exception {
    }

    private IoEngine engine;

    @BeforeAll
    void openSharedEngine() throws Exception {
        engine = openEngine();
        assertFalse(engine.isClosed(), engine + " is closed when just opened");
    }

    @AfterAll
    void closeSharedEngine() {
        if (engine != null) {
            engine.close();
            assertTrue(engine.isClosed());
        }
    }

    /** The engine the area tests share. */
    public final IoEngine engine() {
        return engine;
    }

    // ---- the areas ------------------------------------------------------------------------------

    @Nested
    class Basics extends BasicsContract {
        @Override
        protected EngineContract contract() {
            return EngineContract.this;
        }
    }

    @Nested
    class Files extends FileContract {
        @Override
        protected EngineContract contract() {
            return EngineContract.this;
        }
    }

    @Nested
    class Directories extends DirectoryContract {
        @Override
        protected EngineContract contract() {
            return EngineContract.this;
        }
    }

    @Nested
    class LowLevel extends LowLevelContract {
        @Override
        protected EngineContract contract() {
            return EngineContract.this;
        }
    }

    @Nested
    class Sockets extends SocketContract {
        @Override
        protected EngineContract contract() {
            return EngineContract.this;
        }
    }

    @Nested
    class Datagrams extends DatagramContract {
        @Override
        protected EngineContract contract() {
            return EngineContract.this;
        }
    }

    @Nested
    class Messages extends MessageContract {
        @Override
        protected EngineContract contract() {
            return EngineContract.this;
        }
    }

    @Nested
    class Multishots extends MultishotContract {
        @Override
        protected EngineContract contract() {
            return EngineContract.this;
        }
    }

    @Nested
    class Cancellation extends CancellationContract {
        @Override
        protected EngineContract contract() {
            return EngineContract.this;
        }
    }

    @Nested
    class BlockedOps extends BlockedOpsContract {
        @Override
        protected EngineContract contract() {
            return EngineContract.this;
        }
    }

    @Nested
    class PartialProgress extends PartialProgressContract {
        @Override
        protected EngineContract contract() {
            return EngineContract.this;
        }
    }

    @Nested
    class Deadlines extends DeadlineContract {
        @Override
        protected EngineContract contract() {
            return EngineContract.this;
        }
    }

    @Nested
    class Lifetime extends LifetimeContract {
        @Override
        protected EngineContract contract() {
            return EngineContract.this;
        }
    }

    @Nested
    class Memory extends MemoryContract {
        @Override
        protected EngineContract contract() {
            return EngineContract.this;
        }
    }

    @Nested
    class Concurrency extends ConcurrencyContract {
        @Override
        protected EngineContract contract() {
            return EngineContract.this;
        }
    }

    @Nested
    class FileOps extends FileOpsContract {
        @Override
        protected EngineContract contract() {
            return EngineContract.this;
        }
    }
}
