package dev.ringio.os;

import org.junit.jupiter.api.extension.ExtendWith;

import dev.ringio.EngineConfig;
import dev.ringio.IoEngine;
import dev.ringio.IoEngines;
import dev.ringio.testing.KernelFeatures;

/** {@link OsDevicesContract} on the io_uring engine. */
@ExtendWith(KernelFeatures.NeedsIoUring.class)
class OsDevicesUringTest extends OsDevicesContract {

    @Override
    protected IoEngine openEngine() throws Exception {
        return IoEngines.open("io_uring", EngineConfig.builder().fixedBuffers(8, 4096).build());
    }
}
