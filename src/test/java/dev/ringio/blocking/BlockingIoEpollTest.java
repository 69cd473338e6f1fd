package dev.ringio.blocking;

import dev.ringio.EngineConfig;
import dev.ringio.IoEngine;
import dev.ringio.IoEngines;

/** {@link BlockingIoContract} on the epoll engine. */
class BlockingIoEpollTest extends BlockingIoContract {

    @Override
    protected IoEngine openEngine() throws Exception {
        return IoEngines.open("epoll", EngineConfig.builder().fixedBuffers(8, 4096).build());
    }
}
