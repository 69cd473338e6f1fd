package example;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import dev.ringio.IoEngine;
import dev.ringio.IoEngines;
import dev.ringio.Multishot;
import dev.ringio.os.Inotify;
import dev.ringio.os.InotifyEvent;
import dev.ringio.os.InotifyMask;

/**
 * Watches a fresh directory with inotify while this program creates, renames and deletes a file
 * in it. The events arrive as a stream the engine delivers (on its loop thread, so the handler
 * only hands them over); a rename is a MOVED_FROM/MOVED_TO pair with one cookie. Exits 1 if the
 * events are not the four expected ones.
 */
public class WatchDirectory {

    public static void main(String[] args) throws Exception {
        Path dir = Files.createTempDirectory("ringio-watch-");
        try (IoEngine engine = IoEngines.open(); Inotify inotify = Inotify.open()) {
            inotify.addWatch(dir, EnumSet.of(InotifyMask.CREATE, InotifyMask.DELETE,
                    InotifyMask.MOVED_FROM, InotifyMask.MOVED_TO));
            BlockingQueue<InotifyEvent> events = new LinkedBlockingQueue<>();
            Multishot stream = inotify.events(engine, events::add);

            Files.writeString(dir.resolve("a.txt"), "hello");
            Files.move(dir.resolve("a.txt"), dir.resolve("b.txt"));
            Files.delete(dir.resolve("b.txt"));

            List<InotifyEvent> seen = new ArrayList<>();
            for (int i = 0; i < 4; i++) {
                InotifyEvent e = events.poll(10, TimeUnit.SECONDS);
                if (e == null) {
                    System.err.println("timed out waiting for event " + (i + 1) + "; saw " + seen);
                    System.exit(1);
                }
                seen.add(e);
                System.out.println(e.masks() + " " + e.name() + (e.cookie() != 0 ? " (cookie " + e.cookie() + ")" : ""));
            }
            stream.cancel();
            boolean ok = seen.get(0).is(InotifyMask.CREATE) && seen.get(0).name().equals("a.txt")
                    && seen.get(1).is(InotifyMask.MOVED_FROM) && seen.get(1).name().equals("a.txt")
                    && seen.get(2).is(InotifyMask.MOVED_TO) && seen.get(2).name().equals("b.txt")
                    && seen.get(1).cookie() == seen.get(2).cookie() && seen.get(1).cookie() != 0
                    && seen.get(3).is(InotifyMask.DELETE) && seen.get(3).name().equals("b.txt");
            if (!ok) {
                System.err.println("unexpected events: " + seen);
                System.exit(1);
            }
            System.out.println("watch-directory: create, rename (one cookie) and delete seen");
        } finally {
            Files.deleteIfExists(dir);
        }
    }
}
