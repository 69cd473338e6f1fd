package dev.ringio.blocking;

import java.io.IOException;
import java.lang.foreign.MemorySegment;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.CompletableFuture;

import dev.ringio.Fd;
import dev.ringio.FileStat;
import dev.ringio.IoEngine;
import dev.ringio.Resolve;
import dev.ringio.buffers.Chunk;

/**
 * The file half of {@link BlockingIo}'s public methods: opening, reading and writing any
 * descriptor's bytes through the future API, syncing, file attributes and path operations. It
 * exists only to keep each source file a readable size; callers see these methods as
 * {@link BlockingIo}'s own (its documentation lists them there, and the compiler gives
 * {@link BlockingIo} public bridges for them), and {@link BlockingIo}'s class comment (memory,
 * interrupt, asynchronous close, errors) applies to every one.
 *
 * <p>Threading: any thread except the engine's loop thread (a blocking call there could never be
 * woken, so it throws {@link IllegalStateException}).
 */
abstract sealed class BlockingFileOps permits BlockingIo {

    /** The engine the operations run on. */
    final IoEngine engine;
    /** Parks the calling thread on an operation's future. */
    final FutureWait waits;

    BlockingFileOps(IoEngine engine) {
        this.engine = Objects.requireNonNull(engine, "engine");
        this.waits = new FutureWait(engine);
    }

    /** {@link BlockingIo#await(String, Fd, CompletableFuture)}. */
    private <T> T await(String op, Fd fd, CompletableFuture<T> f) throws IOException {
        return waits.await(op, fd, f, -1);
    }

    /**
     * Blocking {@link IoEngine#openat2}: opens {@code path} relative to {@code dir}.
     *
     * @param dir the directory {@code path} is relative to, or {@code null} for the current
     *            directory
     * @param path the path
     * @param flags {@link dev.ringio.OpenFlags} bits
     * @param mode the permission bits (before the umask)
     * @param resolve {@code RESOLVE_*} restrictions
     * @return the new descriptor, which the caller owns
     * @throws IOException if the operation fails (with errno), or the wait is interrupted or closed
     */
    public Fd openat2(Fd dir, String path, int flags, int mode, Set<Resolve> resolve) throws IOException {
        return await("openat2", null, engine.openat2(dir, path, flags, mode, resolve));
    }

    /**
     * Blocking {@link IoEngine#open(Path, int, int)}.
     *
     * @param path the path
     * @param flags {@link dev.ringio.OpenFlags} bits
     * @param mode the permission bits (before the umask)
     * @return the new descriptor, which the caller owns
     * @throws IOException if the operation fails (with errno), or the wait is interrupted or closed
     */
    public Fd open(Path path, int flags, int mode) throws IOException {
        return await("openat2", null, engine.open(path, flags, mode));
    }

    /**
     * Blocking {@link IoEngine#readUpTo}: one read of up to {@code len} bytes into {@code chunk}.
     *
     * @param fd the descriptor
     * @param chunk a chunk of the engine's buffer pool
     * @param len the number of bytes, {@code 0 <= len <= chunk.size()}
     * @param fileOffset the absolute file position, or {@code -1} for the current position
     * @return the byte count, or -1 at end of file
     * @throws IOException if the operation fails (with errno), or the wait is interrupted or closed
     */
    public int readUpTo(Fd fd, Chunk chunk, int len, long fileOffset) throws IOException {
        return await("read", fd, engine.readUpTo(fd, chunk, len, fileOffset));
    }

    /**
     * Blocking {@link IoEngine#readExactly}: reads exactly {@code len} bytes into {@code chunk}.
     *
     * @param fd the descriptor
     * @param chunk a chunk of the engine's buffer pool
     * @param len the number of bytes, {@code 0 <= len <= chunk.size()}
     * @param fileOffset the absolute file position, or {@code -1} for the current position
     * @throws IOException if the operation fails (with errno), or the wait is interrupted or closed
     */
    public void readExactly(Fd fd, Chunk chunk, int len, long fileOffset) throws IOException {
        await("readExactly", fd, engine.readExactly(fd, chunk, len, fileOffset));
    }

    // Memory of the caller's confined arenas goes through ConfinedCopies (see the class comment).

    /**
     * Blocking {@link IoEngine#read(Fd, MemorySegment, long)}.
     *
     * @param fd the descriptor
     * @param dst the memory to fill
     * @param fileOffset the absolute file position, or {@code -1} for the current position
     * @return the byte count, or -1 at end of file
     * @throws IOException if the operation fails (with errno), or the wait is interrupted or closed
     */
    public int read(Fd fd, MemorySegment dst, long fileOffset) throws IOException {
        if (ConfinedCopies.any(dst)) {
            return ConfinedCopies.segments(new MemorySegment[] {dst}, true, s -> read(fd, s[0], fileOffset), n -> n);
        }
        return await("read", fd, engine.read(fd, dst, fileOffset));
    }

    /**
     * Blocking {@link IoEngine#read(Fd, ByteBuffer, long)}; advances the position.
     *
     * @param fd the descriptor
     * @param dst the memory to fill
     * @param fileOffset the absolute file position, or {@code -1} for the current position
     * @return the byte count, or -1 at end of file
     * @throws IOException if the operation fails (with errno), or the wait is interrupted or closed
     */
    public int read(Fd fd, ByteBuffer dst, long fileOffset) throws IOException {
        if (ConfinedCopies.any(dst)) {
            return ConfinedCopies.buffer(dst, true, b -> read(fd, b, fileOffset));
        }
        return await("read", fd, engine.read(fd, dst, fileOffset));
    }

    /**
     * Blocking {@link IoEngine#readv(Fd, ByteBuffer[], long)}; advances the positions.
     *
     * @param fd the descriptor
     * @param dsts the buffers to fill, in order
     * @param fileOffset the absolute file position, or {@code -1} for the current position
     * @return the byte count, or -1 at end of file
     * @throws IOException if the operation fails (with errno), or the wait is interrupted or closed
     */
    public long readv(Fd fd, ByteBuffer[] dsts, long fileOffset) throws IOException {
        if (ConfinedCopies.any(dsts)) {
            return ConfinedCopies.buffers(dsts, true, b -> readv(fd, b, fileOffset));
        }
        return await("readv", fd, engine.readv(fd, dsts, fileOffset));
    }

    /**
     * Blocking {@link IoEngine#readv(Fd, MemorySegment[], long)}.
     *
     * @param fd the descriptor
     * @param dsts the buffers to fill, in order
     * @param fileOffset the absolute file position, or {@code -1} for the current position
     * @return the byte count, or -1 at end of file
     * @throws IOException if the operation fails (with errno), or the wait is interrupted or closed
     */
    public long readv(Fd fd, MemorySegment[] dsts, long fileOffset) throws IOException {
        if (ConfinedCopies.any(dsts)) {
            return ConfinedCopies.segments(dsts, true, s -> readv(fd, s, fileOffset), n -> n);
        }
        return await("readv", fd, engine.readv(fd, dsts, fileOffset));
    }

    /**
     * Blocking {@link IoEngine#write(Fd, MemorySegment, long)}: writes all of {@code src}.
     *
     * @param fd the descriptor
     * @param src the bytes to send or write
     * @param fileOffset the absolute file position, or {@code -1} for the current position
     * @throws IOException if the operation fails (with errno), or the wait is interrupted or closed
     */
    public void write(Fd fd, MemorySegment src, long fileOffset) throws IOException {
        if (ConfinedCopies.any(src)) {
            ConfinedCopies.segments(new MemorySegment[] {src}, false, s -> {
                write(fd, s[0], fileOffset);
                return 0;
            }, n -> n);
            return;
        }
        await("write", fd, engine.write(fd, src, fileOffset));
    }

    /**
     * Blocking {@link IoEngine#write(Fd, ByteBuffer, long)}: writes all of {@code src}, advancing
     * its position.
     *
     * @param fd the descriptor
     * @param src the bytes to send or write
     * @param fileOffset the absolute file position, or {@code -1} for the current position
     * @throws IOException if the operation fails (with errno), or the wait is interrupted or closed
     */
    public void write(Fd fd, ByteBuffer src, long fileOffset) throws IOException {
        if (ConfinedCopies.any(src)) {
            ConfinedCopies.buffer(src, false, b -> {
                write(fd, b, fileOffset);
                return 0;
            });
            return;
        }
        await("write", fd, engine.write(fd, src, fileOffset));
    }

    /**
     * Blocking {@link IoEngine#writev}: writes every byte of {@code srcs}, advancing their
     * positions.
     *
     * @param fd the descriptor
     * @param srcs the buffers to write, in order
     * @param fileOffset the absolute file position, or {@code -1} for the current position
     * @throws IOException if the operation fails (with errno), or the wait is interrupted or closed
     */
    public void writev(Fd fd, ByteBuffer[] srcs, long fileOffset) throws IOException {
        if (ConfinedCopies.any(srcs)) {
            ConfinedCopies.buffers(srcs, false, b -> {
                writev(fd, b, fileOffset);
                return 0;
            });
            return;
        }
        await("writev", fd, engine.writev(fd, srcs, fileOffset));
    }

    /**
     * Blocking {@link IoEngine#writevSingle}: one WRITEV, which may be short.
     *
     * @param fd the descriptor
     * @param srcs the buffers to write, in order
     * @param fileOffset the absolute file position, or {@code -1} for the current position
     * @return the byte count written
     * @throws IOException if the operation fails (with errno), or the wait is interrupted or closed
     */
    public long writevSingle(Fd fd, ByteBuffer[] srcs, long fileOffset) throws IOException {
        if (ConfinedCopies.any(srcs)) {
            return ConfinedCopies.buffers(srcs, false, b -> writevSingle(fd, b, fileOffset));
        }
        return await("writevSingle", fd, engine.writevSingle(fd, srcs, fileOffset));
    }

    /**
     * Blocking {@code fsync(2)}.
     *
     * @param fd the descriptor
     * @throws IOException if the operation fails (with errno), or the wait is interrupted or closed
     */
    public void fsync(Fd fd) throws IOException {
        await("fsync", fd, engine.fsync(fd));
    }

    /**
     * Blocking {@code fdatasync(2)}.
     *
     * @param fd the descriptor
     * @throws IOException if the operation fails (with errno), or the wait is interrupted or closed
     */
    public void fdatasync(Fd fd) throws IOException {
        await("fdatasync", fd, engine.fdatasync(fd));
    }

    /**
     * Blocking {@code statx(2)}; see {@link IoEngine#statx}.
     *
     * @param dir the directory {@code path} is relative to, or {@code null} for the current
     *            directory
     * @param path the path
     * @param flags {@code AT_*} flags
     * @param mask {@code STATX_*} fields wanted
     * @return the file's attributes
     * @throws IOException if the operation fails (with errno), or the wait is interrupted or closed
     */
    public FileStat statx(Fd dir, String path, int flags, int mask) throws IOException {
        return await("statx", null, engine.statx(dir, path, flags, mask));
    }

    /**
     * Blocking {@link IoEngine#fstat}.
     *
     * @param fd the descriptor
     * @return the file's attributes
     * @throws IOException if the operation fails (with errno), or the wait is interrupted or closed
     */
    public FileStat fstat(Fd fd) throws IOException {
        return await("fstat", fd, engine.fstat(fd));
    }

    /**
     * Blocking {@code ftruncate(2)}.
     *
     * @param fd the descriptor
     * @param length the new file size in bytes, {@code >= 0}
     * @throws IOException if the operation fails (with errno), or the wait is interrupted or closed
     */
    public void ftruncate(Fd fd, long length) throws IOException {
        await("ftruncate", fd, engine.ftruncate(fd, length));
    }

    /**
     * Blocking {@code fallocate(2)}.
     *
     * @param fd the descriptor
     * @param mode 0 (allocate, extending the size) or {@code FALLOC_FL_*} bits
     * @param offset the first byte of the range
     * @param length the range's length in bytes
     * @throws IOException if the operation fails (with errno), or the wait is interrupted or closed
     */
    public void fallocate(Fd fd, int mode, long offset, long length) throws IOException {
        await("fallocate", fd, engine.fallocate(fd, mode, offset, length));
    }

    /**
     * Blocking {@code unlinkat(2)}.
     *
     * @param dir the directory {@code path} is relative to, or {@code null} for the current
     *            directory
     * @param path the path
     * @param directory true to remove an empty directory, false for a file
     * @throws IOException if the operation fails (with errno), or the wait is interrupted or closed
     */
    public void unlinkat(Fd dir, String path, boolean directory) throws IOException {
        await("unlinkat", null, engine.unlinkat(dir, path, directory));
    }

    /**
     * Blocking {@code mkdirat(2)}.
     *
     * @param dir the directory {@code path} is relative to, or {@code null} for the current
     *            directory
     * @param path the path
     * @param mode the new directory's permission bits (before the umask)
     * @throws IOException if the operation fails (with errno), or the wait is interrupted or closed
     */
    public void mkdirat(Fd dir, String path, int mode) throws IOException {
        await("mkdirat", null, engine.mkdirat(dir, path, mode));
    }

    /**
     * Blocking {@code renameat2(2)}.
     *
     * @param oldDir the directory {@code oldPath} is relative to, or {@code null}
     * @param oldPath the name to move
     * @param newDir the directory {@code newPath} is relative to, or {@code null}
     * @param newPath the new name
     * @param flags 0, {@code RENAME_NOREPLACE} or {@code RENAME_EXCHANGE}
     * @throws IOException if the operation fails (with errno), or the wait is interrupted or closed
     */
    public void renameat(Fd oldDir, String oldPath, Fd newDir, String newPath, int flags) throws IOException {
        await("renameat", null, engine.renameat(oldDir, oldPath, newDir, newPath, flags));
    }

    /**
     * Blocking {@code symlinkat(2)}: creates {@code linkPath} pointing at {@code target}.
     *
     * @param target the path the link points at
     * @param dir the directory {@code path} is relative to, or {@code null} for the current
     *            directory
     * @param linkPath the link to create
     * @throws IOException if the operation fails (with errno), or the wait is interrupted or closed
     */
    public void symlinkat(String target, Fd dir, String linkPath) throws IOException {
        await("symlinkat", null, engine.symlinkat(target, dir, linkPath));
    }

    /**
     * Blocking {@link IoEngine#readDir}: the names in a directory, without "." and "..".
     *
     * @param dir the directory {@code path} is relative to, or {@code null} for the current
     *            directory
     * @return the names
     * @throws IOException if the operation fails (with errno), or the wait is interrupted or closed
     */
    public List<String> readDir(Fd dir) throws IOException {
        return await("readDir", dir, engine.readDir(dir));
    }
}
