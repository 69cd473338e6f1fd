package dev.ringio.nio;

/** {@link RingioAsyncFileChannelContract} on the io_uring engine. */
class UringAsyncFileChannelTest extends RingioAsyncFileChannelContract {

    @Override
    String engineName() {
        return "io_uring";
    }
}
