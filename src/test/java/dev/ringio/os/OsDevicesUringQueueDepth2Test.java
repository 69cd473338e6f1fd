package dev.ringio.os;

import org.junit.jupiter.api.extension.ExtendWith;

import dev.ringio.EngineConfig;
import dev.ringio.IoEngine;
import dev.ringio.IoEngines;
import dev.ringio.testing.KernelFeatures;

/** {@link OsDevicesContract} on an io_uring engine with a two-entry submission queue (200 children's waits overflow it). */
@ExtendWith(KernelFeatures.NeedsIoUring.class)
class OsDevicesUringQueueDepth2Test extends OsDevicesContract {

    @Override
    protected IoEngine openEngine() throws Exception {
        return IoEngines.openUring(EngineConfig.builder().queueDepth(2).fixedBuffers(8, 4096).build());
    }
}
