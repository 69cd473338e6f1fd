package dev.ringio.nio;

import java.util.List;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

import dev.ringio.testing.ChildJvm;
import dev.ringio.IoEngines;
import dev.ringio.testing.LeakCheck;

import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The switch the provider exists for: unchanged JDK-style code ({@link JdkStyleEchoProgram}) in a
 * child JVM started with {@code -Djava.nio.channels.spi.AsynchronousChannelProvider=} ringio's
 * provider runs its echo on ringio; without the property it runs on the JDK's.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
@ExtendWith(LeakCheck.class)
class ProviderPropertyTest {

    @Test
    void thePropertySwitchesUnchangedJdkCodeToRingio() throws Exception {
        String out = runChild("-Djava.nio.channels.spi.AsynchronousChannelProvider=" + RingioAsynchronousChannelProvider.class.getName());
        assertTrue(out.contains("provider=" + RingioAsynchronousChannelProvider.class.getName() + "\n"), out);
        assertTrue(out.contains("group-provider=" + RingioAsynchronousChannelProvider.class.getName() + "\n"), out);
        assertTrue(out.contains("echo=hello over ringio\n"), out);
        assertTrue(out.contains("terminated=true\n"), out);
    }

    @Test
    void ringioEngineSelectionStillApplies() throws Exception {
        String out = runChild("-Djava.nio.channels.spi.AsynchronousChannelProvider=" + RingioAsynchronousChannelProvider.class.getName(),
                "-D" + IoEngines.ENGINE_PROPERTY + "=epoll");
        assertTrue(out.contains("echo=hello over ringio\n"), out);
    }

    @Test
    void withoutThePropertyTheJdksProviderRunsTheSameCode() throws Exception {
        String out = runChild();
        assertTrue(out.contains("provider=sun.nio.ch."), out);
        assertTrue(out.contains("echo=hello over ringio\n"), out);
    }

    private static String runChild(String... jvmOptions) throws Exception {
        return ChildJvm.run(List.of(jvmOptions), JdkStyleEchoProgram.class);
    }
}
