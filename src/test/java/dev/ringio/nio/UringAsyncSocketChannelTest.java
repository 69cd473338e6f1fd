package dev.ringio.nio;

import java.nio.channels.spi.AsynchronousChannelProvider;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.extension.ExtendWith;

import dev.ringio.EngineConfig;
import dev.ringio.IoEngine;
import dev.ringio.IoEngines;
import dev.ringio.testing.KernelFeatures;
import dev.ringio.testing.LeakCheck;


/** The behaviour suite on {@link RingioAsynchronousChannelProvider} over the io_uring engine. */
@ExtendWith(LeakCheck.class)
@ExtendWith(KernelFeatures.NeedsIoUring.class)
class UringAsyncSocketChannelTest extends AsyncSocketChannelContract {

    private static IoEngine engine;
    private static RingioAsynchronousChannelProvider provider;

    @BeforeAll
    static void openEngine() throws Exception {
        engine = IoEngines.open("io_uring", EngineConfig.defaults());
        provider = new RingioAsynchronousChannelProvider(engine);
    }

    @AfterAll
    static void closeEngine() {
        if (engine != null) {
            engine.close();
        }
    }

    @Override
    protected AsynchronousChannelProvider provider() {
        return provider;
    }
}
