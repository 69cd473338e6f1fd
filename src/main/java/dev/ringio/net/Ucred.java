package dev.ringio.net;

/**
 * The value of {@code SO_PEERCRED} ({@code struct ucred}): the credentials of the process at the
 * other end of a Unix socket, as they were when it connected (or called {@code socketpair}).
 * {@code uid} and {@code gid} are C's unsigned {@code uid_t}/{@code gid_t}; an unconnected socket
 * reports pid 0 and uid/gid -1 ({@code (uid_t) -1}).
 *
 * @param pid the peer's process id
 * @param uid the peer's effective user id
 * @param gid the peer's effective group id
 */
public record Ucred(int pid, int uid, int gid) {
}
