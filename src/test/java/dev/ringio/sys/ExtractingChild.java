package dev.ringio.sys;

import java.io.IOException;

/**
 * Run by {@link StaleExtractionTest} in a child JVM: loads the shim (extracting libringio.so),
 * prints the path it loaded and, with the argument {@code wait}, blocks on standard input until
 * killed; without it, exits at once.
 */
public final class ExtractingChild {

    private ExtractingChild() {
    }

    public static void main(String[] args) throws IOException {
        System.out.println("abi=" + Shim.get().abiVersion());
        System.out.println(NativeLibrary.path());
        System.out.flush();
        if (args.length > 0 && args[0].equals("wait")) {
            System.in.read();
        }
    }
}
