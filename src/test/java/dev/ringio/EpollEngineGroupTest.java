package dev.ringio;

/** The {@link EngineGroupContract} on a group of epoll engines. */
class EpollEngineGroupTest extends EngineGroupContract {

    @Override
    String engineName() {
        return "epoll";
    }
}
