package dev.ringio.nio;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

import dev.ringio.testing.ChildJvm;
import dev.ringio.IoEngines;
import dev.ringio.testing.LeakCheck;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The default group's system properties {@code java.nio.channels.DefaultThreadPool.threadFactory}
 * and {@code .initialSize}, which {@link java.nio.channels.AsynchronousChannelGroup} documents.
 * They are read once per JVM, so each case runs {@link DefaultThreadPoolProgram} in a child JVM,
 * on the JDK's provider ({@code jdk}, the reference) and on ringio's over each engine, with the
 * same assertions: the factory's threads run the default group's handlers (and those of a file
 * channel opened without an executor), the group starts {@code initialSize} of them when it is
 * created, and bad values fail every use with an {@link Error} whose cause says why.
 */
@Timeout(value = 180, unit = TimeUnit.SECONDS)
@ExtendWith(LeakCheck.class)
class DefaultThreadPoolPropertyTest {

    private static final String FACTORY = "-D" + DefaultThreadPool.THREAD_FACTORY_PROPERTY + "=";
    private static final String INITIAL_SIZE = "-D" + DefaultThreadPool.INITIAL_SIZE_PROPERTY + "=";
    private static final String COUNTING = DefaultThreadPoolProgram.CountingThreadFactory.class.getName();

    @ParameterizedTest
    @ValueSource(strings = {"jdk", "io_uring", "epoll"})
    void theFactorysThreadsRunTheHandlersAndInitialSizeOfThemStartWithTheGroup(String provider) throws Exception {
        String out = runChild(provider, FACTORY + COUNTING, INITIAL_SIZE + "3");
        assertEquals("3", value(out, "factoryThreadsAfterOpen"), out);
        assertTrue(value(out, "acceptHandler").startsWith("prop-factory-"), out);
        assertTrue(value(out, "connectHandler").startsWith("prop-factory-"), out);
        assertTrue(value(out, "fileHandler").startsWith("prop-factory-"), out);
    }

    @ParameterizedTest
    @ValueSource(strings = {"jdk", "io_uring", "epoll"})
    void anInitialSizeOfZeroStartsNoThreadBeforeTheFirstHandler(String provider) throws Exception {
        String out = runChild(provider, FACTORY + COUNTING, INITIAL_SIZE + "0");
        assertEquals("0", value(out, "factoryThreadsAfterOpen"), out);
        assertTrue(value(out, "acceptHandler").startsWith("prop-factory-"), out);
        assertTrue(value(out, "connectHandler").startsWith("prop-factory-"), out);
    }

    static Stream<Arguments> badValues() {
        List<Arguments> cases = new ArrayList<>();
        for (String provider : List.of("jdk", "io_uring", "epoll")) {
            cases.add(Arguments.of(provider, INITIAL_SIZE + "many", "none"));
            cases.add(Arguments.of(provider, FACTORY + "dev.ringio.nio.NoSuchThreadFactory", ClassNotFoundException.class.getName()));
            cases.add(Arguments.of(provider, FACTORY + String.class.getName(), ClassCastException.class.getName()));
            cases.add(Arguments.of(provider, FACTORY + DefaultThreadPoolProgram.FailingThreadFactory.class.getName(),
                    IllegalStateException.class.getName()));
        }
        return cases.stream();
    }

    /**
     * A bad value fails the first use of the default group (and of the file channels' default
     * executor) with an Error, and every later use too; a non-number says so in the JDK's words.
     */
    @ParameterizedTest
    @MethodSource("badValues")
    void aBadValueFailsEveryUseWithAnError(String provider, String property, String cause) throws Exception {
        String out = runChild(provider, property);
        assertTrue(value(out, "groupError").endsWith(" error=true"), out);
        assertEquals(cause, value(out, "groupCause"), out);
        assertTrue(value(out, "groupAgain").endsWith(" error=true"), out);
        assertTrue(value(out, "fileError").endsWith(" error=true"), out);
        assertEquals(cause, value(out, "fileCause"), out);
        if (property.startsWith(INITIAL_SIZE)) {
            assertTrue(value(out, "groupMessage").startsWith("Value of property '" + DefaultThreadPool.INITIAL_SIZE_PROPERTY
                    + "' is invalid: java.lang.NumberFormatException"), out);
        }
    }

    /** The value of the first {@code key=} line of {@code out} ("" if none). */
    private static String value(String out, String key) {
        for (String line : out.split("\n")) {
            if (line.startsWith(key + "=")) {
                return line.substring(key.length() + 1);
            }
        }
        return "";
    }

    /** Runs the program on {@code provider} ("jdk" or a ringio engine's name) with {@code options}. */
    private static String runChild(String provider, String... options) throws Exception {
        List<String> jvmOptions = new ArrayList<>(List.of(options));
        if (!provider.equals("jdk")) {
            String why = IoEngines.availability().get(provider);
            assumeTrue("available".equals(why), provider + " cannot start here: " + why);
            jvmOptions.add("-Djava.nio.channels.spi.AsynchronousChannelProvider=" + RingioAsynchronousChannelProvider.class.getName());
            jvmOptions.add("-D" + IoEngines.ENGINE_PROPERTY + "=" + provider);
        }
        String out = run(jvmOptions);
        String expectedProvider = provider.equals("jdk") ? "provider=sun.nio.ch." : "provider=" + RingioAsynchronousChannelProvider.class.getName();
        assertTrue(out.contains(expectedProvider), out);
        if (!provider.equals("jdk")) {
            assertEquals(provider, value(out, "engine"), out);
        }
        return out;
    }

    private static String run(List<String> jvmOptions) throws Exception {
        return ChildJvm.run(jvmOptions, DefaultThreadPoolProgram.class);
    }
}
