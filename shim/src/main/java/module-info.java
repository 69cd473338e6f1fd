/**
 * ringio's native shim: {@code libringio.so} (C over liburing, linked statically), packaged as the
 * resource {@code native/linux-x86_64/libringio.so} for {@code dev.ringio} to extract and load.
 *
 * <p>The module has no classes. It is a module (not an automatic one) so that it can go on the
 * module path and into a jlink image, and {@code dev.ringio} requires it so that
 * {@code --add-modules dev.ringio} resolves it. The resource's directory is not a package name
 * ({@code native} is a keyword), so the resource is not encapsulated: other modules read it.
 */
module dev.ringio.shim {
}
