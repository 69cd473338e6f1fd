/**
 * ringio: completion-based I/O on io_uring.
 *
 * <p>Exported: {@code dev.ringio} (the engine interface, {@code Fd}, errors, results) and
 * {@code dev.ringio.os} (pipes and other raw OS devices). The engine implementations and the
 * native binding stay inside the module.
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

    // JNR-FFI generates the Shim implementation reflectively.
    opens dev.ringio.sys to org.jnrproject.ffi;
}
