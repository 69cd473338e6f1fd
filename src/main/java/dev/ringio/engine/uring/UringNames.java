package dev.ringio.engine.uring;

import java.util.ArrayList;
import java.util.List;

/**
 * Names of io_uring opcodes and feature bits (linux/io_uring.h), for {@code ringio info} and error
 * messages. Numbers past the table print as {@code op#N} / {@code feature#N}: a kernel newer than
 * this table still reports them. Stateless; any thread.
 */
public final class UringNames {

    private static final String[] OPS = {
        "NOP", "READV", "WRITEV", "FSYNC", "READ_FIXED", "WRITE_FIXED", "POLL_ADD", "POLL_REMOVE",
        "SYNC_FILE_RANGE", "SENDMSG", "RECVMSG", "TIMEOUT", "TIMEOUT_REMOVE", "ACCEPT", "ASYNC_CANCEL",
        "LINK_TIMEOUT", "CONNECT", "FALLOCATE", "OPENAT", "CLOSE", "FILES_UPDATE", "STATX", "READ", "WRITE",
        "FADVISE", "MADVISE", "SEND", "RECV", "OPENAT2", "EPOLL_CTL", "SPLICE", "PROVIDE_BUFFERS",
        "REMOVE_BUFFERS", "TEE", "SHUTDOWN", "RENAMEAT", "UNLINKAT", "MKDIRAT", "SYMLINKAT", "LINKAT",
        "MSG_RING", "FSETXATTR", "SETXATTR", "FGETXATTR", "GETXATTR", "SOCKET", "URING_CMD", "SEND_ZC",
        "SENDMSG_ZC", "READ_MULTISHOT", "WAITID", "FUTEX_WAIT", "FUTEX_WAKE", "FUTEX_WAITV",
        "FIXED_FD_INSTALL", "FTRUNCATE", "BIND", "LISTEN", "RECV_ZC", "EPOLL_WAIT", "READV_FIXED",
        "WRITEV_FIXED",
    };

    private static final String[] FEATURES = {
        "SINGLE_MMAP", "NODROP", "SUBMIT_STABLE", "RW_CUR_POS", "CUR_PERSONALITY", "FAST_POLL",
        "POLL_32BITS", "SQPOLL_NONFIXED", "EXT_ARG", "NATIVE_WORKERS", "RSRC_TAGS", "CQE_SKIP",
        "LINKED_FILE", "REG_REG_RING", "RECVSEND_BUNDLE", "MIN_TIMEOUT", "RW_ATTR", "NO_IOWAIT",
    };

    private UringNames() {
    }

    /** {@code IORING_OP_<name>} without the prefix, or {@code op#N}. */
    public static String opName(int op) {
        return op >= 0 && op < OPS.length ? OPS[op] : "op#" + op;
    }

    /** The names of the {@code IORING_FEAT_*} bits set in {@code features}. */
    public static List<String> featureNames(int features) {
        List<String> names = new ArrayList<>();
        for (int bit = 0; bit < 32; bit++) {
            if ((features & (1 << bit)) != 0) {
                names.add(bit < FEATURES.length ? FEATURES[bit] : "feature#" + bit);
            }
        }
        return names;
    }
}
