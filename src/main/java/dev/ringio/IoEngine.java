package dev.ringio;

import java.lang.foreign.MemorySegment;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;

import dev.ringio.buffers.Chunk;
import dev.ringio.buffers.FixedBufferPool;
import dev.ringio.net.Accepted;
import dev.ringio.net.AddrInfo;
import dev.ringio.net.Hints;
import dev.ringio.net.Domain;
import dev.ringio.net.MsgFlag;
import dev.ringio.net.Protocol;
import dev.ringio.net.ReceivedMessage;
import dev.ringio.net.ShutdownHow;
import dev.ringio.net.SockAddr;
import dev.ringio.net.SocketType;

/**
 * A completion-based I/O engine: every operation returns a {@link CompletableFuture} that the
 * engine's loop thread completes when the kernel reports the result.
 *
 * <h2>Threading</h2>
 * Every method is safe from any thread unless its documentation says "loop thread only".
 * Futures complete on the loop thread, so dependent stages run there too; put heavy work on the
 * {@code ...Async} variants with an executor. Never block the loop thread: {@code join()} or
 * {@code get()} of a pending future of this engine on its loop thread (inside a callback) would
 * wait for itself, so it throws {@link IllegalStateException}.
 *
 * <h2>Errors</h2>
 * Arguments are checked before anything reaches the kernel: a bad one throws
 * {@link IllegalArgumentException} (or {@link NullPointerException}) from the method itself. A
 * closed {@link Fd} or a freed {@link Chunk} fails the returned future ({@link NativeIoException}
 * with {@code EBADF}, or {@link IllegalStateException}). A kernel failure fails the future with a
 * {@link NativeIoException} naming the operation and errno. {@code EINTR} is retried.
 *
 * <h2>Memory</h2>
 * Every operation taking a {@link MemorySegment} or a {@link ByteBuffer} checks it before anything
 * reaches the kernel: memory that is not alive (its arena closed), or that belongs to a confined
 * arena (the result arrives on the loop thread, which may not touch it; the JDK's asynchronous
 * channels refuse it too), makes the method throw an {@link IllegalStateException} naming the
 * operation. Memory the caller cannot free while the operation is in flight — segments of the
 * global arena (including {@code MemorySegment.ofAddress(..).reinterpret(..)}, whose lifetime the
 * caller vouches for) or of automatic arenas, {@link ByteBuffer#allocateDirect} buffers, pool chunks
 * — is used in place and kept reachable until the future completes. Heap memory and shared-arena
 * memory (which the caller may close at any time) go through ringio's pooled bounce memory: a write
 * copies the bytes in when it is submitted; a read copies them out when they arrive, and if the
 * caller closed the arena meanwhile, the future fails with an {@link IllegalStateException} and
 * the bytes are dropped (the kernel only ever held ringio's memory). Through bounce memory, a file
 * or pipe transfer moves at most 256 KiB per kernel operation: a read may return a shorter count
 * than the memory could hold; writes loop until every byte went. Socket and message transfers are
 * never cut. See {@code docs/reliability.md}, "Memory handed to the kernel".
 *
 * <h2>File offsets</h2>
 * {@code fileOffset} is an absolute position ({@code >= 0}), or {@code -1} for the descriptor's
 * current position (which is then advanced), as pipes and sockets require.
 *
 * <h2>Cancellation</h2>
 * {@code future.cancel(true)} asks the kernel to cancel the operation. The future then completes
 * with whatever the kernel reports: a {@link java.util.concurrent.CancellationException} if it
 * cancelled the operation, or the operation's own result if that won the race (so a result is
 * never lost). {@code cancel} returns true at once; {@code isCancelled()} becomes true when the
 * engine has completed the future.
 *
 * <h2>Partial progress</h2>
 * The looping transfers ({@link #readExactly}, the {@code write}s of everything, {@link #writev},
 * {@link #sendAll}) that are cancelled, fail, or are cut short by {@link #close()} after moving
 * bytes say how many: the failure keeps its usual type and implements {@link PartialProgress}
 * ({@link TransferCancelledException}, {@link NativeIoException#bytesTransferred()},
 * {@link EngineClosedException#bytesTransferred()}, {@link ShortReadException}). The bytes are in
 * the chunk, or past a {@link ByteBuffer}'s advanced position, or at the peer.
 *
 * <h2>Deadlines</h2>
 * {@code future.orTimeout(timeout, unit)} on a future this engine returned (or
 * {@link #withDeadline withDeadline(future, duration)}, the same with a {@link Duration}) gives the
 * operation a deadline that cancels it <em>in the kernel</em>, unlike a plain
 * {@code CompletableFuture}'s, which only completes the future and leaves the operation holding
 * its descriptor, chunk and memory until the descriptor is closed. When the deadline passes first,
 * the engine cancels the operation as {@code cancel} does (an io_uring {@code TIMEOUT} of the
 * engine's own, then {@code ASYNC_CANCEL}; the readiness engine's timer heap, then the operation
 * is taken off its descriptor) and fails the future with a {@link DeadlineExceededException}, a
 * {@link java.util.concurrent.TimeoutException} whose cause is the cancellation; a looping
 * transfer's count is in it ({@link PartialProgress}), and one deadline covers the whole transfer.
 * What the operation holds is released once the kernel has let go of it. A result that wins the
 * race is delivered, and a deadline that does not expire leaves nothing behind: its timer is
 * removed when the operation ends. {@code completeOnTimeout(value, ..)} cancels the same way and
 * then completes with the value. Dependent stages ({@code thenApply} and the like) are plain
 * futures: put the deadline on the engine's future itself. Multishot operations have no future;
 * end them with {@link Multishot#cancel()}. See {@code docs/reliability.md}, "Deadlines".
 *
 * <h2>Lifetime</h2>
 * {@link #close()} stops taking work, cancels what is in flight, waits for every completion and
 * frees the ring. Every future completes; submitting afterwards fails with
 * {@link EngineClosedException}.
 */
public interface IoEngine extends AutoCloseable {

    /**
     * Gives {@code op} a deadline {@code timeout} from now: {@code op.orTimeout(timeout)}. On a
     * future an engine returned, the deadline cancels the operation in the kernel and the future
     * fails with a {@link DeadlineExceededException} (see "Deadlines" above); on any other future
     * it is {@link CompletableFuture#orTimeout}. A timeout too long for a {@code long} of
     * nanoseconds never expires. Any thread.
     *
     * @param <T> the future's result type
     * @param op the future to give a deadline
     * @param timeout how long from now until the deadline, {@code >= 0}
     * @return {@code op}
     * @throws IllegalArgumentException if {@code timeout} is negative
     */
    static <T> CompletableFuture<T> withDeadline(CompletableFuture<T> op, Duration timeout) {
        java.util.Objects.requireNonNull(op, "op");
        java.util.Objects.requireNonNull(timeout, "timeout");
        if (timeout.isNegative()) {
            throw new IllegalArgumentException("withDeadline: negative timeout " + timeout);
        }
        long nanos;
        try {
            nanos = timeout.toNanos();
        } catch (ArithmeticException tooLong) {
            nanos = Long.MAX_VALUE;
        }
        return op.orTimeout(nanos, java.util.concurrent.TimeUnit.NANOSECONDS);
    }

    /**
     * The engine's name: {@code "io_uring"}, {@code "epoll"}, {@code "kqueue"}.
     *
     * @return the engine's name
     */
    String name();

    /**
     * What this engine can do beyond the common operations; see {@link Capability}.
     *
     * @return the engine's capabilities (an unmodifiable set)
     */
    java.util.Set<Capability> capabilities();

    /**
     * Whether {@code capability} is in {@link #capabilities()}.
     *
     * @param capability the capability to look for
     * @return whether the engine supports {@code capability}
     */
    default boolean supports(Capability capability) {
        return capabilities().contains(capability);
    }

    /**
     * The engine's fixed-buffer pool (registered with the kernel where the engine can).
     *
     * @return the engine's buffer pool
     */
    FixedBufferPool bufferPool();

    /**
     * Whether chunk I/O uses registered buffers (READ_FIXED / WRITE_FIXED) right now.
     *
     * @return true if chunk reads and writes go through registered buffers
     */
    boolean fixedBuffersRegistered();

    /**
     * Whether {@link #close()} has been called.
     *
     * @return true once {@link #close()} has been called
     */
    boolean isClosed();

    /**
     * Whether the calling thread is this engine's loop thread.
     *
     * @return true on this engine's loop thread
     */
    boolean inLoop();

    /**
     * Runs {@code task} on the loop thread, soon. An exception goes to the error handler.
     *
     * @param task the task to run
     * @throws EngineClosedException if the engine is closed
     */
    void execute(Runnable task);

    // ---- low-level, allocation-free API -------------------------------------------------------

    /**
     * Submits a NOP whose result goes to {@code completion} on the loop thread. On the loop thread
     * this writes the SQE directly and allocates nothing; from another thread it is queued. If the
     * engine closes before a queued op reaches the kernel, {@code completion} receives
     * {@code -ECANCELED} (possibly on the closing thread).
     *
     * @param completion receives the result ({@code >= 0}) or {@code -errno}
     * @throws EngineClosedException if the engine is closed
     */
    void submitNoop(RawCompletion completion);

    /**
     * Submits a read of up to {@code len} bytes into {@code chunk} (READ_FIXED when registered).
     * {@code completion} receives the byte count, 0 at end of file, or {@code -errno}. The fd and
     * chunk are held until completion. Allocation-free on the loop thread.
     *
     * @param fd the descriptor
     * @param chunk a chunk of this engine's {@link #bufferPool()}
     * @param len the number of bytes, {@code 0 <= len <= chunk.size()}
     * @param fileOffset the absolute file position, or {@code -1} for the current position
     * @param completion receives the result ({@code >= 0}) or {@code -errno}
     * @throws IllegalArgumentException for a bad length or offset
     * @throws NativeIoException        if {@code fd} is closed
     * @throws IllegalStateException    if {@code chunk} was freed
     */
    void submitRead(Fd fd, Chunk chunk, int len, long fileOffset, RawCompletion completion) throws NativeIoException;

    /**
     * As {@link #submitRead}, writing {@code len} bytes from {@code chunk} (one op; may be short).
     *
     * @param fd the descriptor
     * @param chunk a chunk of this engine's {@link #bufferPool()}
     * @param len the number of bytes, {@code 0 <= len <= chunk.size()}
     * @param fileOffset the absolute file position, or {@code -1} for the current position
     * @param completion receives the result ({@code >= 0}) or {@code -errno}
     * @throws NativeIoException if {@code fd} is closed
     */
    void submitWrite(Fd fd, Chunk chunk, int len, long fileOffset, RawCompletion completion) throws NativeIoException;

    // ---- operations -----------------------------------------------------------------------------

    /**
     * A no-op round trip through the kernel.
     *
     * @return a future completing when the NOP comes back
     */
    CompletableFuture<Void> noop();

    /**
     * Completes at {@code deadline}, a {@link System#nanoTime()} value (CLOCK_MONOTONIC).
     *
     * @param deadline the {@link System#nanoTime()} value to wake at
     * @return a future completing at {@code deadline}
     */
    CompletableFuture<Void> sleepUntil(long deadline);

    /**
     * Completes after {@code delay}.
     *
     * @param delay how long to wait, {@code >= 0}
     * @return a future completing after {@code delay}
     */
    CompletableFuture<Void> sleep(Duration delay);

    /**
     * {@code openat2(2)}: opens {@code path} relative to {@code dir} ({@code null}: the current
     * directory). {@link OpenFlags#O_CLOEXEC} is always added.
     *
     * <p>Path strings (here and in every operation that takes one) are encoded in UTF-8, except
     * that a lone surrogate U+DC80..U+DCFF stands for the single byte 0x80..0xFF, the form in which
     * {@link #readDir} returns a name that is not valid UTF-8. Any other unpaired surrogate, and
     * NUL, cannot be encoded: the method throws {@link java.nio.file.InvalidPathException} (an
     * {@code IllegalArgumentException}) naming the operation, as {@code Path.of} refuses such a
     * string, before anything reaches the kernel.
     *
     * @param flags   {@link OpenFlags} bits
     * @param mode    permission bits for a created file (0 unless O_CREAT / O_TMPFILE)
     * @param resolve {@code RESOLVE_*} restrictions
     * @param dir the directory {@code path} is relative to, or {@code null} for the current
     *            directory
     * @param path the path (UTF-8; see {@link #openat2})
     * @return a future of the new descriptor, which the caller owns
     */
    CompletableFuture<Fd> openat2(Fd dir, String path, int flags, int mode, Set<Resolve> resolve);

    /**
     * Opens {@code path} (relative to the current directory); see {@link #openat2}. A path of the
     * default file system opens the file its bytes name, even where its {@code toString()} has
     * replaced bytes that are not valid UTF-8 (a {@code Path} from {@code Files.list}).
     *
     * @param path the file to open
     * @param flags {@link OpenFlags} bits
     * @param mode permission bits for a created file (0 unless O_CREAT / O_TMPFILE)
     * @return a future of the new descriptor, which the caller owns
     */
    CompletableFuture<Fd> open(Path path, int flags, int mode);

    /**
     * Closes {@code fd} after cancelling the operations this engine has in flight on it; completes
     * when the descriptor is closed (at once if nothing holds it). An operation cancelled this way
     * fails with a {@link NativeIoException} carrying {@code ECANCELED} (it was not the caller's
     * own {@code cancel}); one that completed first keeps its result.
     *
     * <p>One exception to "when the descriptor is closed": a call that may wait in the kernel for
     * ever (a read of a terminal, an open of a FIFO under {@code fd} as its directory), which an
     * engine cannot take its thread out of (the readiness engine), is abandoned: its operation
     * fails as above and the returned future completes ({@link Fd#whenSettled()}), but the
     * descriptor stays open, so its number is not reused under the call, until the call returns
     * ({@link Fd#whenReleased()}).
     *
     * <p>Safe against operations submitted on {@code fd} by other threads at the same time: the
     * descriptor is {@linkplain Fd#revoke revoked} first, so from then on no operation on it
     * reaches the kernel — a later one fails with {@code EBADF}, one that acquired it earlier but
     * had not reached the kernel yet fails with {@code ECANCELED} — and every one of them, and the
     * returned future, completes. Any thread.
     *
     * @param fd the descriptor to close
     * @return a future completing once the descriptor is closed (or abandoned, as above)
     */
    CompletableFuture<Void> close(Fd fd);

    /**
     * Reads up to {@code len} bytes into {@code chunk}; the count, or -1 at end of file.
     *
     * <p>A read or receive with no room ({@code len} 0, no bytes remaining, every buffer empty)
     * completes with 0 at once, without waiting for data or consuming any, as the JDK's
     * {@code read} does; so do this interface's reads, {@code readv}, {@code recv}, and on a stream
     * socket {@code recvFrom} / {@code recvMsg} / {@code recvMsgWithFds}. On a datagram socket those
     * three still take one datagram (truncated; {@code MSG_TRUNC}), as
     * {@code DatagramChannel.receive} does.
     *
     * @param fd the descriptor
     * @param chunk a chunk of this engine's {@link #bufferPool()}
     * @param len the most bytes to read, {@code 0 <= len <= chunk.size()}
     * @param fileOffset the absolute file position, or {@code -1} for the current position
     * @return a future of the byte count, or -1 at end of file
     */
    CompletableFuture<Integer> readUpTo(Fd fd, Chunk chunk, int len, long fileOffset);

    /**
     * Reads exactly {@code len} bytes into {@code chunk}, looping; {@link ShortReadException} (an
     * {@link java.io.EOFException}) with the count if the data runs out. Cancelled, failed or cut
     * short by close, the failure carries the bytes already in the chunk ({@link PartialProgress}).
     *
     * @param fd the descriptor
     * @param chunk a chunk of this engine's {@link #bufferPool()}
     * @param len the bytes to read, {@code 0 <= len <= chunk.size()}
     * @param fileOffset the absolute file position, or {@code -1} for the current position
     * @return a future completing when all {@code len} bytes are in the chunk
     */
    CompletableFuture<Void> readExactly(Fd fd, Chunk chunk, int len, long fileOffset);

    /**
     * Reads up to {@code dst.byteSize()} bytes into any segment (heap and shared-arena ones through
     * bounce memory, at most 256 KiB at a time on a file or pipe); count or -1.
     *
     * @param fd the descriptor
     * @param dst the memory to fill
     * @param fileOffset the absolute file position, or {@code -1} for the current position
     * @return a future of the byte count, or -1 at end of file
     * @throws IllegalStateException if {@code dst} is not alive or belongs to a confined arena
     */
    CompletableFuture<Integer> read(Fd fd, MemorySegment dst, long fileOffset);

    /**
     * Reads into {@code dst} between position and limit; advances the position; count or -1.
     *
     * @param fd the descriptor
     * @param dst the buffer to fill from its position to its limit
     * @param fileOffset the absolute file position, or {@code -1} for the current position
     * @return a future of the byte count, or -1 at end of file
     */
    CompletableFuture<Integer> read(Fd fd, ByteBuffer dst, long fileOffset);

    /**
     * READV: fills {@code dsts} in order with one read; count or -1. Positions are advanced.
     *
     * @param fd the descriptor
     * @param dsts the buffers to fill, in order
     * @param fileOffset the absolute file position, or {@code -1} for the current position
     * @return a future of the byte count, or -1 at end of file
     */
    CompletableFuture<Long> readv(Fd fd, ByteBuffer[] dsts, long fileOffset);

    /**
     * READV into segments, filled in order; count or -1.
     *
     * @param fd the descriptor
     * @param dsts the buffers to fill, in order
     * @param fileOffset the absolute file position, or {@code -1} for the current position
     * @return a future of the byte count, or -1 at end of file
     */
    CompletableFuture<Long> readv(Fd fd, MemorySegment[] dsts, long fileOffset);

    /**
     * Writes all {@code len} bytes of {@code chunk}, resubmitting after short writes; cancelled or
     * failed after some, the failure carries the count ({@link PartialProgress}).
     *
     * @param fd the descriptor
     * @param chunk a chunk of this engine's {@link #bufferPool()}
     * @param len the bytes to write, {@code 0 <= len <= chunk.size()}
     * @param fileOffset the absolute file position, or {@code -1} for the current position
     * @return a future completing when every byte is written
     */
    CompletableFuture<Void> write(Fd fd, Chunk chunk, int len, long fileOffset);

    /**
     * Writes all of {@code src}; cancelled or failed after some, the failure counts them ({@link
     * PartialProgress}).
     *
     * @param fd the descriptor
     * @param src the bytes to send or write
     * @param fileOffset the absolute file position, or {@code -1} for the current position
     * @return a future completing when every byte is written
     */
    CompletableFuture<Void> write(Fd fd, MemorySegment src, long fileOffset);

    /**
     * Writes all of {@code src} between position and limit; advances its position (on failure or
     * cancellation, past the bytes written, which the failure counts: {@link PartialProgress}).
     *
     * @param fd the descriptor
     * @param src the bytes to send or write
     * @param fileOffset the absolute file position, or {@code -1} for the current position
     * @return a future completing when every byte is written
     */
    CompletableFuture<Void> write(Fd fd, ByteBuffer src, long fileOffset);

    /**
     * Writes every byte of {@code srcs} (several WRITEV ops if needed, at most IOV_MAX buffers
     * each), advancing their positions; on failure or cancellation they stand past the bytes
     * written, which the failure counts ({@link PartialProgress}).
     *
     * @param fd the descriptor
     * @param srcs the buffers to write, in order
     * @param fileOffset the absolute file position, or {@code -1} for the current position
     * @return a future completing when every byte is written
     */
    CompletableFuture<Void> writev(Fd fd, ByteBuffer[] srcs, long fileOffset);

    /**
     * One WRITEV op (at most IOV_MAX buffers); the count written, which may be short. Positions
     * advance.
     *
     * @param fd the descriptor
     * @param srcs the buffers to write, in order
     * @param fileOffset the absolute file position, or {@code -1} for the current position
     * @return a future of the byte count written
     */
    CompletableFuture<Long> writevSingle(Fd fd, ByteBuffer[] srcs, long fileOffset);

    /**
     * {@code fsync(2)}.
     *
     * @param fd the descriptor
     * @return a future completing when the data and metadata are on stable storage
     */
    CompletableFuture<Void> fsync(Fd fd);

    /**
     * {@code fdatasync(2)}.
     *
     * @param fd the descriptor
     * @return a future completing when the data are on stable storage
     */
    CompletableFuture<Void> fdatasync(Fd fd);

    /**
     * {@code statx(2)} of {@code path} relative to {@code dir} ({@code null}: current directory).
     *
     * @param flags {@code AT_*} flags, e.g. {@link AtFlags#AT_SYMLINK_NOFOLLOW}
     * @param mask  {@code STATX_*} fields wanted, e.g. {@link AtFlags#STATX_BASIC_STATS}
     * @param dir the directory {@code path} is relative to, or {@code null} for the current
     *            directory
     * @param path the path (UTF-8; see {@link #openat2})
     * @return a future of the file's attributes
     */
    CompletableFuture<FileStat> statx(Fd dir, String path, int flags, int mask);

    /**
     * {@code fstat}: statx of the descriptor itself (AT_EMPTY_PATH).
     *
     * @param fd the descriptor
     * @return a future of the file's attributes
     */
    CompletableFuture<FileStat> fstat(Fd fd);

    /**
     * {@code ftruncate(2)} (FTRUNCATE on kernels that have it, else the syscall off the loop).
     *
     * @param fd the descriptor
     * @param length the new file size in bytes, {@code >= 0}
     * @return a future completing when the file has the new size
     */
    CompletableFuture<Void> ftruncate(Fd fd, long length);

    /**
     * {@code fallocate(2)}; {@code mode} 0 or {@code FALLOC_FL_*}.
     *
     * @param fd the descriptor
     * @param mode 0 (allocate, extending the size) or {@code FALLOC_FL_*} bits
     * @param offset the first byte of the range
     * @param length the range's length in bytes
     * @return a future completing when the range is allocated
     */
    CompletableFuture<Void> fallocate(Fd fd, int mode, long offset, long length);

    /**
     * {@code unlinkat(2)}; {@code directory} removes an empty directory (AT_REMOVEDIR).
     *
     * @param dir the directory {@code path} is relative to, or {@code null} for the current
     *            directory
     * @param path the path (UTF-8; see {@link #openat2})
     * @param directory true to remove an empty directory (AT_REMOVEDIR), false for a file
     * @return a future completing when the name is removed
     */
    CompletableFuture<Void> unlinkat(Fd dir, String path, boolean directory);

    /**
     * {@code mkdirat(2)}.
     *
     * @param dir the directory {@code path} is relative to, or {@code null} for the current
     *            directory
     * @param path the path (UTF-8; see {@link #openat2})
     * @param mode the new directory's permission bits (before the umask)
     * @return a future completing when the directory exists
     */
    CompletableFuture<Void> mkdirat(Fd dir, String path, int mode);

    /**
     * {@code renameat2(2)}; {@code flags} 0 or {@code RENAME_NOREPLACE} / {@code RENAME_EXCHANGE}.
     *
     * @param oldDir the directory {@code oldPath} is relative to, or {@code null} for the current
     *               directory
     * @param oldPath the name to move
     * @param newDir the directory {@code newPath} is relative to, or {@code null} for the current
     *               directory
     * @param newPath the new name
     * @param flags 0, {@code RENAME_NOREPLACE} or {@code RENAME_EXCHANGE}
     * @return a future completing when the rename is done
     */
    CompletableFuture<Void> renameat(Fd oldDir, String oldPath, Fd newDir, String newPath, int flags);

    /**
     * {@code symlinkat(2)}: creates {@code linkPath} (relative to {@code dir}) pointing at {@code
     * target}.
     *
     * @param target the path the link points at (not checked to exist)
     * @param dir the directory {@code path} is relative to, or {@code null} for the current
     *            directory
     * @param linkPath the link to create
     * @return a future completing when the link exists
     */
    CompletableFuture<Void> symlinkat(String target, Fd dir, String linkPath);

    /**
     * The names in a directory (without "." and ".."), read with getdents64 off the loop. A name
     * is decoded as UTF-8; each byte that is not part of valid UTF-8 becomes the lone surrogate
     * U+DC00 + byte, so every name returned, passed back to a path operation, names the same file
     * (see {@link #openat2}).
     *
     * @param dir an open directory
     * @return a future of the names, in the kernel's order
     */
    CompletableFuture<List<String>> readDir(Fd dir);

    /**
     * Fills {@code dst} with random bytes ({@code getrandom(2)}, off the loop); the count.
     *
     * @param dst the memory to fill with random bytes
     * @return a future of the byte count
     */
    CompletableFuture<Integer> getrandom(MemorySegment dst);

    /**
     * Completes when {@code fd} is readable (POLL_ADD); the poll events seen.
     *
     * @param fd the descriptor
     * @return a future of the {@code POLL*} events seen
     */
    CompletableFuture<Integer> awaitReadable(Fd fd);

    /**
     * Completes when {@code fd} is writable (POLL_ADD); the poll events seen.
     *
     * @param fd the descriptor
     * @return a future of the {@code POLL*} events seen
     */
    CompletableFuture<Integer> awaitWritable(Fd fd);

    // ---- sockets ------------------------------------------------------------------------------
    // Sends always add MSG_NOSIGNAL: a send on a closed connection fails with EPIPE, never a SIGPIPE.

    /**
     * {@code getaddrinfo(3)} off the loop (the resolver blocks): every result, with the canonical
     * name when {@code AI_CANONNAME} is asked for. Fails with a {@code ResolverException} naming the
     * {@code EAI_*} code. Completes on a virtual thread, not the loop.
     *
     * @param node the host name or numeric address, or {@code null} (with {@code service})
     * @param service the service name or port number, or {@code null} (with {@code node})
     * @param hints what to look for: family, socket type, protocol, {@code AI_*} flags
     * @return a future of every address found, in the resolver's order
     */
    CompletableFuture<List<AddrInfo>> getaddrinfo(String node, String service, Hints hints);

    /**
     * {@code socket(2)} (IORING_OP_SOCKET where the kernel has it, else the syscall); close-on-exec
     * always.
     *
     * @param domain the address family ({@code AF_*})
     * @param type the socket type, with {@code SOCK_NONBLOCK} / {@code SOCK_CLOEXEC} modifiers
     * @param protocol the protocol, or the domain's default
     * @return a future of the new socket, which the caller owns
     */
    CompletableFuture<Fd> socket(Domain domain, Set<SocketType> type, Protocol protocol);

    /**
     * {@code bind(2)} (IORING_OP_BIND on kernel 6.11+, else the syscall).
     *
     * @param fd the descriptor
     * @param address the local address to bind to
     * @return a future completing when bound
     */
    CompletableFuture<Void> bind(Fd fd, SockAddr address);

    /**
     * {@code listen(2)} (IORING_OP_LISTEN on kernel 6.11+, else the syscall); {@code backlog} >= 0.
     *
     * @param fd the descriptor
     * @param backlog the length of the queue of pending connections, {@code >= 0}
     * @return a future completing when the socket listens
     */
    CompletableFuture<Void> listen(Fd fd, int backlog);

    /**
     * Accepts one connection: its descriptor (close-on-exec) and the peer's address.
     *
     * @param listener a listening socket
     * @return a future of the accepted connection
     */
    CompletableFuture<Accepted> accept(Fd listener);

    /**
     * Multishot accept: one submission delivering every new connection to {@code handler} until
     * cancelled or failed. The handler owns each accepted descriptor.
     *
     * @param listener a listening socket
     * @param handler receives each result, on the loop thread
     * @return the running accept; cancel it to stop
     */
    Multishot acceptMultishot(Fd listener, MultishotHandler<Accepted> handler);

    /**
     * {@code connect(2)}: completes when connected.
     *
     * @param fd the descriptor
     * @param address the peer's address
     * @return a future completing when connected
     */
    CompletableFuture<Void> connect(Fd fd, SockAddr address);

    /**
     * One send from {@code src} (position to limit); the count, which may be short. Advances the
     * position.
     *
     * @param fd the descriptor
     * @param src the bytes to send or write
     * @param flags the {@code MSG_*} flags to add
     * @return a future of the byte count sent
     */
    CompletableFuture<Integer> send(Fd fd, ByteBuffer src, Set<MsgFlag> flags);

    /**
     * Sends every byte of {@code src}, resubmitting after short sends. Advances the position (on
     * failure or cancellation, past exactly the bytes the peer will receive, which the failure
     * counts: {@link PartialProgress}).
     *
     * @param fd the descriptor
     * @param src the bytes to send or write
     * @param flags the {@code MSG_*} flags to add
     * @return a future completing when every byte is sent
     */
    CompletableFuture<Void> sendAll(Fd fd, ByteBuffer src, Set<MsgFlag> flags);

    /**
     * One send of {@code len} bytes of {@code chunk}; the count.
     *
     * @param fd the descriptor
     * @param chunk a chunk of this engine's {@link #bufferPool()}
     * @param len the bytes to send, {@code 0 <= len <= chunk.size()}
     * @param flags the {@code MSG_*} flags to add
     * @return a future of the byte count sent
     */
    CompletableFuture<Integer> send(Fd fd, Chunk chunk, int len, Set<MsgFlag> flags);

    /**
     * One receive into {@code dst} (position to limit); the count, or -1 at end of stream. Advances
     * the position.
     *
     * @param fd the descriptor
     * @param dst the buffer to fill from its position to its limit
     * @param flags the {@code MSG_*} flags
     * @return a future of the byte count, or -1 at end of stream
     */
    CompletableFuture<Integer> recv(Fd fd, ByteBuffer dst, Set<MsgFlag> flags);

    /**
     * One receive of up to {@code len} bytes into {@code chunk}; the count, or -1 at end of stream.
     *
     * @param fd the descriptor
     * @param chunk a chunk of this engine's {@link #bufferPool()}
     * @param len the most bytes to receive, {@code 0 <= len <= chunk.size()}
     * @param flags the {@code MSG_*} flags
     * @return a future of the byte count, or -1 at end of stream
     */
    CompletableFuture<Integer> recv(Fd fd, Chunk chunk, int len, Set<MsgFlag> flags);

    /**
     * {@code sendto}: one datagram (or stream send) to {@code destination}; the count.
     *
     * @param fd the descriptor
     * @param src the bytes to send or write
     * @param flags the {@code MSG_*} flags to add
     * @param destination the address to send to
     * @return a future of the byte count sent
     */
    CompletableFuture<Integer> sendTo(Fd fd, ByteBuffer src, Set<MsgFlag> flags, SockAddr destination);

    /**
     * {@code recvfrom}: one receive with the sender's address.
     *
     * @param fd the descriptor
     * @param dst the buffer to fill from its position to its limit
     * @param flags the {@code MSG_*} flags
     * @return a future of the received count and the sender's address
     */
    CompletableFuture<ReceivedMessage> recvFrom(Fd fd, ByteBuffer dst, Set<MsgFlag> flags);

    /**
     * {@code sendmsg}: gathers {@code buffers}, passes {@code fds} with SCM_RIGHTS (may be empty),
     * to {@code destination} ({@code null} on a connected socket); the count sent.
     *
     * @param fd the descriptor
     * @param buffers the buffers to send, in order
     * @param fds the descriptors to pass (SCM_RIGHTS), possibly empty
     * @param destination the address to send to, or {@code null} on a connected socket
     * @return a future of the byte count sent
     */
    CompletableFuture<Long> sendMsg(Fd fd, ByteBuffer[] buffers, List<Fd> fds, SockAddr destination);

    /**
     * {@code recvmsg}: scatters into {@code buffers}; no descriptors are accepted.
     *
     * @param fd the descriptor
     * @param buffers the buffers to fill, in order
     * @return a future of the received count, the sender's address and flags
     */
    CompletableFuture<ReceivedMessage> recvMsg(Fd fd, ByteBuffer[] buffers);

    /**
     * {@code recvmsg} accepting up to {@code maxFds} descriptors (MSG_CMSG_CLOEXEC); the caller
     * owns them.
     *
     * @param fd the descriptor
     * @param maxFds the most descriptors to accept, {@code >= 0}
     * @param buffers the buffers to fill, in order
     * @return a future of the received count, the sender's address and the descriptors passed
     */
    CompletableFuture<ReceivedMessage> recvMsgWithFds(Fd fd, int maxFds, ByteBuffer[] buffers);

    /**
     * {@code shutdown(2)}; ENOTCONN (the peer already gone) is not an error.
     *
     * @param fd the descriptor
     * @param how which direction(s) to shut down
     * @return a future completing when shut down
     */
    CompletableFuture<Void> shutdown(Fd fd, ShutdownHow how);

    /**
     * {@code splice(2)}: moves up to {@code len} bytes from {@code src} to {@code dst} without
     * copying through user space; one of them must be a pipe (else EINVAL). The count, or -1 at
     * end of stream.
     *
     * @param src the descriptor to read from
     * @param dst the descriptor to write to
     * @param len the most bytes to move
     * @return a future of the byte count moved, or -1 at end of stream
     */
    CompletableFuture<Integer> splice(Fd src, Fd dst, int len);

    /**
     * Zero-copy send (IORING_OP_SEND_ZC): completes with the count once the kernel no longer needs
     * {@code src}'s memory. Worth it for large sends only (see the networking guide). Needs
     * {@link Capability#ZERO_COPY_SEND}; without it the future fails with an
     * {@link UnsupportedOperationException} naming the engine.
     *
     * @param fd the descriptor
     * @param src the bytes to send or write
     * @param flags the {@code MSG_*} flags to add
     * @return a future of the byte count sent, completing once the kernel releases {@code src}
     */
    CompletableFuture<Integer> sendZeroCopy(Fd fd, ByteBuffer src, Set<MsgFlag> flags);

    /**
     * A provided buffer ring of {@code entries} buffers of {@code bufferSize} bytes, registered
     * with this engine, for {@link #recvMultishot}. Every engine takes the same sizes: a power of
     * two in 1..{@link BufferRing#MAX_ENTRIES} entries, buffers of at least one byte, at most
     * {@link BufferRing#MAX_TOTAL_BYTES} in all; anything else is an IllegalArgumentException that
     * states these limits, before any memory is allocated.
     *
     * @param entries the number of buffers, a power of two up to {@link BufferRing#MAX_ENTRIES}
     * @param bufferSize each buffer's size in bytes, {@code >= 1}
     * @return the registered ring, which the caller closes
     */
    BufferRing bufferRing(int entries, int bufferSize);

    /**
     * Multishot receive: the kernel picks a buffer from {@code ring} for each arrival and
     * {@code handler} gets a view of the bytes, valid only during the call (the buffer then
     * returns to the ring). Ends at end of stream ({@code onEnd}), on error, or when cancelled;
     * if the ring runs dry the receive is re-armed once buffers are back.
     *
     * @param fd the descriptor
     * @param ring the provided buffer ring to receive into, from {@link #bufferRing}
     * @param handler receives each result, on the loop thread
     * @return the running receive; cancel it to stop
     */
    Multishot recvMultishot(Fd fd, BufferRing ring, MultishotHandler<MemorySegment> handler);

    /**
     * Stops taking work, cancels in-flight operations, waits for every completion, frees the ring.
     * Idempotent. From another thread it returns once the loop has finished; from the loop thread
     * (inside a callback) it returns at once and the loop finishes after the callback.
     */
    @Override
    void close();

    // ---- permissions, ownership, hard links, in-kernel copies, raw socket protocols (issue 13) ----

    /**
     * {@code socket(2)} with a raw protocol number, for protocols {@link Protocol} does not name
     * (e.g. 47, GRE, for a {@link SocketType#RAW} socket; as {@link dev.ringio.net.Sockets#socket(Domain, Set, int)});
     * IORING_OP_SOCKET where the kernel has it, else the syscall off the loop. Close-on-exec always.
     *
     * @param domain the address family ({@code AF_*})
     * @param type the socket type, with {@code SOCK_NONBLOCK} / {@code SOCK_CLOEXEC} modifiers
     * @param protocol the protocol number, 0 for the domain's usual protocol
     * @return a future of the new socket, which the caller owns; fails with a
     *         {@link NativeIoException} naming "socket" and the errno (e.g. {@code EPROTONOSUPPORT},
     *         {@code EPERM} without CAP_NET_RAW)
     * @throws IllegalArgumentException if {@code protocol} is negative or {@code type} has not
     *                                  exactly one base type
     */
    CompletableFuture<Fd> socket(Domain domain, Set<SocketType> type, int protocol);

    /**
     * {@code fchmodat(2)}: sets the permission bits of {@code path}. io_uring has no opcode for it:
     * the io_uring engine makes the call off its loop, the readiness engines on their file pool.
     *
     * @param dir the directory {@code path} is relative to, or null for the current directory
     * @param path the file
     * @param mode the permission bits, 0..07777 (setuid, setgid, sticky and {@code rwxrwxrwx})
     * @param flags 0, or {@link AtFlags#AT_SYMLINK_NOFOLLOW} (change a symbolic link itself: Linux
     *              refuses that with {@code EOPNOTSUPP})
     * @return a future that completes when done; fails with a {@link NativeIoException} naming
     *         "fchmodat", the path and the errno ({@code ENOENT}, {@code EPERM}, ...)
     * @throws IllegalArgumentException for a mode outside 0..07777 or other flags
     */
    CompletableFuture<Void> fchmodat(Fd dir, String path, int mode, int flags);

    /**
     * {@code fchmod(2)}: sets the permission bits of an open file. Off the loop on io_uring, as
     * {@link #fchmodat}.
     *
     * @param fd the open file
     * @param mode the permission bits, 0..07777
     * @return a future that completes when done; fails with a {@link NativeIoException} naming
     *         "fchmod" and the errno
     * @throws IllegalArgumentException for a mode outside 0..07777
     */
    CompletableFuture<Void> fchmod(Fd fd, int mode);

    /**
     * {@code fchownat(2)}: sets the owner and group of {@code path}. Off the loop on io_uring, as
     * {@link #fchmodat}.
     *
     * @param dir the directory {@code path} is relative to, or null for the current directory
     * @param path the file ({@code ""} with {@link AtFlags#AT_EMPTY_PATH}: {@code dir} itself)
     * @param uid the new owner, or -1 to leave it
     * @param gid the new group, or -1 to leave it
     * @param flags {@link AtFlags#AT_SYMLINK_NOFOLLOW} (change a symbolic link itself) and/or
     *              {@link AtFlags#AT_EMPTY_PATH}, or 0
     * @return a future that completes when done; fails with a {@link NativeIoException} naming
     *         "fchownat", the path and the errno ({@code EPERM} without CAP_CHOWN, ...)
     * @throws IllegalArgumentException for an id below -1 or other flags
     */
    CompletableFuture<Void> fchownat(Fd dir, String path, int uid, int gid, int flags);

    /**
     * {@code fchown(2)}: sets the owner and group of an open file. Off the loop on io_uring, as
     * {@link #fchmodat}.
     *
     * @param fd the open file
     * @param uid the new owner, or -1 to leave it
     * @param gid the new group, or -1 to leave it
     * @return a future that completes when done; fails with a {@link NativeIoException} naming
     *         "fchown" and the errno
     * @throws IllegalArgumentException for an id below -1
     */
    CompletableFuture<Void> fchown(Fd fd, int uid, int gid);

    /**
     * {@code linkat(2)}: a new name (hard link) for an existing file; IORING_OP_LINKAT (kernel
     * 5.15) where the kernel has it, else the syscall off the loop.
     *
     * @param oldDir the directory {@code oldPath} is relative to, or null for the current directory
     * @param oldPath the existing file
     * @param newDir the directory {@code newPath} is relative to, or null for the current directory
     * @param newPath the new name, which must not exist
     * @param flags {@link AtFlags#AT_SYMLINK_FOLLOW} (link the target of a symbolic link
     *              {@code oldPath}, not the link) and/or {@link AtFlags#AT_EMPTY_PATH}, or 0
     * @return a future that completes when done; fails with a {@link NativeIoException} naming
     *         "linkat", both paths and the errno ({@code EEXIST}, {@code ENOENT}, {@code EXDEV}, ...)
     * @throws IllegalArgumentException for other flags
     */
    CompletableFuture<Void> linkat(Fd oldDir, String oldPath, Fd newDir, String newPath, int flags);

    /**
     * {@code copy_file_range(2)}: copies up to {@code length} bytes between two files inside the
     * kernel (a reflink or server-side copy where the file system can). io_uring has no opcode for
     * it: the io_uring engine makes the call off its loop, the readiness engines on their file pool.
     * One call: the count may be less than {@code length}, and is 0 at the end of {@code in}.
     *
     * @param in the file to copy from
     * @param inOffset where to read, or -1 for {@code in}'s position (which is then advanced)
     * @param out the file to copy to
     * @param outOffset where to write, or -1 for {@code out}'s position (which is then advanced)
     * @param length the most bytes to copy, {@code >= 0}
     * @return a future of the bytes copied; fails with a {@link NativeIoException} naming
     *         "copyFileRange" and the errno ({@code EBADF}, {@code EINVAL} for overlapping ranges
     *         of one file or a descriptor that is not a regular file, {@code EXDEV}, ...)
     * @throws IllegalArgumentException for an offset below -1 or a negative length
     */
    CompletableFuture<Long> copyFileRange(Fd in, long inOffset, Fd out, long outOffset, long length);

    /**
     * {@code sendfile(2)}: copies up to {@code count} bytes of a file to another descriptor (a
     * socket, a pipe, a file) inside the kernel. io_uring has no opcode for it: the io_uring engine
     * makes the call off its loop; the readiness engines make it on their file pool when {@code out}
     * is a file, else on the loop, waiting for {@code out} to be writable. One call: the count may
     * be less than {@code count}, and is 0 at the end of {@code in}.
     *
     * @param out where the bytes go
     * @param in the file they come from (one that supports mmap-like reads: a regular file)
     * @param offset where to read {@code in}, or -1 for its position (which is then advanced)
     * @param count the most bytes to copy, {@code >= 0}
     * @return a future of the bytes copied; fails with a {@link NativeIoException} naming
     *         "sendfile" and the errno ({@code EBADF}, {@code EINVAL}, {@code EPIPE}, ...)
     * @throws IllegalArgumentException for an offset below -1 or a negative count
     */
    CompletableFuture<Long> sendfile(Fd out, Fd in, long offset, long count);
}
