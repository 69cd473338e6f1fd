package dev.ringio.nio;

import java.lang.reflect.InvocationTargetException;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The thread pools that run completion handlers when the application gave none: the provider's
 * default group and {@link RingioAsynchronousFileChannel}'s default executor. They follow the two
 * system properties {@link java.nio.channels.AsynchronousChannelGroup} documents for the JDK's
 * default group, read when the pool is created (once per provider, once per JVM for the file
 * channels):
 *
 * <ul>
 *   <li>{@value #THREAD_FACTORY_PROPERTY}: the name of a public {@link ThreadFactory} class with a
 *       public no-argument constructor, loaded with the system class loader; its threads run the
 *       handlers. Unset: daemon threads named {@code <prefix>N}.
 *   <li>{@value #INITIAL_SIZE_PROPERTY}: an {@code int}. In the JDK it is the number of pool
 *       threads that wait for I/O events (and run handlers) from the group's creation on. Here the
 *       engine's loop thread waits for I/O and pool threads only run handlers, so it is the number
 *       of handler threads the default group starts when it is created and keeps while idle;
 *       further threads come and go as in a cached pool (idle for 60 s, they end). Unset or
 *       negative: none are kept (the JDK starts one per processor, which it needs for its event
 *       loop; ringio does not). The file channels' pool ignores it, as the JDK's does, but a bad
 *       value fails it too.
 * </ul>
 *
 * <p>Bad values fail as in the JDK, with an {@link Error}: for an initial size that is not a
 * number the JDK's message ("Value of property '...' is invalid: ..."); for a factory class that
 * cannot be loaded, is not a {@link ThreadFactory}, has no accessible no-argument constructor or
 * whose constructor throws, an {@code Error} whose cause says which (the JDK's is an
 * {@code Error} or {@code ExceptionInInitializerError} with the same cause).
 *
 * <p>Threading: any thread.
 */
final class DefaultThreadPool {

    /** The property naming the default pool's {@link ThreadFactory} class. */
    static final String THREAD_FACTORY_PROPERTY = "java.nio.channels.DefaultThreadPool.threadFactory";
    /** The property giving the default pool's initial size. */
    static final String INITIAL_SIZE_PROPERTY = "java.nio.channels.DefaultThreadPool.initialSize";

    private static final long KEEP_ALIVE_SECONDS = 60; // as Executors.newCachedThreadPool

    private DefaultThreadPool() {
    }

    /**
     * A new cached pool configured by the properties; with {@code startInitialThreads} it starts
     * {@value #INITIAL_SIZE_PROPERTY} threads now and keeps them.
     *
     * @param namePrefix names the threads when no factory is configured
     * @throws Error for a bad property value (see the class documentation)
     */
    static ThreadPoolExecutor create(String namePrefix, boolean startInitialThreads) {
        int initialSize = initialSize();           // read first, as the JDK does
        ThreadFactory factory = threadFactory();
        if (factory == null) {
            AtomicInteger n = new AtomicInteger();
            factory = r -> {
                Thread t = new Thread(r, namePrefix + n.incrementAndGet());
                t.setDaemon(true);
                return t;
            };
        }
        int kept = startInitialThreads ? Math.max(0, initialSize) : 0;
        ThreadPoolExecutor pool = new ThreadPoolExecutor(kept, Integer.MAX_VALUE, KEEP_ALIVE_SECONDS, TimeUnit.SECONDS,
                new SynchronousQueue<>(), factory);
        pool.prestartAllCoreThreads();
        return pool;
    }

    /** {@value #INITIAL_SIZE_PROPERTY}, or -1 if unset. */
    private static int initialSize() {
        String value = System.getProperty(INITIAL_SIZE_PROPERTY);
        if (value == null) {
            return -1;
        }
        try {
            return Integer.parseInt(value);
        } catch (NumberFormatException e) {
            // The JDK's words, and like the JDK's no cause: the message carries it.
            throw new Error("Value of property '" + INITIAL_SIZE_PROPERTY + "' is invalid: " + e);
        }
    }

    /** An instance of the {@value #THREAD_FACTORY_PROPERTY} class, or null if unset. */
    private static ThreadFactory threadFactory() {
        String name = System.getProperty(THREAD_FACTORY_PROPERTY);
        if (name == null) {
            return null;
        }
        Object instance;
        try {
            instance = Class.forName(name, true, ClassLoader.getSystemClassLoader()).getConstructor().newInstance();
        } catch (InvocationTargetException e) {
            throw new Error("Property '" + THREAD_FACTORY_PROPERTY + "': the constructor of " + name + " failed: "
                    + e.getCause(), e.getCause());
        } catch (ReflectiveOperationException | LinkageError e) {
            throw new Error(e.toString(), e);
        }
        if (!(instance instanceof ThreadFactory factory)) {
            throw new Error(new ClassCastException("Property '" + THREAD_FACTORY_PROPERTY + "': " + name
                    + " is not a " + ThreadFactory.class.getName()));
        }
        return factory;
    }
}
