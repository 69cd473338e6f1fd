package dev.ringio;

import org.junit.jupiter.api.extension.ExtendWith;

import dev.ringio.testing.KernelFeatures;

/** The {@link EngineGroupContract} on a group of io_uring engines. */
@ExtendWith(KernelFeatures.NeedsIoUring.class)
class UringEngineGroupTest extends EngineGroupContract {

    @Override
    String engineName() {
        return "uring";
    }
}
