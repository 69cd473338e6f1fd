package dev.ringio.nio;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.AsynchronousFileChannel;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.FileLock;
import java.nio.channels.NonReadableChannelException;
import java.nio.channels.NonWritableChannelException;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.OpenOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInfo;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import dev.ringio.testing.LeakCheck;

import static dev.ringio.nio.NioTesting.Recorder;
import static dev.ringio.nio.NioTesting.WAIT_SECONDS;
import static dev.ringio.nio.NioTesting.bytes;
import static dev.ringio.nio.NioTesting.failureOf;
import static dev.ringio.nio.NioTesting.get;
import static dev.ringio.nio.NioTesting.randomBytes;
import static dev.ringio.nio.NioTesting.string;
import static java.nio.file.StandardOpenOption.CREATE;
import static java.nio.file.StandardOpenOption.CREATE_NEW;
import static java.nio.file.StandardOpenOption.DELETE_ON_CLOSE;
import static java.nio.file.StandardOpenOption.READ;
import static java.nio.file.StandardOpenOption.TRUNCATE_EXISTING;
import static java.nio.file.StandardOpenOption.WRITE;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * AsynchronousFileChannel behaviour as its Javadoc documents it, written against the abstract
 * class only; run on the JDK's channel and on {@link RingioAsynchronousFileChannel} over each
 * engine. Every test checks that no descriptor is left open.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
abstract class AsyncFileChannelContract {

    private static final AtomicInteger THREADS = new AtomicInteger();

    /** Opens {@code file} the way the implementation under test does. */
    protected abstract AsynchronousFileChannel open(Path file, Set<? extends OpenOption> options, ExecutorService executor,
            java.nio.file.attribute.FileAttribute<?>... attrs) throws IOException;

    @TempDir
    Path dir;
    protected ExecutorService executor;
    protected String threadPrefix;
    private Map<Integer, String> fdsBefore;
    private final List<AsynchronousFileChannel> channels = new ArrayList<>();

    @BeforeAll
    static void openLazyDescriptors() {
        LeakCheck.warmUp();
    }

    @BeforeEach
    void setUp() {
        fdsBefore = LeakCheck.snapshot();
        threadPrefix = "nio-file-" + THREADS.incrementAndGet() + "-";
        AtomicInteger n = new AtomicInteger();
        executor = Executors.newFixedThreadPool(2, r -> {
            Thread t = new Thread(r, threadPrefix + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
    }

    @AfterEach
    void tearDown(TestInfo test) throws Exception {
        for (AsynchronousFileChannel c : channels) {
            c.close();
        }
        executor.shutdownNow();
        assertTrue(executor.awaitTermination(WAIT_SECONDS, TimeUnit.SECONDS));
        LeakCheck.assertNoNewFds(fdsBefore, LeakCheck.DEFAULT_WAIT, test.getDisplayName());
    }

    private AsynchronousFileChannel channel(Path file, OpenOption... options) throws IOException {
        AsynchronousFileChannel c = open(file, Set.of(options), executor);
        channels.add(c);
        return c;
    }

    @Test
    void writesAndReadsAtPositionsInTheFutureForm() throws Exception {
        Path f = dir.resolve("f");
        AsynchronousFileChannel ch = channel(f, READ, WRITE, CREATE_NEW);
        assertEquals(0, ch.size());
        assertEquals(5, get(ch.write(bytes("hello"), 0)));
        assertEquals(5, get(ch.write(bytes("world"), 10)));
        assertEquals(15, ch.size());
        ByteBuffer dst = ByteBuffer.allocate(15);
        int n = get(ch.read(dst, 0));
        assertEquals(15, n);
        byte[] expected = "hello\0\0\0\0\0world".getBytes();
        assertArrayEquals(expected, dst.array());
        assertArrayEquals(expected, Files.readAllBytes(f));
        ByteBuffer mid = ByteBuffer.allocateDirect(3);
        assertEquals(3, get(ch.read(mid, 11)));
        assertEquals("orl", string(mid.flip()));
    }

    @Test
    void theHandlerFormRunsOnTheExecutorWithTheAttachment() throws Exception {
        Path f = dir.resolve("f");
        AsynchronousFileChannel ch = channel(f, READ, WRITE, CREATE);
        Recorder<Integer, String> write = new Recorder<>();
        ch.write(bytes("abcdef"), 2, "w", write);
        assertEquals(6, write.value());
        assertEquals("w", write.attachment);
        Recorder<Integer, ByteBuffer> read = new Recorder<>();
        ByteBuffer dst = ByteBuffer.allocate(4);
        ch.read(dst, 4, dst, read);
        assertEquals(4, read.value());
        assertSame(dst, read.attachment);
        assertEquals("cdef", string(dst.flip()));
        assertTrue(write.thread.getName().startsWith(threadPrefix), write.thread.getName());
        assertTrue(read.thread.getName().startsWith(threadPrefix), read.thread.getName());
    }

    @Test
    void aReadAtOrBeyondTheEndReturnsMinusOne() throws Exception {
        Path f = Files.write(dir.resolve("f"), "abc".getBytes());
        AsynchronousFileChannel ch = channel(f, READ);
        assertEquals(-1, get(ch.read(ByteBuffer.allocate(4), 3)));
        assertEquals(-1, get(ch.read(ByteBuffer.allocate(4), 100)));
        assertEquals(0, get(ch.read(ByteBuffer.allocate(0), 0)));
        assertThrows(IllegalArgumentException.class, () -> ch.read(ByteBuffer.allocate(4), -1));
    }

    @Test
    void aLargeWriteAndReadRoundTrip() throws Exception {
        Path f = dir.resolve("big");
        AsynchronousFileChannel ch = channel(f, READ, WRITE, CREATE);
        byte[] data = randomBytes(4 << 20, 3);
        assertEquals(data.length, get(ch.write(ByteBuffer.wrap(data), 0)));
        ByteBuffer dst = ByteBuffer.allocate(data.length);
        while (dst.hasRemaining()) {
            int n = get(ch.read(dst, dst.position()));
            assertTrue(n > 0);
        }
        assertArrayEquals(data, dst.array());
    }

    @Test
    void truncateShrinksButNeverGrows() throws Exception {
        Path f = Files.write(dir.resolve("f"), "0123456789".getBytes());
        AsynchronousFileChannel ch = channel(f, READ, WRITE);
        assertSame(ch, ch.truncate(20));
        assertEquals(10, ch.size());
        ch.truncate(4);
        assertEquals(4, ch.size());
        assertArrayEquals("0123".getBytes(), Files.readAllBytes(f));
        assertThrows(IllegalArgumentException.class, () -> ch.truncate(-1));
        ch.force(true);
        ch.force(false);
    }

    @Test
    void theOpenModeIsEnforced() throws Exception {
        Path f = Files.write(dir.resolve("f"), "abc".getBytes());
        AsynchronousFileChannel ro = channel(f, READ);
        assertThrows(NonWritableChannelException.class, () -> ro.write(bytes("x"), 0));
        assertThrows(NonWritableChannelException.class, () -> ro.truncate(0));
        AsynchronousFileChannel wo = channel(f, WRITE);
        assertThrows(NonReadableChannelException.class, () -> wo.read(ByteBuffer.allocate(1), 0));
        assertThrows(IllegalArgumentException.class, () -> ro.read(ByteBuffer.allocate(1).asReadOnlyBuffer(), 0));
    }

    @Test
    void openOptionsCreateTruncateAndDeleteOnClose() throws Exception {
        Path missing = dir.resolve("missing");
        assertThrows(NoSuchFileException.class, () -> channel(missing, READ));
        Path existing = Files.write(dir.resolve("existing"), "abc".getBytes());
        assertThrows(FileAlreadyExistsException.class, () -> channel(existing, WRITE, CREATE_NEW));
        AsynchronousFileChannel t = channel(existing, WRITE, TRUNCATE_EXISTING);
        assertEquals(0, t.size());
        Path temp = dir.resolve("temp");
        AsynchronousFileChannel d = channel(temp, WRITE, CREATE_NEW, DELETE_ON_CLOSE);
        assertEquals(3, (int) get(d.write(bytes("tmp"), 0)));
        d.close();
        assertFalse(Files.exists(temp));
        Path withMode = dir.resolve("mode");
        AsynchronousFileChannel m = open(withMode, Set.of(WRITE, CREATE_NEW), executor,
                PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        channels.add(m);
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(withMode)));
        assertThrows(UnsupportedOperationException.class, () -> channel(dir.resolve("a"), WRITE, CREATE, StandardOpenOption.APPEND));
    }

    @Test
    void locksAreTakenReleasedAndCheckedForOverlap() throws Exception {
        Path f = Files.write(dir.resolve("f"), new byte[100]);
        AsynchronousFileChannel ch = channel(f, READ, WRITE);
        FileLock whole = get(ch.lock());
        assertTrue(whole.isValid());
        assertFalse(whole.isShared());
        assertSame(ch, whole.acquiredBy());
        assertEquals(0, whole.position());
        assertEquals(Long.MAX_VALUE, whole.size());
        assertThrows(OverlappingFileLockException.class, () -> ch.tryLock(10, 10, true));
        whole.release();
        assertFalse(whole.isValid());
        FileLock a = ch.tryLock(0, 10, false);
        assertNotNull(a);
        FileLock b = ch.tryLock(10, 10, true);
        assertNotNull(b);
        assertTrue(b.isShared());
        assertInstanceOf(OverlappingFileLockException.class, lockFailure(ch, 5, 10, false));
        Recorder<FileLock, String> h = new Recorder<>();
        ch.lock(50, 10, false, "lk", h);
        FileLock c = h.value();
        assertEquals("lk", h.attachment);
        assertTrue(c.isValid());
        assertTrue(h.thread.getName().startsWith(threadPrefix), h.thread.getName());
        ch.close();
        assertFalse(a.isValid(), "closing the channel invalidates its locks");
        assertFalse(c.isValid());
        assertThrows(ClosedChannelException.class, a::release);
    }

    /**
     * A size of 0 means "from position to the end, however far the file grows": the lock's size is
     * {@code Long.MAX_VALUE - position} and any later lock of this channel at or beyond position
     * overlaps it, in both lock forms.
     */
    @Test
    void aLockOfSizeZeroReachesToTheEndHoweverTheFileGrows() throws Exception {
        Path f = Files.write(dir.resolve("f"), new byte[100]);
        AsynchronousFileChannel ch = channel(f, READ, WRITE);
        FileLock tail = ch.tryLock(10, 0, true);
        assertNotNull(tail);
        assertEquals(10, tail.position());
        assertEquals(Long.MAX_VALUE - 10, tail.size());
        assertTrue(tail.isShared());
        assertTrue(tail.overlaps(1_000_000, 5));
        assertThrows(OverlappingFileLockException.class, () -> ch.tryLock(1_000_000, 5, true));
        assertThrows(OverlappingFileLockException.class, () -> ch.tryLock(0, 11, true));
        assertInstanceOf(OverlappingFileLockException.class, lockFailure(ch, Long.MAX_VALUE - 2, 1, true));
        FileLock head = ch.tryLock(0, 10, true);
        assertNotNull(head, "the region before position is free");
        head.release();
        tail.release();
        FileLock grown = get(ch.lock(20, 0, false));
        assertEquals(20, grown.position());
        assertEquals(Long.MAX_VALUE - 20, grown.size());
        assertInstanceOf(OverlappingFileLockException.class, lockFailure(ch, 50, 0, false));
        assertInstanceOf(OverlappingFileLockException.class, lockFailure(ch, 0, 0, false));
        grown.release();
        FileLock all = ch.tryLock(0, 0, false);
        assertEquals(Long.MAX_VALUE, all.size());
        all.release();
    }

    /**
     * The interrupt status does not concern a file channel: size, truncate, force, tryLock,
     * lock and release from an interrupted thread do their work, leave the channel open and the
     * interrupt status set (the JDK's channel is not an InterruptibleChannel; ClosedByInterrupt
     * is FileChannel's contract, not this one's). Opening from an interrupted thread opens too.
     */
    @Test
    void anInterruptedThreadStillGetsSizeTruncateForceAndLocks() throws Exception {
        Path f = Files.write(dir.resolve("f"), new byte[100]);
        try {
            Thread.currentThread().interrupt();
            AsynchronousFileChannel ch = channel(f, READ, WRITE);
            assertTrue(Thread.currentThread().isInterrupted(), "open kept the interrupt status");
            assertEquals(100, ch.size());
            assertTrue(Thread.currentThread().isInterrupted(), "size kept the interrupt status");
            assertSame(ch, ch.truncate(40));
            assertTrue(Thread.currentThread().isInterrupted(), "truncate kept the interrupt status");
            ch.force(true);
            ch.force(false);
            assertTrue(Thread.currentThread().isInterrupted(), "force kept the interrupt status");
            FileLock l = ch.tryLock();
            assertNotNull(l);
            l.release();
            Future<FileLock> pending = ch.lock(0, 10, false);
            assertTrue(Thread.currentThread().isInterrupted(), "tryLock, release and lock kept the interrupt status");
            assertTrue(ch.isOpen());
            Thread.interrupted(); // Future.get itself is interruptible
            get(pending).release();
            assertEquals(40, ch.size());
            assertEquals(40, Files.size(f));
        } finally {
            Thread.interrupted();
        }
    }

    /** What lock() fails with for an overlapping region: thrown or delivered, both are allowed. */
    private static Throwable lockFailure(AsynchronousFileChannel ch, long pos, long size, boolean shared) throws Exception {
        try {
            return failureOf(ch.lock(pos, size, shared));
        } catch (OverlappingFileLockException e) {
            return e;
        }
    }

    @Test
    void lockModesFollowTheOpenMode() throws Exception {
        Path f = Files.write(dir.resolve("f"), new byte[10]);
        AsynchronousFileChannel ro = channel(f, READ);
        assertThrows(NonWritableChannelException.class, () -> ro.tryLock(0, 10, false));
        FileLock shared = ro.tryLock(0, 10, true);
        assertNotNull(shared);
        shared.release();
        AsynchronousFileChannel wo = channel(f, WRITE);
        assertThrows(NonReadableChannelException.class, () -> wo.tryLock(0, 10, true));
        assertThrows(IllegalArgumentException.class, () -> wo.tryLock(-1, 10, false));
    }

    @Test
    void aClosedChannelRefusesEverything() throws Exception {
        Path f = Files.write(dir.resolve("f"), "abc".getBytes());
        AsynchronousFileChannel ch = channel(f, READ, WRITE);
        ch.close();
        ch.close(); // idempotent
        assertFalse(ch.isOpen());
        assertInstanceOf(ClosedChannelException.class, failureOf(ch.read(ByteBuffer.allocate(1), 0)));
        assertInstanceOf(ClosedChannelException.class, failureOf(ch.write(bytes("x"), 0)));
        Recorder<Integer, Void> r = new Recorder<>();
        ch.read(ByteBuffer.allocate(1), 0, null, r);
        assertInstanceOf(ClosedChannelException.class, r.failure());
        assertThrows(ClosedChannelException.class, ch::size);
        assertThrows(ClosedChannelException.class, () -> ch.truncate(0));
        assertThrows(ClosedChannelException.class, () -> ch.force(true));
        assertThrows(ClosedChannelException.class, () -> ch.tryLock());
    }

    @Test
    void manyConcurrentPositionalWritesLandWhereTheyWereAimed() throws Exception {
        Path f = dir.resolve("f");
        AsynchronousFileChannel ch = channel(f, READ, WRITE, CREATE);
        List<Future<Integer>> writes = new ArrayList<>();
        for (int i = 0; i < 64; i++) {
            byte[] block = new byte[4096];
            java.util.Arrays.fill(block, (byte) i);
            writes.add(ch.write(ByteBuffer.wrap(block), i * 4096L));
        }
        for (Future<Integer> w : writes) {
            assertEquals(4096, get(w));
        }
        byte[] all = Files.readAllBytes(f);
        assertEquals(64 * 4096, all.length);
        for (int i = 0; i < 64; i++) {
            assertEquals((byte) i, all[i * 4096]);
            assertEquals((byte) i, all[i * 4096 + 4095]);
        }
    }
}
