package org.stampede.cli.internal;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * Reads newline-terminated UTF-8 lines of at most {@code maxLine} bytes from a stream that may be hostile: a line
 * that runs on past the limit is refused as soon as the limit is crossed, so the memory it costs is bounded by the
 * limit (plus one read buffer), never by what the sender goes on sending.
 */
final class BoundedLineReader {
    /** A line ran past the limit without a newline. */
    static final class LineTooLongException extends IOException {
        private static final long serialVersionUID = 1L;

        LineTooLongException(int maxLine) {
            super("request line longer than " + maxLine + " bytes");
        }
    }

    private final InputStream in;
    private final int maxLine;
    private final byte[] buffer = new byte[8192];
    private int position;
    private int limit;
    /** The line so far; grows by doubling up to {@code maxLine}. */
    private byte[] line = new byte[1024];

    BoundedLineReader(InputStream in, int maxLine) {
        if (maxLine < 1) {
            throw new IllegalArgumentException("maxLine must be positive: " + maxLine);
        }
        this.in = in;
        this.maxLine = maxLine;
    }

    /**
     * The next line without its {@code \n} (and a {@code \r} before it), or null at the end of the stream. A last
     * line without a newline is returned as a line.
     *
     * @throws LineTooLongException when more than {@code maxLine} bytes come without a newline; the rest of that
     *             line is not read
     */
    String readLine() throws IOException {
        int length = 0;
        while (true) {
            if (position == limit) {
                int n = in.read(buffer, 0, buffer.length);
                if (n < 0) {
                    return length == 0 ? null : decode(length);
                }
                position = 0;
                limit = n;
            }
            int start = position;
            while (position < limit && buffer[position] != '\n') {
                position++;
            }
            int chunk = position - start;
            if (length + chunk > maxLine) {
                throw new LineTooLongException(maxLine);
            }
            if (length + chunk > line.length) {
                line = Arrays.copyOf(line, Math.min(maxLine, Math.max(line.length * 2, length + chunk)));
            }
            System.arraycopy(buffer, start, line, length, chunk);
            length += chunk;
            if (position < limit) {
                position++; // the newline
                return decode(length);
            }
        }
    }

    /** Reads and drops up to {@code maxBytes} more bytes, or until the end of the stream; returns how many. */
    long skipRest(long maxBytes) throws IOException {
        long skipped = limit - position;
        position = limit;
        while (skipped < maxBytes) {
            int n = in.read(buffer, 0, (int) Math.min(buffer.length, maxBytes - skipped));
            if (n < 0) {
                break;
            }
            skipped += n;
        }
        return skipped;
    }

    private String decode(int length) {
        if (length > 0 && line[length - 1] == '\r') {
            length--;
        }
        return new String(line, 0, length, StandardCharsets.UTF_8);
    }
}
