package dev.ringio;

import java.util.List;

/**
 * What the running kernel's io_uring offers ({@link IoEngines#ioUringProbe()}), as {@code ringio
 * info} prints it.
 *
 * @param ops      the opcodes IORING_REGISTER_PROBE reports as supported, by name ({@code "READ"}, ...)
 * @param features the {@code IORING_FEAT_*} bits the kernel sets, by name ({@code "NODROP"}, ...)
 */
public record IoUringProbe(List<String> ops, List<String> features) {

    /**
     * Copies the lists.
     *
     * @param ops the opcodes IORING_REGISTER_PROBE reports as supported, by name ({@code "READ"},
     *            ...)
     * @param features the {@code IORING_FEAT_*} bits the kernel sets, by name ({@code "NODROP"},
     *                 ...)
     */
    public IoUringProbe {
        ops = List.copyOf(ops);
        features = List.copyOf(features);
    }
}
