package dev.ringio.blocking;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.lang.foreign.MemorySegment;
import java.net.SocketTimeoutException;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedByInterruptException;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import dev.ringio.EngineGroup;
import dev.ringio.Fd;
import dev.ringio.IoEngine;
import dev.ringio.NativeIoException;
import dev.ringio.blocking.TryFirst.TryKind;
import dev.ringio.buffers.Chunk;
import dev.ringio.engine.TransferOp;
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
import static dev.ringio.blocking.TryFirst.NOT_NOW;
import static dev.ringio.blocking.WaitExceptions.addCount;

/**
 * The blocking form of every {@link IoEngine} operation, for code written in the thread-per-task
 * style. The calling thread parks until the operation's completion arrives and the engine's loop
 * unparks it: on a virtual thread that frees the carrier for other virtual threads, so ten thousand
 * virtual threads blocked in {@code recv} cost ten thousand small stacks, not ten thousand carriers.
 * Platform threads work the same way.
 *
 * <p><b>Fast path.</b> Chunk reads and writes ({@link #read(Fd, Chunk, int, long)},
 * {@link #write(Fd, Chunk, int, long)}) go through the engine's allocation-free completion API with a
 * per-thread waiter: no {@link CompletableFuture} is made. Every other operation waits on the
 * engine's future.
 *
 * <p><b>Try first.</b> Where the answer may already be there, the calling thread asks the kernel
 * itself without waiting, and parks only when it would have to wait (the JDK's virtual-thread
 * sockets do the same): a chunk read of a regular file tries {@code preadv2(RWF_NOWAIT)} (served
 * from the page cache), and on a socket {@link #recv(Fd, Chunk, int, Set) recv} and
 * {@link #send(Fd, Chunk, int, Set) send} with a chunk or a direct buffer, and
 * {@link #sendAll(Fd, ByteBuffer, Set) sendAll} with a direct buffer, try {@code MSG_DONTWAIT} first.
 * A result there costs one syscall and no hand-off to the loop; {@code EAGAIN} falls through to
 * the engine. A thread whose interrupt status is already set gets the interrupt semantics below
 * without trying (descriptor closed, {@link ClosedByInterruptException}); heap buffers, direct
 * buffers of a shared arena (which another thread may close during the syscall), and anything the
 * engine would refuse (a freed chunk, a bad length) take the engine path and fail there with its
 * message.
 *
 * <p><b>Memory.</b> The engine's rules apply (see {@link IoEngine}, "Memory"): memory that is not
 * alive is refused with {@link IllegalStateException} before anything reaches the kernel; heap and
 * shared-arena memory is copied through ringio's bounce memory. One difference: memory of a confined
 * arena, which the engine refuses, is accepted here, as the JDK's blocking channels accept it from
 * its owner thread: the call copies it into (a write) or out of (a read) a heap stand-in on the
 * calling thread, and the stand-in goes through the engine. From another thread the copy fails
 * with {@link WrongThreadException}, as in the JDK.
 *
 * <p><b>Interrupt.</b> A thread interrupted while parked gets channel semantics, as a JDK
 * {@code InterruptibleChannel} gives: the operation is cancelled (in the kernel where the engine
 * can), the descriptor it works on is closed through the engine, the interrupt status stays set,
 * and the call throws {@link ClosedByInterruptException}. A result that won the race is not leaked
 * (an accepted or opened descriptor is closed). Interrupting a call with no descriptor (sleep,
 * getaddrinfo, open) cancels it and throws {@link InterruptedIOException}. A transfer that had
 * moved bytes reports them as {@code java.io} does: a buffer's position has moved past them (as a
 * JDK channel's), and the {@link InterruptedIOException} (the cause of a
 * {@link ClosedByInterruptException}; a {@link SocketTimeoutException} after a timeout) has the
 * count in {@code bytesTransferred}.
 *
 * <p><b>Asynchronous close.</b> As a JDK channel's close wakes the threads blocked on it, a close
 * of the descriptor by another thread — through the engine ({@link #close(Fd)},
 * {@code engine.close(fd)}) or {@link Fd#close()} — wakes a thread blocked in an operation on it:
 * the operation is cancelled through the engine and the call throws
 * {@link java.nio.channels.AsynchronousCloseException}, also when the close lands after the
 * operation started but before the thread parked. A descriptor closed before the operation could
 * take hold of it gives the engine's {@code EBADF} {@link NativeIoException}.
 *
 * <p><b>Errors.</b> Kernel failures are {@link NativeIoException}s naming the operation and errno,
 * as the engine reports them; end of file and end of stream are {@code -1} where the engine says so.
 *
 * <p>Threading: any thread except the engine's loop thread (a blocking call there could never be
 * woken, so it throws {@link IllegalStateException}). Stateless apart from the per-thread waiter.
 */
public final class BlockingIo extends BlockingFileOps {

    private final ChunkTransfer chunks;
    private final TryFirst tries;

    /**
     * Blocking operations on {@code engine}.
     *
     * @param engine the engine the operations run on
     */
    public BlockingIo(IoEngine engine) {
        super(engine);
        this.chunks = new ChunkTransfer(engine, waits);
        this.tries = new TryFirst(engine);
    }

    /**
     * Blocking operations over an {@link EngineGroup}: an operation on a descriptor runs on the
     * descriptor's {@linkplain EngineGroup#owner(Fd) owner}, and the first operation on a new
     * descriptor (a socket, an accepted connection, an opened file) claims it for
     * {@link EngineGroup#next()}, so the virtual threads of a thread-per-connection server spread
     * their connections over the group's loops; operations without a descriptor (open, socket, path
     * operations, sleep) go to {@code next()}. {@link #engine()} is then a view of the group as one
     * engine (its {@code bufferPool()} is the first engine's; buffer rings need a single engine and
     * are refused there). Blocking calls are refused on every loop thread of the group.
     *
     * @param group the engines to spread the operations over
     * @return blocking operations over {@code group}
     */
    public static BlockingIo of(EngineGroup group) {
        return new BlockingIo(new GroupRouting(group));
    }

    /**
     * The engine the operations run on (for {@link #of(EngineGroup)}, the group seen as one
     * engine).
     *
     * @return the engine
     */
    public IoEngine engine() {
        return engine;
    }

    // ---- waiting (FutureWait), the fast path (ChunkTransfer), try first (TryFirst) ---------------

    /**
     * Waits for {@code f}, an operation on {@code fd} (null for none), with the interrupt and
     * asynchronous-close semantics above; its value, or its failure as an IOException.
     *
     * @param <T> the operation's result type
     * @param op the operation's name, for exceptions
     * @param fd the descriptor the operation is on (closed asynchronously, the call ends), or
     *           {@code null}
     * @param f the operation's future
     * @return the operation's result
     * @throws IOException the operation's failure ({@link NativeIoException} with errno), an
     *                     interrupt or an asynchronous close
     */
    public <T> T await(String op, Fd fd, CompletableFuture<T> f) throws IOException {
        return await(op, fd, f, -1);
    }

    /**
     * As {@link #await(String, Fd, CompletableFuture)}, giving up after {@code timeoutNanos}
     * ({@code -1}: never): the operation is then cancelled and, unless its result won the race (then
     * the result is returned), the call throws {@link SocketTimeoutException}. The descriptor stays
     * open after a timeout.
     *
     * @param <T> the operation's result type
     * @param op the operation's name, for exceptions
     * @param fd the descriptor the operation is on (closed asynchronously, the call ends), or
     *           {@code null}
     * @param f the operation's future
     * @param timeoutNanos the most nanoseconds to wait, or {@code -1} for no limit
     * @return the operation's result
     * @throws IOException the operation's failure, an interrupt, an asynchronous close, or {@link
     *                     SocketTimeoutException}
     */
    public <T> T await(String op, Fd fd, CompletableFuture<T> f, long timeoutNanos) throws IOException {
        return waits.await(op, fd, f, timeoutNanos);
    }

    /**
     * One read of up to {@code len} bytes into {@code chunk} (READ_FIXED where the pool is
     * registered); the count, or -1 at end of file. Allocation-free.
     *
     * @param fd the descriptor
     * @param chunk a chunk of the engine's buffer pool
     * @param len the number of bytes, {@code 0 <= len <= chunk.size()}
     * @param fileOffset the absolute file position, or {@code -1} for the current position
     * @return the byte count, or -1 at end of file
     * @throws IOException if the operation fails (with errno), or the wait is interrupted or closed
     */
    public int read(Fd fd, Chunk chunk, int len, long fileOffset) throws IOException {
        if (len == 0) {
            // No room: 0 at once, as the future API and the JDK's read answer, not a wait for data.
            return await("read", fd, engine.readUpTo(fd, chunk, 0, fileOffset));
        }
        // Not for O_DIRECT: a read under RWF_NOWAIT waits for the device there, holding a carrier.
        if (fd.kind() == Fd.Kind.FILE && fileOffset >= -1 && !fd.isDirect()) {
            long now = tryNow(TryKind.READ, "read", fd, chunk, len, fileOffset);
            if (now != NOT_NOW) {
                return now == 0 && len > 0 ? -1 : (int) now;
            }
        }
        int r = rawTransfer("read", true, fd, chunk, len, fileOffset);
        return r == 0 && len > 0 ? -1 : r;
    }

    /**
     * Writes all {@code len} bytes of {@code chunk}. One allocation-free write; should the kernel
     * write less (a pipe or socket under pressure), the rest goes out through the future API.
     *
     * @param fd the descriptor
     * @param chunk a chunk of the engine's buffer pool
     * @param len the number of bytes, {@code 0 <= len <= chunk.size()}
     * @param fileOffset the absolute file position, or {@code -1} for the current position
     * @throws IOException if the operation fails (with errno), or the wait is interrupted or closed
     */
    public void write(Fd fd, Chunk chunk, int len, long fileOffset) throws IOException {
        int n = rawTransfer("write", false, fd, chunk, len, fileOffset);
        if (n < len) {
            MemorySegment rest = chunk.segment().asSlice(n, len - n);
            await("write", fd, engine.write(fd, rest, fileOffset < 0 ? -1 : fileOffset + n));
        }
    }

    private int rawTransfer(String op, boolean read, Fd fd, Chunk chunk, int len, long fileOffset) throws IOException {
        return chunks.transfer(op, read, fd, chunk, len, fileOffset);
    }

    private long tryNow(TryKind kind, String op, Fd fd, Chunk chunk, int len, long arg) throws IOException {
        return tries.tryNow(kind, op, fd, chunk, len, arg);
    }

    private long tryNow(TryKind kind, String op, Fd fd, ByteBuffer buf, Set<MsgFlag> flags) throws IOException {
        return tries.tryNow(kind, op, fd, buf, flags);
    }

    // ---- every other operation ------------------------------------------------------------------------

    /**
     * Blocking {@link IoEngine#noop()}: a round trip through the kernel.
     *
     * @throws IOException if the operation fails (with errno), or the wait is interrupted or closed
     */
    public void noop() throws IOException {
        await("noop", null, engine.noop());
    }

    /**
     * Blocking {@link IoEngine#sleep(Duration)}: parks for {@code delay}.
     *
     * @param delay how long to sleep
     * @throws IOException if the operation fails (with errno), or the wait is interrupted or closed
     */
    public void sleep(Duration delay) throws IOException {
        await("sleep", null, engine.sleep(delay));
    }

    /**
     * Blocking {@link IoEngine#sleepUntil(long)}: parks until {@code deadline}.
     *
     * @param deadline the {@link System#nanoTime()} value to wake at
     * @throws IOException if the operation fails (with errno), or the wait is interrupted or closed
     */
    public void sleepUntil(long deadline) throws IOException {
        await("sleep", null, engine.sleepUntil(deadline));
    }

    /**
     * Closes {@code fd} through the engine (cancelling its operations) and waits until it is
     * closed.
     *
     * @param fd the descriptor
     * @throws IOException if the operation fails (with errno), or the wait is interrupted or closed
     */
    public void close(Fd fd) throws IOException {
        await("close", null, engine.close(fd));
    }

    /**
     * Blocking {@code getrandom(2)}: fills {@code dst} with random bytes.
     *
     * @param dst the memory to fill
     * @return the byte count
     * @throws IOException if the operation fails (with errno), or the wait is interrupted or closed
     */
    public int getrandom(MemorySegment dst) throws IOException {
        if (ConfinedCopies.any(dst)) {
            return ConfinedCopies.segments(new MemorySegment[] {dst}, true, s -> getrandom(s[0]), n -> n);
        }
        return await("getrandom", null, engine.getrandom(dst));
    }

    /**
     * Blocking {@link IoEngine#awaitReadable}: waits until {@code fd} is readable.
     *
     * @param fd the descriptor
     * @return the {@code POLL*} events seen
     * @throws IOException if the operation fails (with errno), or the wait is interrupted or closed
     */
    public int awaitReadable(Fd fd) throws IOException {
        return await("awaitReadable", fd, engine.awaitReadable(fd));
    }

    /**
     * Blocking {@link IoEngine#awaitWritable}: waits until {@code fd} is writable.
     *
     * @param fd the descriptor
     * @return the {@code POLL*} events seen
     * @throws IOException if the operation fails (with errno), or the wait is interrupted or closed
     */
    public int awaitWritable(Fd fd) throws IOException {
        return await("awaitWritable", fd, engine.awaitWritable(fd));
    }

    /**
     * Blocking {@code getaddrinfo(3)}; see {@link IoEngine#getaddrinfo}.
     *
     * @param node the host name or numeric address, or {@code null}
     * @param service the service name or port number, or {@code null}
     * @param hints what to look for
     * @return every address found
     * @throws IOException if the operation fails (with errno), or the wait is interrupted or closed
     */
    public List<AddrInfo> getaddrinfo(String node, String service, Hints hints) throws IOException {
        return await("getaddrinfo", null, engine.getaddrinfo(node, service, hints));
    }

    /**
     * Blocking {@code socket(2)}, close-on-exec.
     *
     * @param domain the address family
     * @param type the socket type and modifiers
     * @param protocol the protocol
     * @return the new socket, which the caller owns
     * @throws IOException if the operation fails (with errno), or the wait is interrupted or closed
     */
    public Fd socket(Domain domain, Set<SocketType> type, Protocol protocol) throws IOException {
        return await("socket", null, engine.socket(domain, type, protocol));
    }

    /**
     * Blocking {@code bind(2)}.
     *
     * @param fd the descriptor
     * @param address the socket address
     * @throws IOException if the operation fails (with errno), or the wait is interrupted or closed
     */
    public void bind(Fd fd, SockAddr address) throws IOException {
        await("bind", fd, engine.bind(fd, address));
    }

    /**
     * Blocking {@code listen(2)}.
     *
     * @param fd the descriptor
     * @param backlog the length of the queue of pending connections
     * @throws IOException if the operation fails (with errno), or the wait is interrupted or closed
     */
    public void listen(Fd fd, int backlog) throws IOException {
        await("listen", fd, engine.listen(fd, backlog));
    }

    /**
     * Blocking accept of one connection.
     *
     * @param listener a listening socket
     * @return the accepted connection and its peer's address
     * @throws IOException if the operation fails (with errno), or the wait is interrupted or closed
     */
    public Accepted accept(Fd listener) throws IOException {
        return await("accept", listener, engine.accept(listener));
    }

    /**
     * Blocking {@code connect(2)}: returns when connected.
     *
     * @param fd the descriptor
     * @param address the socket address
     * @throws IOException if the operation fails (with errno), or the wait is interrupted or closed
     */
    public void connect(Fd fd, SockAddr address) throws IOException {
        await("connect", fd, engine.connect(fd, address));
    }

    /**
     * connect giving up after {@code timeout}: {@link SocketTimeoutException}, the socket still
     * open.
     *
     * @param fd the descriptor
     * @param address the socket address
     * @param timeout how long to wait for the connection
     * @throws IOException if the operation fails (with errno), or the wait is interrupted or closed
     */
    public void connect(Fd fd, SockAddr address, Duration timeout) throws IOException {
        await("connect", fd, engine.connect(fd, address), timeout.toNanos());
    }

    /**
     * Blocking {@link IoEngine#send(Fd, ByteBuffer, Set)}: one send, which may be short; advances
     * the position.
     *
     * @param fd the descriptor
     * @param src the bytes to send or write
     * @param flags the {@code MSG_*} flags to add
     * @return the byte count sent
     * @throws IOException if the operation fails (with errno), or the wait is interrupted or closed
     */
    public int send(Fd fd, ByteBuffer src, Set<MsgFlag> flags) throws IOException {
        if (ConfinedCopies.any(src)) {
            return ConfinedCopies.buffer(src, false, b -> send(fd, b, flags));
        }
        long now = tryNow(TryKind.SEND, "send", fd, src, flags);
        if (now != NOT_NOW) {
            return (int) now;
        }
        return await("send", fd, engine.send(fd, src, flags));
    }

    /**
     * Blocking {@link IoEngine#sendAll}: sends every byte of {@code src}, advancing its position.
     *
     * @param fd the descriptor
     * @param src the bytes to send or write
     * @param flags the {@code MSG_*} flags to add
     * @throws IOException if the operation fails (with errno), or the wait is interrupted or closed
     */
    public void sendAll(Fd fd, ByteBuffer src, Set<MsgFlag> flags) throws IOException {
        if (ConfinedCopies.any(src)) {
            ConfinedCopies.buffer(src, false, b -> {
                sendAll(fd, b, flags);
                return 0;
            });
            return;
        }
        // As much as the socket takes at once; the rest, if any, through the engine.
        boolean sent = false;
        int start = src == null ? 0 : src.position();
        while (src != null && src.hasRemaining()) {
            long now = tryNow(TryKind.SEND, "sendAll", fd, src, flags);
            if (now == NOT_NOW || now == 0) {
                break;
            }
            sent = true;
        }
        if (!sent || src.hasRemaining()) {
            int tried = sent ? src.position() - start : 0; // what the try first moved
            try {
                await("sendAll", fd, engine.sendAll(fd, src, flags));
            } catch (InterruptedIOException | ClosedByInterruptException e) {
                throw addCount(e, tried);
            }
        }
    }

    /**
     * Blocking {@link IoEngine#send(Fd, Chunk, int, Set)}: one send of {@code len} bytes of {@code
     * chunk}.
     *
     * @param fd the descriptor
     * @param chunk a chunk of the engine's buffer pool
     * @param len the number of bytes, {@code 0 <= len <= chunk.size()}
     * @param flags the {@code MSG_*} flags to add
     * @return the byte count sent
     * @throws IOException if the operation fails (with errno), or the wait is interrupted or closed
     */
    public int send(Fd fd, Chunk chunk, int len, Set<MsgFlag> flags) throws IOException {
        if (fd.kind() == Fd.Kind.SOCKET) {
            long now = tryNow(TryKind.SEND, "send", fd, chunk, len, TransferOp.msgFlags(flags, true));
            if (now != NOT_NOW) {
                return (int) now;
            }
        }
        return await("send", fd, engine.send(fd, chunk, len, flags));
    }

    /**
     * Blocking {@link IoEngine#recv(Fd, ByteBuffer, Set)}: one receive; advances the position.
     *
     * @param fd the descriptor
     * @param dst the memory to fill
     * @param flags the {@code MSG_*} flags to add
     * @return the byte count, or -1 at end of stream
     * @throws IOException if the operation fails (with errno), or the wait is interrupted or closed
     */
    public int recv(Fd fd, ByteBuffer dst, Set<MsgFlag> flags) throws IOException {
        if (ConfinedCopies.any(dst)) {
            return ConfinedCopies.buffer(dst, true, b -> recv(fd, b, flags));
        }
        long now = tryNow(TryKind.RECV, "recv", fd, dst, flags);
        if (now != NOT_NOW) {
            return now == 0 ? -1 : (int) now;
        }
        return await("recv", fd, engine.recv(fd, dst, flags));
    }

    /**
     * recv giving up after {@code timeout} ({@link SocketTimeoutException}; the socket stays
     * usable).
     *
     * @param fd the descriptor
     * @param dst the memory to fill
     * @param flags the {@code MSG_*} flags to add
     * @param timeout how long to wait for data
     * @return the byte count, or -1 at end of stream
     * @throws IOException if the operation fails (with errno), or the wait is interrupted or closed
     */
    public int recv(Fd fd, ByteBuffer dst, Set<MsgFlag> flags, Duration timeout) throws IOException {
        if (ConfinedCopies.any(dst)) {
            return ConfinedCopies.buffer(dst, true, b -> recv(fd, b, flags, timeout));
        }
        return await("recv", fd, engine.recv(fd, dst, flags), timeout.toNanos());
    }

    /**
     * Blocking {@link IoEngine#recv(Fd, Chunk, int, Set)}: one receive into {@code chunk}.
     *
     * @param fd the descriptor
     * @param chunk a chunk of the engine's buffer pool
     * @param len the number of bytes, {@code 0 <= len <= chunk.size()}
     * @param flags the {@code MSG_*} flags to add
     * @return the byte count, or -1 at end of stream
     * @throws IOException if the operation fails (with errno), or the wait is interrupted or closed
     */
    public int recv(Fd fd, Chunk chunk, int len, Set<MsgFlag> flags) throws IOException {
        if (fd.kind() == Fd.Kind.SOCKET) {
            long now = tryNow(TryKind.RECV, "recv", fd, chunk, len, TransferOp.msgFlags(flags, false));
            if (now != NOT_NOW) {
                return now == 0 ? -1 : (int) now;
            }
        }
        return await("recv", fd, engine.recv(fd, chunk, len, flags));
    }

    /**
     * Blocking {@code sendto}: one datagram to {@code destination}.
     *
     * @param fd the descriptor
     * @param src the bytes to send or write
     * @param flags the {@code MSG_*} flags to add
     * @param destination the address to send to
     * @return the byte count sent
     * @throws IOException if the operation fails (with errno), or the wait is interrupted or closed
     */
    public int sendTo(Fd fd, ByteBuffer src, Set<MsgFlag> flags, SockAddr destination) throws IOException {
        if (ConfinedCopies.any(src)) {
            return ConfinedCopies.buffer(src, false, b -> sendTo(fd, b, flags, destination));
        }
        return await("sendTo", fd, engine.sendTo(fd, src, flags, destination));
    }

    /**
     * Blocking {@code recvfrom}: one receive with the sender's address.
     *
     * @param fd the descriptor
     * @param dst the memory to fill
     * @param flags the {@code MSG_*} flags to add
     * @return the count received and the sender's address
     * @throws IOException if the operation fails (with errno), or the wait is interrupted or closed
     */
    public ReceivedMessage recvFrom(Fd fd, ByteBuffer dst, Set<MsgFlag> flags) throws IOException {
        if (ConfinedCopies.any(dst)) {
            return ConfinedCopies.buffer(dst, true, b -> recvFrom(fd, b, flags));
        }
        return await("recvFrom", fd, engine.recvFrom(fd, dst, flags));
    }

    /**
     * Blocking {@link IoEngine#sendMsg}: gathers {@code buffers}, passing {@code fds}.
     *
     * @param fd the descriptor
     * @param buffers the buffers, in order
     * @param fds the descriptors to pass (SCM_RIGHTS), possibly empty
     * @param destination the address to send to
     * @return the byte count sent
     * @throws IOException if the operation fails (with errno), or the wait is interrupted or closed
     */
    public long sendMsg(Fd fd, ByteBuffer[] buffers, List<Fd> fds, SockAddr destination) throws IOException {
        if (ConfinedCopies.any(buffers)) {
            return ConfinedCopies.buffers(buffers, false, b -> sendMsg(fd, b, fds, destination));
        }
        return await("sendMsg", fd, engine.sendMsg(fd, buffers, fds, destination));
    }

    /**
     * Blocking {@link IoEngine#recvMsg}: scatters into {@code buffers}.
     *
     * @param fd the descriptor
     * @param buffers the buffers, in order
     * @return the count received, the sender's address and flags
     * @throws IOException if the operation fails (with errno), or the wait is interrupted or closed
     */
    public ReceivedMessage recvMsg(Fd fd, ByteBuffer[] buffers) throws IOException {
        if (ConfinedCopies.any(buffers)) {
            return ConfinedCopies.buffers(buffers, true, b -> recvMsg(fd, b));
        }
        return await("recvMsg", fd, engine.recvMsg(fd, buffers));
    }

    /**
     * Blocking {@link IoEngine#recvMsgWithFds}: accepts up to {@code maxFds} descriptors.
     *
     * @param fd the descriptor
     * @param maxFds the most descriptors to accept
     * @param buffers the buffers, in order
     * @return the count received, the sender's address and the descriptors passed
     * @throws IOException if the operation fails (with errno), or the wait is interrupted or closed
     */
    public ReceivedMessage recvMsgWithFds(Fd fd, int maxFds, ByteBuffer[] buffers) throws IOException {
        if (ConfinedCopies.any(buffers)) {
            return ConfinedCopies.buffers(buffers, true, b -> recvMsgWithFds(fd, maxFds, b));
        }
        return await("recvMsgWithFds", fd, engine.recvMsgWithFds(fd, maxFds, buffers));
    }

    /**
     * Blocking {@code shutdown(2)}; ENOTCONN is not an error.
     *
     * @param fd the descriptor
     * @param how which direction(s) to shut down
     * @throws IOException if the operation fails (with errno), or the wait is interrupted or closed
     */
    public void shutdown(Fd fd, ShutdownHow how) throws IOException {
        await("shutdown", fd, engine.shutdown(fd, how));
    }

    /**
     * Blocking {@code splice(2)}: moves up to {@code len} bytes from {@code src} to {@code dst}.
     *
     * @param src the descriptor to read from
     * @param dst the descriptor to write to
     * @param len the most bytes to move
     * @return the byte count moved, or -1 at end of stream
     * @throws IOException if the operation fails (with errno), or the wait is interrupted or closed
     */
    public int splice(Fd src, Fd dst, int len) throws IOException {
        return await("splice", src, engine.splice(src, dst, len));
    }

    /**
     * Blocking {@link IoEngine#sendZeroCopy}.
     *
     * @param fd the descriptor
     * @param src the bytes to send or write
     * @param flags the {@code MSG_*} flags to add
     * @return the byte count sent
     * @throws IOException if the operation fails (with errno), or the wait is interrupted or closed
     */
    public int sendZeroCopy(Fd fd, ByteBuffer src, Set<MsgFlag> flags) throws IOException {
        if (ConfinedCopies.any(src)) {
            return ConfinedCopies.buffer(src, false, b -> sendZeroCopy(fd, b, flags));
        }
        return await("sendZeroCopy", fd, engine.sendZeroCopy(fd, src, flags));
    }

    /**
     * Sleeps {@code amount} of {@code unit}; a convenience for code that thinks in TimeUnits.
     *
     * @param amount how long to sleep, in {@code unit}
     * @param unit the unit of {@code amount}
     * @throws IOException if the operation fails (with errno), or the wait is interrupted or closed
     */
    public void sleep(long amount, TimeUnit unit) throws IOException {
        sleep(Duration.ofNanos(unit.toNanos(amount)));
    }

    // ---- permissions, ownership, hard links, in-kernel copies, raw socket protocols (issue 13) ----

    /**
     * Blocking {@link IoEngine#socket(Domain, Set, int)}: {@code socket(2)} with a raw protocol
     * number, close-on-exec.
     *
     * @param domain the address family
     * @param type the socket type and modifiers
     * @param protocol the protocol number, {@code >= 0} (0: the domain's usual protocol)
     * @return the new socket, which the caller owns
     * @throws IOException if the operation fails (with errno), or the wait is interrupted or closed
     */
    public Fd socket(Domain domain, Set<SocketType> type, int protocol) throws IOException {
        return await("socket", null, engine.socket(domain, type, protocol));
    }

    /**
     * Blocking {@link IoEngine#fchmodat}: sets the permission bits of {@code path}.
     *
     * @param dir the directory {@code path} is relative to, or {@code null} for the current directory
     * @param path the file
     * @param mode the permission bits, 0..07777
     * @param flags 0 or {@code AtFlags.AT_SYMLINK_NOFOLLOW}
     * @throws IOException if the operation fails (with errno), or the wait is interrupted or closed
     */
    public void fchmodat(Fd dir, String path, int mode, int flags) throws IOException {
        await("fchmodat", null, engine.fchmodat(dir, path, mode, flags));
    }

    /**
     * Blocking {@link IoEngine#fchmod}: sets the permission bits of an open file.
     *
     * @param fd the open file
     * @param mode the permission bits, 0..07777
     * @throws IOException if the operation fails (with errno), or the wait is interrupted or closed
     */
    public void fchmod(Fd fd, int mode) throws IOException {
        await("fchmod", fd, engine.fchmod(fd, mode));
    }

    /**
     * Blocking {@link IoEngine#fchownat}: sets the owner and group of {@code path}.
     *
     * @param dir the directory {@code path} is relative to, or {@code null} for the current directory
     * @param path the file
     * @param uid the new owner, or -1 to leave it
     * @param gid the new group, or -1 to leave it
     * @param flags {@code AtFlags.AT_SYMLINK_NOFOLLOW} and/or {@code AtFlags.AT_EMPTY_PATH}, or 0
     * @throws IOException if the operation fails (with errno), or the wait is interrupted or closed
     */
    public void fchownat(Fd dir, String path, int uid, int gid, int flags) throws IOException {
        await("fchownat", null, engine.fchownat(dir, path, uid, gid, flags));
    }

    /**
     * Blocking {@link IoEngine#fchown}: sets the owner and group of an open file.
     *
     * @param fd the open file
     * @param uid the new owner, or -1 to leave it
     * @param gid the new group, or -1 to leave it
     * @throws IOException if the operation fails (with errno), or the wait is interrupted or closed
     */
    public void fchown(Fd fd, int uid, int gid) throws IOException {
        await("fchown", fd, engine.fchown(fd, uid, gid));
    }

    /**
     * Blocking {@link IoEngine#linkat}: a new name (hard link) for an existing file.
     *
     * @param oldDir the directory {@code oldPath} is relative to, or {@code null} for the current directory
     * @param oldPath the existing file
     * @param newDir the directory {@code newPath} is relative to, or {@code null} for the current directory
     * @param newPath the new name
     * @param flags {@code AtFlags.AT_SYMLINK_FOLLOW} and/or {@code AtFlags.AT_EMPTY_PATH}, or 0
     * @throws IOException if the operation fails (with errno), or the wait is interrupted or closed
     */
    public void linkat(Fd oldDir, String oldPath, Fd newDir, String newPath, int flags) throws IOException {
        await("linkat", null, engine.linkat(oldDir, oldPath, newDir, newPath, flags));
    }

    /**
     * Blocking {@link IoEngine#copyFileRange}: one {@code copy_file_range(2)}.
     *
     * @param in the file to copy from
     * @param inOffset where to read, or -1 for {@code in}'s position
     * @param out the file to copy to
     * @param outOffset where to write, or -1 for {@code out}'s position
     * @param length the most bytes to copy, {@code >= 0}
     * @return the bytes copied (0 at the end of {@code in})
     * @throws IOException if the operation fails (with errno), or the wait is interrupted or closed
     */
    public long copyFileRange(Fd in, long inOffset, Fd out, long outOffset, long length) throws IOException {
        return await("copyFileRange", out, engine.copyFileRange(in, inOffset, out, outOffset, length));
    }

    /**
     * Blocking {@link IoEngine#sendfile}: one {@code sendfile(2)}.
     *
     * @param out where the bytes go
     * @param in the file they come from
     * @param offset where to read {@code in}, or -1 for its position
     * @param count the most bytes to copy, {@code >= 0}
     * @return the bytes copied (0 at the end of {@code in})
     * @throws IOException if the operation fails (with errno), or the wait is interrupted or closed
     */
    public long sendfile(Fd out, Fd in, long offset, long count) throws IOException {
        return await("sendfile", out, engine.sendfile(out, in, offset, count));
    }
}
