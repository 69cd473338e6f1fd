package dev.ringio.os;

import dev.ringio.EngineConfig;
import dev.ringio.IoEngine;
import dev.ringio.IoEngines;

/** {@link FdStreamsContract} on the epoll engine. */
class FdStreamsOnEpollTest extends FdStreamsContract {

    @Override
    IoEngine openEngine() throws Exception {
        return IoEngines.open("epoll", EngineConfig.builder().build());
    }
}
