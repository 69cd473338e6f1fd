/*
 * ringio-seccomp-launcher PROGRAM [ARGS...]
 *
 * Test-only helper (issue 4, "the Docker case, for real"): reproduces what Docker's default seccomp
 * profile does to io_uring, then execs PROGRAM with ARGS. It
 *   1. sets PR_SET_NO_NEW_PRIVS (required to install a filter without CAP_SYS_ADMIN, and inherited
 *      across execve, so the filter cannot be shed by exec'ing a set-uid program);
 *   2. installs a seccomp BPF filter (SECCOMP_SET_MODE_FILTER) that makes io_uring_setup (425),
 *      io_uring_enter (426) and io_uring_register (427) fail with EPERM and allows every other
 *      system call;
 *   3. execv's PROGRAM (a path: no PATH search) with ARGS.
 * Filters survive execve and are inherited by every thread and child, so the whole JVM runs under it.
 *
 * Written by hand against <linux/filter.h>/<linux/seccomp.h>/<linux/audit.h>: libseccomp is not
 * required. x86_64 only (the shim itself is built for linux-x86_64).
 *
 * Exit status: 127 if PROGRAM cannot be executed; 126 if the filter cannot be installed; 2 on a
 * usage error. Otherwise the launcher is replaced by PROGRAM.
 */
#define _GNU_SOURCE 1
#include <errno.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <linux/audit.h>
#include <linux/filter.h>
#include <linux/seccomp.h>

#if !defined(__x86_64__)
#error "ringio-seccomp-launcher checks AUDIT_ARCH_X86_64 and the x86_64 syscall numbers; build it on x86_64"
#endif

/* x86_64 numbers (identical on every architecture using the generic table since 5.1). Spelled out
 * so that an old <sys/syscall.h> cannot silently drop a rule. */
#define NR_IO_URING_SETUP    425
#define NR_IO_URING_ENTER    426
#define NR_IO_URING_REGISTER 427

#if defined(__NR_io_uring_setup) && __NR_io_uring_setup != NR_IO_URING_SETUP
#error "unexpected __NR_io_uring_setup"
#endif

/* Bit 30 marks x32 system calls (same AUDIT_ARCH_X86_64, numbers | 0x40000000). */
#define X32_SYSCALL_BIT 0x40000000u

static int install_filter(void)
{
    struct sock_filter filter[] = {
        /* [0] A = seccomp_data.arch */
        BPF_STMT(BPF_LD | BPF_W | BPF_ABS, offsetof(struct seccomp_data, arch)),
        /* [1] A == AUDIT_ARCH_X86_64 ? go on : jump to [9], allow.
         *     Why allow rather than kill for a foreign arch: this launcher only emulates Docker's
         *     io_uring refusal, it is no sandbox. A JVM never makes i386 (int 0x80) calls; and the
         *     i386 io_uring numbers are the same 425-427, but a complete deny-list for them is out of
         *     scope. Killing would turn an unexpected path into a crash that hides what is tested. */
        BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, AUDIT_ARCH_X86_64, 0, 7),
        /* [2] A = seccomp_data.nr */
        BPF_STMT(BPF_LD | BPF_W | BPF_ABS, offsetof(struct seccomp_data, nr)),
        /* [3] clear the x32 bit so x32 io_uring calls (0x40000000 | 425..427) are refused too */
        BPF_STMT(BPF_ALU | BPF_AND | BPF_K, ~X32_SYSCALL_BIT),
        /* [4]-[6] io_uring_* → [8], EPERM */
        BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, NR_IO_URING_SETUP, 3, 0),
        BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, NR_IO_URING_ENTER, 2, 0),
        BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, NR_IO_URING_REGISTER, 1, 0),
        /* [7] anything else */
        BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ALLOW),
        /* [8] refuse, as Docker's default profile does (the syscall is not in its allow-list) */
        BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ERRNO | (EPERM & SECCOMP_RET_DATA)),
        /* [9] foreign architecture (see [1]) */
        BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ALLOW),
    };
    struct sock_fprog prog = {
        .len = (unsigned short) (sizeof filter / sizeof filter[0]),
        .filter = filter,
    };

    if (prctl(PR_SET_NO_NEW_PRIVS, 1L, 0L, 0L, 0L) != 0) {
        fprintf(stderr, "ringio-seccomp-launcher: prctl(PR_SET_NO_NEW_PRIVS): %s\n", strerror(errno));
        return -1;
    }
    /* Prefer the seccomp(2) system call; fall back to prctl on kernels/libcs without it. */
    if (syscall(SYS_seccomp, SECCOMP_SET_MODE_FILTER, 0L, &prog) != 0) {
        int e = errno;
        if (e != ENOSYS || prctl(PR_SET_SECCOMP, SECCOMP_MODE_FILTER, &prog, 0L, 0L) != 0) {
            if (e == ENOSYS) {
                e = errno;
            }
            fprintf(stderr, "ringio-seccomp-launcher: seccomp(SECCOMP_SET_MODE_FILTER): %s\n", strerror(e));
            return -1;
        }
    }
    return 0;
}

int main(int argc, char **argv)
{
    if (argc < 2 || argv[1][0] == '\0') {
        fprintf(stderr,
                "usage: %s PROGRAM [ARGS...]\n"
                "  Runs PROGRAM (a path; PATH is not searched) with io_uring_setup, io_uring_enter and\n"
                "  io_uring_register failing with EPERM under a seccomp filter, as in Docker's default\n"
                "  profile. Every other system call is allowed.\n",
                argc > 0 ? argv[0] : "ringio-seccomp-launcher");
        return 2;
    }
    if (install_filter() != 0) {
        return 126;
    }
    execv(argv[1], argv + 1);
    fprintf(stderr, "ringio-seccomp-launcher: cannot execute %s: %s\n", argv[1], strerror(errno));
    return 127;
}
