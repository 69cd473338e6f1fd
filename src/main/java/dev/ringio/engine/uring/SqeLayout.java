package dev.ringio.engine.uring;

import dev.ringio.sys.Shim;

/**
 * {@code struct io_uring_sqe} (include/uapi/linux/io_uring.h): the field offsets ringio writes.
 * Checked against the shim's {@code offsetof} values by {@link Layouts#verify(Shim)}.
 */
final class SqeLayout {
    static final int SIZE = 64;
    static final int OPCODE = 0;       // __u8
    static final int FLAGS = 1;        // __u8  IOSQE_*
    static final int IOPRIO = 2;       // __u16
    static final int FD = 4;           // __s32
    static final int OFF = 8;          // __u64 off / addr2
    static final int ADDR = 16;        // __u64 addr / splice_off_in
    static final int LEN = 24;         // __u32
    static final int OP_FLAGS = 28;    // __u32 rw_flags, fsync_flags, poll32_events, timeout_flags, ...
    static final int USER_DATA = 32;   // __u64
    static final int BUF_INDEX = 40;   // __u16 buf_index / buf_group
    static final int PERSONALITY = 42; // __u16
    static final int SPLICE_FD_IN = 44;// __s32 splice_fd_in / file_index
    static final int ADDR3 = 48;       // __u64

    private SqeLayout() {
    }
}
