package dev.ringio.nio;

import org.junit.jupiter.api.extension.ExtendWith;

import dev.ringio.testing.KernelFeatures;

/** {@link RingioAsyncFileChannelContract} on the io_uring engine. */
@ExtendWith(KernelFeatures.NeedsIoUring.class)
class UringAsyncFileChannelTest extends RingioAsyncFileChannelContract {

    @Override
    String engineName() {
        return "io_uring";
    }
}
