package dev.ringio.os;

import dev.ringio.EngineConfig;
import dev.ringio.IoEngine;
import dev.ringio.IoEngines;

/** {@link EpollContract} with the epoll engine waiting on the epoll descriptor (epoll in epoll). */
class EpollOnEpollTest extends EpollContract {

    @Override
    IoEngine openEngine() throws Exception {
        return IoEngines.open("epoll", EngineConfig.builder().build());
    }
}
