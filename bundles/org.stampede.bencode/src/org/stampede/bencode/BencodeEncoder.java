package org.stampede.bencode;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.util.Arrays;
import java.util.Objects;

/**
 * Encodes {@link BValue}s as bencode. Values are written from their content (a leniently decoded
 * {@code i007e} becomes {@code i7e}), dict entries in the dict's order: sorted for dicts built with
 * {@link BDict#builder()} and for strictly decoded dicts, source order for leniently decoded ones. Use
 * {@link BValue#rawBytes()} to get the original bytes instead. Encoding is iterative, so any depth works.
 */
public final class BencodeEncoder {
    private BencodeEncoder() {
    }

    /** @return the encoding of {@code value} in a new array of exactly {@link #encodedLength} bytes */
    public static byte[] encode(BValue value) {
        byte[] out = new byte[encodedLength(value)];
        ArraySink sink = new ArraySink(out);
        try {
            write(value, sink);
        } catch (IOException e) {
            throw new UncheckedIOException(e); // cannot happen: arrays do not throw
        }
        return out;
    }

    /** Writes the encoding of {@code value} to {@code out} (buffered internally; {@code out} is not flushed). */
    public static void encode(BValue value, OutputStream out) throws IOException {
        Objects.requireNonNull(out, "out");
        StreamSink sink = new StreamSink(out);
        write(value, sink);
        sink.drain();
    }

    /**
     * @return the number of bytes {@link #encode(BValue)} produces
     * @throws BencodeException if the encoding would be longer than {@link Integer#MAX_VALUE} bytes
     */
    public static int encodedLength(BValue value) {
        CountSink sink = new CountSink();
        try {
            write(value, sink);
        } catch (IOException e) {
            throw new UncheckedIOException(e); // cannot happen
        }
        if (sink.count > Integer.MAX_VALUE) {
            throw new BencodeException("encoding of " + sink.count + " bytes is too large for an array", -1);
        }
        return (int) sink.count;
    }

    private static void write(BValue root, Sink sink) throws IOException {
        Objects.requireNonNull(root, "value");
        // explicit stack of open containers and the index of their next child
        BValue[] open = new BValue[16];
        int[] next = new int[16];
        int depth = 0;
        BValue v = root;
        for (;;) {
            if (v != null) {
                switch (v) {
                    case BInteger i -> {
                        sink.put('i');
                        sink.putDecimal(i.value());
                        sink.put('e');
                    }
                    case BString s -> {
                        sink.putDecimal(s.length());
                        sink.put(':');
                        sink.put(s.array(), s.contentOffset(), s.length());
                    }
                    case BList l -> {
                        sink.put('l');
                        if (depth == open.length) {
                            open = Arrays.copyOf(open, depth * 2);
                            next = Arrays.copyOf(next, depth * 2);
                        }
                        open[depth] = l;
                        next[depth++] = 0;
                    }
                    case BDict d -> {
                        sink.put('d');
                        if (depth == open.length) {
                            open = Arrays.copyOf(open, depth * 2);
                            next = Arrays.copyOf(next, depth * 2);
                        }
                        open[depth] = d;
                        next[depth++] = 0;
                    }
                }
            }
            if (depth == 0) {
                return;
            }
            // pick the next child of the innermost container, or close it
            int f = depth - 1;
            int i = next[f]++;
            v = null;
            if (open[f] instanceof BList l) {
                BValue[] items = l.items();
                if (i < items.length) {
                    v = items[i];
                }
            } else {
                BDict d = (BDict) open[f];
                if (i < 2 * d.size()) {
                    v = (i & 1) == 0 ? d.keyArray()[i >> 1] : d.valueArray()[i >> 1];
                }
            }
            if (v == null) {
                sink.put('e');
                open[--depth] = null;
            }
        }
    }

    /** Destination of encoded bytes. */
    private abstract static class Sink {
        private final byte[] digits = new byte[20];

        abstract void put(int b) throws IOException;

        abstract void put(byte[] b, int off, int len) throws IOException;

        /** Writes {@code n} in decimal ASCII without creating a String. */
        void putDecimal(long n) throws IOException {
            int pos = digits.length;
            long x = n < 0 ? n : -n; // negative, so that Long.MIN_VALUE works
            do {
                digits[--pos] = (byte) ('0' - (x % 10));
                x /= 10;
            } while (x != 0);
            if (n < 0) {
                put('-');
            }
            put(digits, pos, digits.length - pos);
        }
    }

    private static final class ArraySink extends Sink {
        private final byte[] out;
        private int pos;

        ArraySink(byte[] out) {
            this.out = out;
        }

        @Override
        void put(int b) {
            out[pos++] = (byte) b;
        }

        @Override
        void put(byte[] b, int off, int len) {
            System.arraycopy(b, off, out, pos, len);
            pos += len;
        }
    }

    private static final class CountSink extends Sink {
        long count;

        @Override
        void put(int b) {
            count++;
        }

        @Override
        void put(byte[] b, int off, int len) {
            count += len;
        }
    }

    private static final class StreamSink extends Sink {
        private final OutputStream out;
        private final byte[] buf = new byte[8192];
        private int pos;

        StreamSink(OutputStream out) {
            this.out = out;
        }

        @Override
        void put(int b) throws IOException {
            if (pos == buf.length) {
                drain();
            }
            buf[pos++] = (byte) b;
        }

        @Override
        void put(byte[] b, int off, int len) throws IOException {
            if (len > buf.length - pos) {
                drain();
                if (len > buf.length) {
                    out.write(b, off, len);
                    return;
                }
            }
            System.arraycopy(b, off, buf, pos, len);
            pos += len;
        }

        void drain() throws IOException {
            if (pos > 0) {
                out.write(buf, 0, pos);
                pos = 0;
            }
        }
    }
}
