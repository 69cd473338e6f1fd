package dev.ringio.os;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import dev.ringio.Errno;
import dev.ringio.Fd;
import dev.ringio.NativeIoException;
import dev.ringio.testing.LeakCheck;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** inotify watch flags and the blocking read, against real files (the engine stream: {@link OsDevicesContract}). */
@ExtendWith(LeakCheck.class)
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class InotifyTest {

    @Test
    void nonBlockingReadIsEmptyThenReturnsQueuedEvents(@TempDir Path dir) throws Exception {
        try (Inotify in = Inotify.open(Inotify.IN_NONBLOCK)) {
            assertEquals(Fd.Kind.INOTIFY, in.fd().kind());
            int wd = in.addWatch(dir, EnumSet.of(InotifyMask.CREATE));
            assertEquals(List.of(), in.read());
            Files.createDirectory(dir.resolve("sub"));
            List<InotifyEvent> got = in.read();
            assertEquals(1, got.size(), got.toString());
            assertEquals(wd, got.get(0).wd());
            assertEquals(EnumSet.of(InotifyMask.CREATE, InotifyMask.ISDIR), got.get(0).masks());
            assertEquals("sub", got.get(0).fileName().orElseThrow());
        }
    }

    @Test
    void oneshotGivesOneEventThenIgnored(@TempDir Path dir) throws Exception {
        Path f = Files.createFile(dir.resolve("f"));
        try (Inotify in = Inotify.open(Inotify.IN_NONBLOCK)) {
            int wd = in.addWatch(f, InotifyMask.MODIFY.bit() | InotifyMask.ONESHOT.bit());
            Files.writeString(f, "1");
            Files.writeString(f, "2");
            List<InotifyEvent> got = drain(in);
            assertEquals(2, got.size(), got.toString());
            assertTrue(got.get(0).is(InotifyMask.MODIFY) && got.get(0).wd() == wd, got.toString());
            assertTrue(got.get(1).is(InotifyMask.IGNORED) && got.get(1).wd() == wd, got.toString());
            assertEquals(null, got.get(0).name(), "an event about the watched file itself has no name");
        }
    }

    @Test
    void maskAddKeepsTheOldBitsAndAPlainAddReplacesThem(@TempDir Path dir) throws Exception {
        Path f = Files.createFile(dir.resolve("f"));
        try (Inotify in = Inotify.open(Inotify.IN_NONBLOCK)) {
            int wd = in.addWatch(f, EnumSet.of(InotifyMask.ATTRIB));
            assertEquals(wd, in.addWatch(f, EnumSet.of(InotifyMask.MODIFY, InotifyMask.MASK_ADD)), "same watch");
            Files.writeString(f, "x");
            Files.setLastModifiedTime(f, java.nio.file.attribute.FileTime.fromMillis(0));
            List<InotifyEvent> got = drain(in);
            assertTrue(got.stream().anyMatch(e -> e.is(InotifyMask.MODIFY)), got.toString());
            assertTrue(got.stream().anyMatch(e -> e.is(InotifyMask.ATTRIB)), got.toString());
            assertEquals(wd, in.addWatch(f, EnumSet.of(InotifyMask.MODIFY)), "replaced");
            Files.setLastModifiedTime(f, java.nio.file.attribute.FileTime.fromMillis(1000));
            assertEquals(List.of(), drain(in), "ATTRIB is no longer watched");
        }
    }

    @Test
    void watchErrorsNameThePath(@TempDir Path dir) throws Exception {
        Path f = Files.createFile(dir.resolve("plain"));
        try (Inotify in = Inotify.open()) {
            NativeIoException notDir = assertThrows(NativeIoException.class,
                    () -> in.addWatch(f, EnumSet.of(InotifyMask.CREATE, InotifyMask.ONLYDIR)));
            assertTrue(notDir.is(Errno.ENOTDIR), notDir.toString());
            assertTrue(notDir.getMessage().contains(f.toString()), notDir.getMessage());
            NativeIoException missing = assertThrows(NativeIoException.class,
                    () -> in.addWatch(dir.resolve("absent"), Inotify.IN_ALL_EVENTS));
            assertTrue(missing.is(Errno.ENOENT), missing.toString());
            assertTrue(missing.getMessage().contains("inotify_add_watch " + dir.resolve("absent")), missing.getMessage());
            in.addWatch(dir, EnumSet.of(InotifyMask.CREATE));
            NativeIoException exists = assertThrows(NativeIoException.class,
                    () -> in.addWatch(dir, EnumSet.of(InotifyMask.DELETE, InotifyMask.MASK_CREATE)));
            assertTrue(exists.is(Errno.EEXIST), exists.toString());
            IllegalArgumentException noEvent = assertThrows(IllegalArgumentException.class,
                    () -> in.addWatch(dir, EnumSet.of(InotifyMask.ONLYDIR)));
            assertTrue(noEvent.getMessage().contains("watches no event"), noEvent.getMessage());
            assertThrows(IllegalArgumentException.class, () -> Inotify.open(1));
        }
    }

    @Test
    void symlinksAreFollowedUnlessDontFollow(@TempDir Path dir) throws Exception {
        Path target = Files.createDirectory(dir.resolve("target"));
        Path link = Files.createSymbolicLink(dir.resolve("link"), target);
        try (Inotify in = Inotify.open(Inotify.IN_NONBLOCK)) {
            in.addWatch(link, EnumSet.of(InotifyMask.CREATE));
            int linkWd = in.addWatch(link, EnumSet.of(InotifyMask.ATTRIB, InotifyMask.DONT_FOLLOW));
            Files.createFile(target.resolve("inside"));
            List<InotifyEvent> got = drain(in);
            assertTrue(got.stream().anyMatch(e -> e.is(InotifyMask.CREATE) && "inside".equals(e.name())), got.toString());
            assertTrue(got.stream().noneMatch(e -> e.wd() == linkWd), "the link's own watch saw nothing: " + got);
        }
    }

    @Test
    void aClosedInstanceRefusesEverythingWithEbadf(@TempDir Path dir) throws Exception {
        Inotify in = Inotify.open();
        in.close();
        in.close(); // idempotent
        NativeIoException add = assertThrows(NativeIoException.class, () -> in.addWatch(dir, Inotify.IN_ALL_EVENTS));
        assertTrue(add.is(Errno.EBADF), add.toString());
        assertTrue(assertThrows(NativeIoException.class, in::read).is(Errno.EBADF));
        assertTrue(assertThrows(NativeIoException.class, () -> in.removeWatch(1)).is(Errno.EBADF));
    }

    private static List<InotifyEvent> drain(Inotify in) throws NativeIoException {
        List<InotifyEvent> all = new ArrayList<>();
        for (List<InotifyEvent> got; !(got = in.read()).isEmpty(); ) {
            all.addAll(got);
        }
        return all;
    }
}
