package dev.ringio.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** Which file system a directory lives on, from /proc/self/mounts (the longest matching mount point). */
final class Mounts {

    private Mounts() {
    }

    static String fsType(Path dir) {
        String best = "";
        String type = "unknown fs";
        try {
            String target = dir.toRealPath().toString();
            for (String line : Files.readAllLines(Path.of("/proc/self/mounts"))) {
                String[] f = line.split(" ");
                if (f.length < 3) {
                    continue;
                }
                String mp = f[1].replace("\\040", " ");
                boolean under = target.equals(mp) || target.startsWith(mp.endsWith("/") ? mp : mp + "/");
                if (under && mp.length() >= best.length()) {
                    best = mp;
                    type = f[2];
                }
            }
        } catch (IOException | RuntimeException e) {
            return type;
        }
        return type;
    }
}
