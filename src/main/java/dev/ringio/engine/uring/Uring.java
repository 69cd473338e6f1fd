package dev.ringio.engine.uring;

/** io_uring ABI constants (include/uapi/linux/io_uring.h); stable kernel ABI. */
final class Uring {
    // setup flags
    static final int SETUP_CQSIZE = 1 << 3;
    static final int SETUP_CLAMP = 1 << 4;
    static final int SETUP_SUBMIT_ALL = 1 << 7;
    static final int SETUP_COOP_TASKRUN = 1 << 8;
    static final int SETUP_TASKRUN_FLAG = 1 << 9;
    static final int SETUP_SINGLE_ISSUER = 1 << 12;
    static final int SETUP_DEFER_TASKRUN = 1 << 13;

    // enter flags
    static final int ENTER_GETEVENTS = 1;
    static final int ENTER_REGISTERED_RING = 1 << 4;

    // SQ ring flags
    static final int SQ_NEED_WAKEUP = 1;
    static final int SQ_CQ_OVERFLOW = 1 << 1;
    static final int SQ_TASKRUN = 1 << 2;

    // features
    static final int FEAT_NODROP = 1 << 1;
    static final int FEAT_EXT_ARG = 1 << 8;

    // opcodes
    static final byte OP_NOP = 0;
    static final byte OP_READV = 1;
    static final byte OP_WRITEV = 2;
    static final byte OP_FSYNC = 3;
    static final byte OP_READ_FIXED = 4;
    static final byte OP_WRITE_FIXED = 5;
    static final byte OP_POLL_ADD = 6;
    static final byte OP_TIMEOUT = 11;
    static final byte OP_ASYNC_CANCEL = 14;
    static final byte OP_FALLOCATE = 17;
    static final byte OP_STATX = 21;
    static final byte OP_READ = 22;
    static final byte OP_WRITE = 23;
    static final byte OP_OPENAT2 = 28;
    static final byte OP_RENAMEAT = 35;
    static final byte OP_UNLINKAT = 36;
    static final byte OP_MKDIRAT = 37;
    static final byte OP_SYMLINKAT = 38;
    static final byte OP_LINKAT = 39;     // kernel 5.15
    static final byte OP_SENDMSG = 9;
    static final byte OP_RECVMSG = 10;
    static final byte OP_ACCEPT = 13;
    static final byte OP_CONNECT = 16;
    static final byte OP_SEND = 26;
    static final byte OP_RECV = 27;
    static final byte OP_SPLICE = 30;
    static final byte OP_SHUTDOWN = 34;
    static final byte OP_SOCKET = 45;     // kernel 5.19
    static final byte OP_SEND_ZC = 47;    // kernel 6.0
    static final byte OP_FTRUNCATE = 55;  // kernel 6.9
    static final byte OP_BIND = 56;       // kernel 6.11
    static final byte OP_LISTEN = 57;     // kernel 6.11

    static final int ACCEPT_MULTISHOT = 1;        // sqe.ioprio
    static final int RECV_MULTISHOT = 1 << 1;     // sqe.ioprio
    static final int IOSQE_BUFFER_SELECT = 1 << 5;
    static final int CQE_F_BUFFER = 1;
    static final int CQE_F_NOTIF = 1 << 3;
    static final int CQE_BUFFER_SHIFT = 16;
    static final int OP_MAX_PROBED = 256;

    static final int FSYNC_DATASYNC = 1;
    static final int TIMEOUT_ABS = 1;
    static final int CQE_F_MORE = 1 << 1;

    // user_data values with the top bit set are ringio's own (SlotTable tokens never have it)
    static final long UD_WAKEUP = 0x8000_0000_0000_0001L;
    static final long UD_IGNORE = 0x8000_0000_0000_0002L;

    private Uring() {
    }
}
