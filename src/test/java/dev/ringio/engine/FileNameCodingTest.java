package dev.ringio.engine;

import java.nio.charset.StandardCharsets;
import java.nio.file.InvalidPathException;
import java.util.Random;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@link PathCoding#decodeName} and {@link PathCoding#encodePath}: every byte string round-trips, valid
 * UTF-8 decodes exactly as the JDK decodes it, and a string that no byte string decodes to is refused.
 */
class FileNameCodingTest {

    @Test
    void everyByteStringRoundTrips() {
        Random r = new Random(42);
        for (int i = 0; i < 20_000; i++) {
            byte[] b = new byte[r.nextInt(12)];
            for (int k = 0; k < b.length; k++) {
                // Bias towards the bytes that make UTF-8 interesting.
                b[k] = (byte) (r.nextBoolean() ? 0x80 + r.nextInt(0x80) : 1 + r.nextInt(0xff));
            }
            String s = PathCoding.decodeName(b, 0, b.length);
            assertArrayEquals(b, PathCoding.encodePath("t", s), s);
        }
    }

    @Test
    void validUtf8DecodesAsTheJdkDecodesIt() {
        for (String s : new String[] {"plain", "\u00e9t\u00e9", "\u20ac", "\uD83D\uDE00 emoji", "\uFFFD", "\u07ff\u0800\uffff"}) {
            byte[] b = s.getBytes(StandardCharsets.UTF_8);
            assertEquals(s, PathCoding.decodeName(b, 0, b.length));
            assertArrayEquals(b, PathCoding.encodePath("t", s));
        }
    }

    @Test
    void undecodableBytesBecomeTheirEscapes() {
        byte[] b = {'a', (byte) 0xff, (byte) 0xed, (byte) 0xa0, (byte) 0x80, (byte) 0xf4, (byte) 0x90, (byte) 0x80, (byte) 0x80};
        assertEquals("a\uDCFF\uDCED\uDCA0\uDC80\uDCF4\uDC90\uDC80\uDC80", PathCoding.decodeName(b, 0, b.length));
    }

    @Test
    void stringsNoNameDecodesToAreRefusedNamingTheOp() {
        for (String s : new String[] {"a\uD800", "\uD800b", "\uDC00", "\uDC7F", "\uDD00", "\uDFFF\uD800", "x\0y"}) {
            InvalidPathException e = assertThrows(InvalidPathException.class, () -> PathCoding.encodePath("mkdirat", s));
            assertTrue(e.getMessage().startsWith("mkdirat: "), e.getMessage());
        }
    }
}
