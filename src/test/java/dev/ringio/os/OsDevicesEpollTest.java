package dev.ringio.os;

import dev.ringio.EngineConfig;
import dev.ringio.IoEngine;
import dev.ringio.IoEngines;

/** {@link OsDevicesContract} on the epoll (readiness) engine. */
class OsDevicesEpollTest extends OsDevicesContract {

    @Override
    protected IoEngine openEngine() throws Exception {
        return IoEngines.open("epoll", EngineConfig.builder().fixedBuffers(8, 4096).build());
    }
}
