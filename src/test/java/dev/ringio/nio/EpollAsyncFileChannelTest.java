package dev.ringio.nio;

/** {@link RingioAsyncFileChannelContract} on the epoll engine. */
class EpollAsyncFileChannelTest extends RingioAsyncFileChannelContract {

    @Override
    String engineName() {
        return "epoll";
    }
}
