package dev.ringio.sys;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What {@code shim/include/ringio.h} declares, read from the source tree: the {@code RINGIO_L_*} /
 * {@code RINGIO_C_*} layout ids with their values, and the exported {@code ringio_*} functions. The
 * tests compare these with what the loaded library and the Java side do.
 */
final class ShimHeader {

    private static final Pattern ENUM_ENTRY = Pattern.compile("^\\s*(RINGIO_[LC]_[A-Z0-9_]+)\\s*(?:=\\s*(\\d+))?\\s*,?\\s*$");
    private static final Pattern FUNCTION = Pattern.compile("\\b(ringio_[a-z0-9_]+)\\s*\\(");

    private ShimHeader() {
    }

    /** The header, found by walking up from the working directory (surefire runs in src/). */
    static Path path() {
        Path dir = Path.of("").toAbsolutePath();
        for (Path d = dir; d != null; d = d.getParent()) {
            Path h = d.resolve("shim/include/ringio.h");
            if (Files.isRegularFile(h)) {
                return h;
            }
        }
        throw new AssertionError("shim/include/ringio.h not found above " + dir);
    }

    /** The header without its comments. */
    static String code() throws IOException {
        String text = Files.readString(path());
        return text.replaceAll("(?s)/\\*.*?\\*/", " ").replaceAll("//[^\\n]*", " ");
    }

    /** Every RINGIO_L_* and RINGIO_C_* enumerator → its value, including the RINGIO_L_END sentinel. */
    static Map<String, Integer> layoutIds() throws IOException {
        Map<String, Integer> ids = new LinkedHashMap<>();
        int next = 0;
        for (String line : code().split("\\n")) {
            Matcher m = ENUM_ENTRY.matcher(line);
            if (m.matches()) {
                int value = m.group(2) != null ? Integer.parseInt(m.group(2)) : next;
                ids.put(m.group(1), value);
                next = value + 1;
            }
        }
        return ids;
    }

    /** The names of the functions the header declares. */
    static Set<String> functions() throws IOException {
        Set<String> names = new LinkedHashSet<>();
        Matcher m = FUNCTION.matcher(code());
        while (m.find()) {
            names.add(m.group(1));
        }
        return names;
    }
}
