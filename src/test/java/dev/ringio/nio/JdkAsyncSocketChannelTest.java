package dev.ringio.nio;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.channels.AsynchronousServerSocketChannel;
import java.nio.channels.AsynchronousSocketChannel;
import java.nio.channels.spi.AsynchronousChannelProvider;

import org.junit.jupiter.api.BeforeAll;

import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The behaviour suite on the JDK's own provider (sun.nio.ch): proof that each test states what
 * the JDK really does.
 */
class JdkAsyncSocketChannelTest extends AsyncSocketChannelContract {

    private static AsynchronousChannelProvider jdk;

    @BeforeAll
    static void theJdksProvider() throws Exception {
        jdk = AsynchronousChannelProvider.provider();
        assertTrue(jdk.getClass().getName().startsWith("sun.nio.ch."), jdk.getClass().getName());
        // The JDK's default group opens its descriptors (an epoll port and its wake-up pipe) on
        // first use and keeps them for the life of the JVM: open them before any leak snapshot.
        try (AsynchronousServerSocketChannel s = AsynchronousServerSocketChannel.open()
                .bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
             AsynchronousSocketChannel c = AsynchronousSocketChannel.open()) {
            c.connect(s.getLocalAddress()).get();
            s.accept().get().close();
        }
    }

    @Override
    protected String closingAChannelOfAShutdownGroupLeaks() {
        return "sun.nio.ch leaves the socket of a channel closed after its group's shutdown() open";
    }

    @Override
    protected AsynchronousChannelProvider provider() {
        return jdk;
    }
}
