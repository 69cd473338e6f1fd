package dev.ringio.blocking;

import dev.ringio.EngineConfig;
import dev.ringio.IoEngine;
import dev.ringio.IoEngines;

/** {@link BlockingIoContract} on the io_uring engine. */
class BlockingIoUringTest extends BlockingIoContract {

    @Override
    protected IoEngine openEngine() throws Exception {
        return IoEngines.open("io_uring", EngineConfig.builder().fixedBuffers(8, 4096).build());
    }
}
