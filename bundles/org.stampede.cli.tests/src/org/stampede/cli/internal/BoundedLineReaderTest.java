package org.stampede.cli.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;

import org.junit.jupiter.api.Test;

/** Line reading from a stream that may never send a newline. */
class BoundedLineReaderTest {

    static BoundedLineReader reader(String text, int max) {
        return new BoundedLineReader(new ByteArrayInputStream(text.getBytes(StandardCharsets.UTF_8)), max);
    }

    /**
     * 'x' without end, as far as a reader honouring a 64 KiB limit can tell: it ends after 16 MiB, so that a reader
     * without a limit fails the test instead of running out of memory. Counts what is read from it.
     */
    static final class Endless extends InputStream {
        static final long END = 16L << 20;
        long read;

        @Override
        public int read() {
            if (read >= END) {
                return -1;
            }
            read++;
            return 'x';
        }

        @Override
        public int read(byte[] b, int off, int len) {
            if (read >= END) {
                return -1;
            }
            int n = (int) Math.min(len, END - read);
            java.util.Arrays.fill(b, off, off + n, (byte) 'x');
            read += n;
            return n;
        }
    }

    @Test
    void linesComeWithoutTheirNewlineOrCarriageReturn() throws IOException {
        BoundedLineReader r = reader("one\r\ntwo\n\nthree", 100);
        assertEquals("one", r.readLine());
        assertEquals("two", r.readLine());
        assertEquals("", r.readLine());
        assertEquals("three", r.readLine());
        assertNull(r.readLine());
    }

    @Test
    void aLineOfExactlyTheLimitIsRead() throws IOException {
        assertEquals("x".repeat(64), reader("x".repeat(64) + "\n", 64).readLine());
    }

    @Test
    void aLineOverTheLimitIsRefusedAfterReadingNoMoreThanTheLimitAndOneBuffer() {
        Endless endless = new Endless();
        BoundedLineReader r = new BoundedLineReader(endless, 64 * 1024);
        IOException e = assertThrows(BoundedLineReader.LineTooLongException.class, r::readLine);
        assertTrue(e.getMessage().contains("longer than 65536 bytes"), e.getMessage());
        assertTrue(endless.read <= 64 * 1024 + 8192, () -> endless.read + " bytes read");
    }

    @Test
    void multiByteCharactersAcrossReadBuffersAreDecoded() throws IOException {
        String line = "é".repeat(10_000) + "€"; // 20 003 bytes: split across the 8 KiB buffers
        assertEquals(line, reader(line + "\n", 64 * 1024).readLine());
    }

    @Test
    void skipRestStopsAtItsBound() throws IOException {
        Endless endless = new Endless();
        assertEquals(100_000, new BoundedLineReader(endless, 10).skipRest(100_000)); // of 16 MiB
        assertEquals(100_000, endless.read);
    }
}
