package dev.ringio.engine.uring;

import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import dev.ringio.EngineConfig;
import dev.ringio.IoEngine;
import dev.ringio.IoEngines;
import dev.ringio.conformance.EngineContract;
import dev.ringio.testing.KernelFeatures;

import static org.junit.jupiter.api.Assertions.assertFalse;

/**
 * The whole contract on io_uring as on a kernel older than 5.15: without the SOCKET, BIND, LISTEN,
 * FTRUNCATE and LINKAT opcodes (their probe entries cleared), so socket, bind, listen, ftruncate and
 * linkat take the off-loop syscall path ({@code Syscalls}, {@code OffLoopCall}) that the calls with
 * no opcode at all (fchmod, sendfile, readDir, ...) always take.
 */
@ExtendWith(KernelFeatures.NeedsIoUring.class)
class UringWithoutNewerOpcodesConformanceTest extends EngineContract {

    private static final byte[] NEWER = {Uring.OP_SOCKET, Uring.OP_BIND, Uring.OP_LISTEN, Uring.OP_FTRUNCATE,
            Uring.OP_LINKAT};

    @Override
    protected IoEngine openEngine() throws Exception {
        UringEngine e = (UringEngine) IoEngines.openUring(EngineConfig.defaults());
        e.withoutOpcodes(NEWER);
        return e;
    }

    @Override
    protected void checkAfterEachTest(IoEngine engine, List<String> problems) throws Exception {
        UringConformance.check(engine, problems);
    }

    @Test
    void theNewerOpcodesAreHidden() {
        UringEngine e = (UringEngine) engine();
        for (byte op : NEWER) {
            assertFalse(e.supportsOp(op), "opcode " + op);
        }
    }
}
