package dev.ringio.blocking;

import java.lang.foreign.MemorySegment;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.CompletableFuture;

import dev.ringio.BufferRing;
import dev.ringio.Capability;
import dev.ringio.EngineGroup;
import dev.ringio.Fd;
import dev.ringio.FileStat;
import dev.ringio.IoEngine;
import dev.ringio.Multishot;
import dev.ringio.MultishotHandler;
import dev.ringio.NativeIoException;
import dev.ringio.RawCompletion;
import dev.ringio.Resolve;
import dev.ringio.buffers.Chunk;
import dev.ringio.buffers.FixedBufferPool;
import dev.ringio.net.Accepted;
import dev.ringio.net.AddrInfo;
import dev.ringio.net.Domain;
import dev.ringio.net.Hints;
import dev.ringio.net.MsgFlag;
import dev.ringio.net.Protocol;
import dev.ringio.net.ReceivedMessage;
import dev.ringio.net.ShutdownHow;
import dev.ringio.net.SockAddr;
import dev.ringio.net.SocketType;

/**
 * An {@link EngineGroup} seen as one {@link IoEngine}, for {@link BlockingIo#of(EngineGroup)}: an
 * operation on a descriptor goes to the descriptor's {@linkplain EngineGroup#owner(Fd) owner}
 * (which the first operation on a new descriptor claims with {@link EngineGroup#next()}, so the
 * connections a server accepts, and the virtual threads serving them, spread over the group's
 * loops); an operation without one (open, socket, a path operation, a timer, getaddrinfo) goes to
 * {@link EngineGroup#next()}. {@code splice} goes to its source's owner; {@code readDir} to the
 * directory's.
 *
 * <p>What has no single engine: {@link #bufferPool()} is the first engine's (its chunks work on
 * every engine of the group, registered only on that one); {@link #capabilities()} are the first
 * engine's (every engine of a group is of one kind); {@link #inLoop()} is true on any loop of the
 * group; {@link #bufferRing} and {@link #recvMultishot} need one ring, so they throw
 * {@link UnsupportedOperationException} (use one of {@link EngineGroup#engines()}); {@link #close()}
 * closes the group.
 *
 * <p>Threading: any thread, as {@link IoEngine}.
 */
final class GroupRouting implements IoEngine {

    private final EngineGroup group;

    GroupRouting(EngineGroup group) {
        this.group = Objects.requireNonNull(group, "group");
    }

    /** The group behind this view. */
    EngineGroup group() {
        return group;
    }

    /** The engine for an operation on {@code fd}: its owner; for null, any (the engine reports the null). */
    private IoEngine on(Fd fd) {
        return fd == null ? group.next() : group.owner(fd);
    }

    @Override
    public String toString() {
        return "GroupRouting[" + group + "]";
    }

    @Override
    public String name() {
        return group.name();
    }

    @Override
    public java.util.Set<Capability> capabilities() {
        return group.engines().getFirst().capabilities();
    }

    @Override
    public FixedBufferPool bufferPool() {
        return group.engines().getFirst().bufferPool();
    }

    @Override
    public boolean fixedBuffersRegistered() {
        return group.engines().getFirst().fixedBuffersRegistered();
    }

    @Override
    public boolean isClosed() {
        return group.isClosed();
    }

    @Override
    public boolean inLoop() {
        return group.current() != null;
    }

    @Override
    public void execute(Runnable task) {
        group.next().execute(task);
    }

    @Override
    public void submitNoop(RawCompletion completion) {
        group.next().submitNoop(completion);
    }

    @Override
    public void submitRead(Fd fd, Chunk chunk, int len, long fileOffset, RawCompletion completion) throws NativeIoException {
        on(fd).submitRead(fd, chunk, len, fileOffset, completion);
    }

    @Override
    public void submitWrite(Fd fd, Chunk chunk, int len, long fileOffset, RawCompletion completion) throws NativeIoException {
        on(fd).submitWrite(fd, chunk, len, fileOffset, completion);
    }

    @Override
    public CompletableFuture<Void> noop() {
        return group.next().noop();
    }

    @Override
    public CompletableFuture<Void> sleepUntil(long deadline) {
        return group.next().sleepUntil(deadline);
    }

    @Override
    public CompletableFuture<Void> sleep(Duration delay) {
        return group.next().sleep(delay);
    }

    @Override
    public CompletableFuture<Fd> openat2(Fd dir, String path, int flags, int mode, Set<Resolve> resolve) {
        return group.next().openat2(dir, path, flags, mode, resolve);
    }

    @Override
    public CompletableFuture<Fd> open(Path path, int flags, int mode) {
        return group.next().open(path, flags, mode);
    }

    @Override
    public CompletableFuture<Void> close(Fd fd) {
        return on(fd).close(fd);
    }

    @Override
    public CompletableFuture<Integer> readUpTo(Fd fd, Chunk chunk, int len, long fileOffset) {
        return on(fd).readUpTo(fd, chunk, len, fileOffset);
    }

    @Override
    public CompletableFuture<Void> readExactly(Fd fd, Chunk chunk, int len, long fileOffset) {
        return on(fd).readExactly(fd, chunk, len, fileOffset);
    }

    @Override
    public CompletableFuture<Integer> read(Fd fd, MemorySegment dst, long fileOffset) {
        return on(fd).read(fd, dst, fileOffset);
    }

    @Override
    public CompletableFuture<Integer> read(Fd fd, ByteBuffer dst, long fileOffset) {
        return on(fd).read(fd, dst, fileOffset);
    }

    @Override
    public CompletableFuture<Long> readv(Fd fd, ByteBuffer[] dsts, long fileOffset) {
        return on(fd).readv(fd, dsts, fileOffset);
    }

    @Override
    public CompletableFuture<Long> readv(Fd fd, MemorySegment[] dsts, long fileOffset) {
        return on(fd).readv(fd, dsts, fileOffset);
    }

    @Override
    public CompletableFuture<Void> write(Fd fd, Chunk chunk, int len, long fileOffset) {
        return on(fd).write(fd, chunk, len, fileOffset);
    }

    @Override
    public CompletableFuture<Void> write(Fd fd, MemorySegment src, long fileOffset) {
        return on(fd).write(fd, src, fileOffset);
    }

    @Override
    public CompletableFuture<Void> write(Fd fd, ByteBuffer src, long fileOffset) {
        return on(fd).write(fd, src, fileOffset);
    }

    @Override
    public CompletableFuture<Void> writev(Fd fd, ByteBuffer[] srcs, long fileOffset) {
        return on(fd).writev(fd, srcs, fileOffset);
    }

    @Override
    public CompletableFuture<Long> writevSingle(Fd fd, ByteBuffer[] srcs, long fileOffset) {
        return on(fd).writevSingle(fd, srcs, fileOffset);
    }

    @Override
    public CompletableFuture<Void> fsync(Fd fd) {
        return on(fd).fsync(fd);
    }

    @Override
    public CompletableFuture<Void> fdatasync(Fd fd) {
        return on(fd).fdatasync(fd);
    }

    @Override
    public CompletableFuture<FileStat> statx(Fd dir, String path, int flags, int mask) {
        return group.next().statx(dir, path, flags, mask);
    }

    @Override
    public CompletableFuture<FileStat> fstat(Fd fd) {
        return on(fd).fstat(fd);
    }

    @Override
    public CompletableFuture<Void> ftruncate(Fd fd, long length) {
        return on(fd).ftruncate(fd, length);
    }

    @Override
    public CompletableFuture<Void> fallocate(Fd fd, int mode, long offset, long length) {
        return on(fd).fallocate(fd, mode, offset, length);
    }

    @Override
    public CompletableFuture<Void> unlinkat(Fd dir, String path, boolean directory) {
        return group.next().unlinkat(dir, path, directory);
    }

    @Override
    public CompletableFuture<Void> mkdirat(Fd dir, String path, int mode) {
        return group.next().mkdirat(dir, path, mode);
    }

    @Override
    public CompletableFuture<Void> renameat(Fd oldDir, String oldPath, Fd newDir, String newPath, int flags) {
        return group.next().renameat(oldDir, oldPath, newDir, newPath, flags);
    }

    @Override
    public CompletableFuture<Void> symlinkat(String target, Fd dir, String linkPath) {
        return group.next().symlinkat(target, dir, linkPath);
    }

    @Override
    public CompletableFuture<List<String>> readDir(Fd dir) {
        return on(dir).readDir(dir);
    }

    @Override
    public CompletableFuture<Integer> getrandom(MemorySegment dst) {
        return group.next().getrandom(dst);
    }

    @Override
    public CompletableFuture<Integer> awaitReadable(Fd fd) {
        return on(fd).awaitReadable(fd);
    }

    @Override
    public CompletableFuture<Integer> awaitWritable(Fd fd) {
        return on(fd).awaitWritable(fd);
    }

    @Override
    public CompletableFuture<List<AddrInfo>> getaddrinfo(String node, String service, Hints hints) {
        return group.next().getaddrinfo(node, service, hints);
    }

    @Override
    public CompletableFuture<Fd> socket(Domain domain, Set<SocketType> type, Protocol protocol) {
        return group.next().socket(domain, type, protocol);
    }

    @Override
    public CompletableFuture<Void> bind(Fd fd, SockAddr address) {
        return on(fd).bind(fd, address);
    }

    @Override
    public CompletableFuture<Void> listen(Fd fd, int backlog) {
        return on(fd).listen(fd, backlog);
    }

    @Override
    public CompletableFuture<Accepted> accept(Fd listener) {
        return on(listener).accept(listener);
    }

    @Override
    public Multishot acceptMultishot(Fd listener, MultishotHandler<Accepted> handler) {
        return on(listener).acceptMultishot(listener, handler);
    }

    @Override
    public CompletableFuture<Void> connect(Fd fd, SockAddr address) {
        return on(fd).connect(fd, address);
    }

    @Override
    public CompletableFuture<Integer> send(Fd fd, ByteBuffer src, Set<MsgFlag> flags) {
        return on(fd).send(fd, src, flags);
    }

    @Override
    public CompletableFuture<Void> sendAll(Fd fd, ByteBuffer src, Set<MsgFlag> flags) {
        return on(fd).sendAll(fd, src, flags);
    }

    @Override
    public CompletableFuture<Integer> send(Fd fd, Chunk chunk, int len, Set<MsgFlag> flags) {
        return on(fd).send(fd, chunk, len, flags);
    }

    @Override
    public CompletableFuture<Integer> recv(Fd fd, ByteBuffer dst, Set<MsgFlag> flags) {
        return on(fd).recv(fd, dst, flags);
    }

    @Override
    public CompletableFuture<Integer> recv(Fd fd, Chunk chunk, int len, Set<MsgFlag> flags) {
        return on(fd).recv(fd, chunk, len, flags);
    }

    @Override
    public CompletableFuture<Integer> sendTo(Fd fd, ByteBuffer src, Set<MsgFlag> flags, SockAddr destination) {
        return on(fd).sendTo(fd, src, flags, destination);
    }

    @Override
    public CompletableFuture<ReceivedMessage> recvFrom(Fd fd, ByteBuffer dst, Set<MsgFlag> flags) {
        return on(fd).recvFrom(fd, dst, flags);
    }

    @Override
    public CompletableFuture<Long> sendMsg(Fd fd, ByteBuffer[] buffers, List<Fd> fds, SockAddr destination) {
        return on(fd).sendMsg(fd, buffers, fds, destination);
    }

    @Override
    public CompletableFuture<ReceivedMessage> recvMsg(Fd fd, ByteBuffer[] buffers) {
        return on(fd).recvMsg(fd, buffers);
    }

    @Override
    public CompletableFuture<ReceivedMessage> recvMsgWithFds(Fd fd, int maxFds, ByteBuffer[] buffers) {
        return on(fd).recvMsgWithFds(fd, maxFds, buffers);
    }

    @Override
    public CompletableFuture<Void> shutdown(Fd fd, ShutdownHow how) {
        return on(fd).shutdown(fd, how);
    }

    @Override
    public CompletableFuture<Integer> splice(Fd src, Fd dst, int len) {
        return on(src).splice(src, dst, len);
    }

    @Override
    public CompletableFuture<Integer> sendZeroCopy(Fd fd, ByteBuffer src, Set<MsgFlag> flags) {
        return on(fd).sendZeroCopy(fd, src, flags);
    }

    @Override
    public BufferRing bufferRing(int entries, int bufferSize) {
        throw new UnsupportedOperationException("bufferRing: an engine group has no one ring; use one of group.engines()");
    }

    @Override
    public Multishot recvMultishot(Fd fd, BufferRing ring, MultishotHandler<MemorySegment> handler) {
        throw new UnsupportedOperationException("recvMultishot: an engine group has no one ring; use one of group.engines()");
    }

    /** Closes the group: every engine (see {@link EngineGroup#close()}). */
    @Override
    public void close() {
        group.close();
    }

    // ---- permissions, ownership, hard links, in-kernel copies, raw socket protocols (issue 13) ----

    @Override
    public CompletableFuture<Fd> socket(Domain domain, Set<SocketType> type, int protocol) {
        return group.next().socket(domain, type, protocol);
    }

    @Override
    public CompletableFuture<Void> fchmodat(Fd dir, String path, int mode, int flags) {
        return group.next().fchmodat(dir, path, mode, flags);
    }

    @Override
    public CompletableFuture<Void> fchmod(Fd fd, int mode) {
        return on(fd).fchmod(fd, mode);
    }

    @Override
    public CompletableFuture<Void> fchownat(Fd dir, String path, int uid, int gid, int flags) {
        return group.next().fchownat(dir, path, uid, gid, flags);
    }

    @Override
    public CompletableFuture<Void> fchown(Fd fd, int uid, int gid) {
        return on(fd).fchown(fd, uid, gid);
    }

    @Override
    public CompletableFuture<Void> linkat(Fd oldDir, String oldPath, Fd newDir, String newPath, int flags) {
        return group.next().linkat(oldDir, oldPath, newDir, newPath, flags);
    }

    @Override
    public CompletableFuture<Long> copyFileRange(Fd in, long inOffset, Fd out, long outOffset, long length) {
        return on(in).copyFileRange(in, inOffset, out, outOffset, length);
    }

    @Override
    public CompletableFuture<Long> sendfile(Fd out, Fd in, long offset, long count) {
        return on(out).sendfile(out, in, offset, count);
    }
}
