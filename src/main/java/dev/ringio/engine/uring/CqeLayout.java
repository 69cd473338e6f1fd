package dev.ringio.engine.uring;

/** {@code struct io_uring_cqe} (include/uapi/linux/io_uring.h), without CQE32. */
final class CqeLayout {
    static final int SIZE = 16;
    static final int USER_DATA = 0; // __u64
    static final int RES = 8;       // __s32
    static final int FLAGS = 12;    // __u32 IORING_CQE_F_*

    private CqeLayout() {
    }
}
