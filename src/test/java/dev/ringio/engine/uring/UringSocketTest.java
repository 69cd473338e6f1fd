package dev.ringio.engine.uring;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import dev.ringio.BufferRing;
import dev.ringio.EngineConfig;
import dev.ringio.Errno;
import dev.ringio.Fd;
import dev.ringio.Multishot;
import dev.ringio.MultishotHandler;
import dev.ringio.NativeIoException;
import dev.ringio.buffers.Chunk;
import dev.ringio.net.Accepted;
import dev.ringio.net.Domain;
import dev.ringio.net.Ipv4SockAddr;
import dev.ringio.net.Ipv6SockAddr;
import dev.ringio.net.MsgFlag;
import dev.ringio.net.Protocol;
import dev.ringio.net.ReceivedMessage;
import dev.ringio.net.ShutdownHow;
import dev.ringio.net.SockAddr;
import dev.ringio.net.SocketType;
import dev.ringio.net.Linger;
import dev.ringio.net.SocketOptions;
import dev.ringio.net.Sockets;
import dev.ringio.net.UnixSockAddr;
import dev.ringio.os.Pipe;
import dev.ringio.sys.Shim;
import dev.ringio.testing.KernelFeatures;
import dev.ringio.testing.LeakCheck;

import static dev.ringio.testing.FutureAssertions.await;
import static dev.ringio.testing.FutureAssertions.failure;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * What is io_uring-specific about the socket operations: the msghdr / cmsghdr / buffer-ring
 * layouts the engine writes for the kernel. The operations themselves are in the conformance
 * suite ({@link dev.ringio.conformance.SocketContract} and its siblings, run by
 * {@link UringConformanceTest}).
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@ExtendWith(LeakCheck.class)
@ExtendWith(KernelFeatures.NeedsIoUring.class)
class UringSocketTest {

    private static final Set<SocketType> STREAM = EnumSet.of(SocketType.STREAM);
    private static final Set<SocketType> DGRAM = EnumSet.of(SocketType.DGRAM);

    private UringEngine engine;

    @BeforeAll
    void open() throws Exception {
        engine = UringEngine.open(EngineConfig.builder().queueDepth(64).build());
    }

    @AfterAll
    void close() {
        engine.close();
        assertEquals(0, engine.staleCompletions());
    }

    // ---- helpers --------------------------------------------------------------------------------

    // ---- TCP, Unix stream -------------------------------------------------------------------------

    // ---- datagrams ----------------------------------------------------------------------------

    // ---- descriptor passing -------------------------------------------------------------------

    // ---- splice -----------------------------------------------------------------------------------

    // ---- multishot ----------------------------------------------------------------------------

    // ---- zero-copy send ----------------------------------------------------------------------

    // ---- faults -----------------------------------------------------------------------------------

    @Test
    void msghdrAndCmsgLayoutsMatchTheCHeaders() {
        Shim shim = Shim.get();
        try (Arena a = Arena.ofConfined()) {
            java.util.function.ToLongFunction<String> c = name -> shim.constValue(a.allocateFrom(name).address());
            assertEquals(dev.ringio.engine.MsgHeader.MSGHDR_SIZE, c.applyAsLong("sizeof(msghdr)"));
            assertEquals(dev.ringio.engine.MsgHeader.MSG_NAME, c.applyAsLong("offsetof(msghdr.msg_name)"));
            assertEquals(dev.ringio.engine.MsgHeader.MSG_NAMELEN, c.applyAsLong("offsetof(msghdr.msg_namelen)"));
            assertEquals(dev.ringio.engine.MsgHeader.MSG_IOV, c.applyAsLong("offsetof(msghdr.msg_iov)"));
            assertEquals(dev.ringio.engine.MsgHeader.MSG_IOVLEN, c.applyAsLong("offsetof(msghdr.msg_iovlen)"));
            assertEquals(dev.ringio.engine.MsgHeader.MSG_CONTROL, c.applyAsLong("offsetof(msghdr.msg_control)"));
            assertEquals(dev.ringio.engine.MsgHeader.MSG_CONTROLLEN, c.applyAsLong("offsetof(msghdr.msg_controllen)"));
            assertEquals(dev.ringio.engine.MsgHeader.MSG_FLAGS, c.applyAsLong("offsetof(msghdr.msg_flags)"));
            assertEquals(dev.ringio.engine.MsgHeader.CMSG_HDR, c.applyAsLong("CMSG_DATA_OFFSET"));
            assertEquals(dev.ringio.engine.MsgHeader.CMSG_LEVEL, c.applyAsLong("offsetof(cmsghdr.cmsg_level)"));
            assertEquals(dev.ringio.engine.MsgHeader.CMSG_TYPE, c.applyAsLong("offsetof(cmsghdr.cmsg_type)"));
            assertEquals(dev.ringio.engine.MsgHeader.cmsgSpace(4), c.applyAsLong("CMSG_SPACE(4)"));
            assertEquals(dev.ringio.engine.MsgHeader.SOL_SOCKET, c.applyAsLong("SOL_SOCKET"));
            assertEquals(dev.ringio.engine.MsgHeader.SCM_RIGHTS, c.applyAsLong("SCM_RIGHTS"));
            assertEquals(dev.ringio.net.SocketConstants.MSG_NOSIGNAL, c.applyAsLong("MSG_NOSIGNAL"));
            assertEquals(dev.ringio.net.SocketConstants.MSG_CMSG_CLOEXEC, c.applyAsLong("MSG_CMSG_CLOEXEC"));
            assertEquals(dev.ringio.net.SocketConstants.SOCK_CLOEXEC, c.applyAsLong("SOCK_CLOEXEC"));
            assertEquals(UringBufferRing.BUF_SIZE, c.applyAsLong("sizeof(io_uring_buf)"));
            assertEquals(UringBufferRing.BUF_LEN, c.applyAsLong("offsetof(io_uring_buf.len)"));
            assertEquals(UringBufferRing.BUF_BID, c.applyAsLong("offsetof(io_uring_buf.bid)"));
            assertEquals(UringBufferRing.RING_TAIL, c.applyAsLong("offsetof(io_uring_buf_ring.tail)"));
            assertEquals(Long.MIN_VALUE, c.applyAsLong("NO_SUCH_CONSTANT"));
        }
    }

}
