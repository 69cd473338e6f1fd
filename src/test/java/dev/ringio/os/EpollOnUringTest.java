package dev.ringio.os;

import org.junit.jupiter.api.extension.ExtendWith;

import dev.ringio.EngineConfig;
import dev.ringio.IoEngine;
import dev.ringio.IoEngines;
import dev.ringio.testing.KernelFeatures;

/** {@link EpollContract} with the io_uring engine waiting on the epoll descriptor. */
@ExtendWith(KernelFeatures.NeedsIoUring.class)
class EpollOnUringTest extends EpollContract {

    @Override
    IoEngine openEngine() throws Exception {
        return IoEngines.open("io_uring", EngineConfig.builder().build());
    }
}
