/**
 * ringio: completion-based I/O for Java on Linux io_uring, with the same interface on an epoll
 * engine where io_uring is missing or forbidden.
 *
 * <h2>Where to start</h2>
 * <ul>
 *   <li>{@link dev.ringio.IoEngines}: open an engine ({@code IoEngines.open()} picks io_uring, else
 *       epoll, and says why), probe what this machine allows, or start an engine group;</li>
 *   <li>{@link dev.ringio.IoEngine}: the one interface, every operation (files, sockets, timers,
 *       cancellation) returning a {@code CompletableFuture} that the engine's loop thread completes;
 *       its Javadoc gives the threading rule, the memory rules and the errors;</li>
 *   <li>{@link dev.ringio.blocking.BlockingIo}: the same operations as blocking calls that park a
 *       virtual thread on the completion, for thread-per-connection code, with socket and
 *       channel adapters ({@link dev.ringio.blocking.RingioSocket},
 *       {@link dev.ringio.blocking.RingioServerSocket});</li>
 *   <li>{@link dev.ringio.nio.RingioAsynchronousChannelProvider}: java.nio's asynchronous channels
 *       on ringio, for existing code, by
 *       {@code -Djava.nio.channels.spi.AsynchronousChannelProvider=dev.ringio.nio.RingioAsynchronousChannelProvider};</li>
 *   <li>{@link dev.ringio.net.Sockets} and {@link dev.ringio.net.SocketOptions}: socket addresses
 *       and typed options; {@link dev.ringio.buffers.FixedBufferPool}: the registered buffers.</li>
 * </ul>
 *
 * <h2>As a dependency</h2>
 * The artifact {@code dev.ringio:ringio} brings {@code ringio-shim} (module {@code dev.ringio.shim},
 * the native library), {@code ringio-fixed-buffers} ({@code dev.ringio.buffers}) and JCTools. It
 * runs on the class path ({@code --enable-native-access=ALL-UNNAMED}), on the module path
 * ({@code --enable-native-access=dev.ringio -p <jars> --add-modules dev.ringio}) and in a jlink
 * image. The default binding is the JDK's FFM API; the JNR-FFI binding
 * ({@code -Dringio.binding=jnr}) needs {@code com.github.jnr:jnr-ffi} added by the application and
 * ringio on the class path.
 *
 * <p>Exported: {@code dev.ringio}, {@code dev.ringio.net}, {@code dev.ringio.os},
 * {@code dev.ringio.blocking} and {@code dev.ringio.nio}. The engine implementations and the native
 * binding stay inside the module.
 */
module dev.ringio {
    requires transitive dev.ringio.buffers;
    // No classes: it carries libringio.so, which NativeLibrary finds through this module.
    requires dev.ringio.shim;
    requires org.jctools.core;
    requires static org.jnrproject.ffi;

    exports dev.ringio;
    exports dev.ringio.os;
    exports dev.ringio.net;
    exports dev.ringio.blocking;
    exports dev.ringio.nio;

    // JNR-FFI generates the Shim implementation reflectively. (Only with ringio on the class path:
    // the generated class lives in an unnamed module, see NativeLibrary.requireJnrFfi.)
    opens dev.ringio.sys to org.jnrproject.ffi;
}
