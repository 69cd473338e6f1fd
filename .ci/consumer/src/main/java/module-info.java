/** The consumer check's application, a module so that it can also run from a jlink image. */
module example.consumer {
    requires dev.ringio;
}
