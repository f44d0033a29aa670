package org.stampede.bencode;

import java.util.Arrays;
import java.util.Objects;

/**
 * Decodes bencode into {@link BValue}s. Instances are immutable and thread-safe.
 *
 * <h2>Modes</h2>
 * {@link #strict()} accepts only canonical bencode (BEP 3): integers without leading zeros, {@code +} or
 * {@code -0}, string lengths without leading zeros, dict keys that are strings in strictly increasing
 * order of their unsigned bytes. {@link #lenient()} additionally accepts, as libtorrent does for torrents
 * found in the wild, dict keys out of order and leading zeros in integers and string lengths, and
 * {@code -0}. Both modes reject a duplicate dict key, because which of the values is meant is ambiguous
 * (and two parties could disagree about it), an empty integer ({@code ie}), a {@code +} sign and integers
 * that do not fit in a signed 64-bit long.
 *
 * <h2>Safety</h2>
 * Decoding is iterative (no recursion) and linear in the input size, apart from lenient dicts with keys
 * out of order, which are sorted ({@code n log n} key comparisons). {@link BencodeLimits} bound depth,
 * token count and input size; the size is checked before anything else. A string's claimed length is
 * checked against the remaining input before anything is allocated. Decoded strings are views over the
 * input array (no copies), so each value costs a small, fixed number of bytes (about 40) plus its
 * container slot; {@link BencodeLimits#maxTokens()} therefore bounds memory use.
 *
 * <h2>Errors</h2>
 * Every problem is reported as a {@link BencodeException} whose offset is an absolute index into the
 * array passed in (not relative to {@code off}). Value positions ({@link BValue#start()},
 * {@link BValue#end()}) are absolute indices into that array too.
 */
public final class BencodeDecoder {
    private static final BencodeDecoder STRICT = new BencodeDecoder(true, BencodeLimits.DEFAULT);
    private static final BencodeDecoder LENIENT = new BencodeDecoder(false, BencodeLimits.DEFAULT);

    private final boolean strict;
    private final BencodeLimits limits;

    private BencodeDecoder(boolean strict, BencodeLimits limits) {
        this.strict = strict;
        this.limits = limits;
    }

    /** @return a decoder for canonical bencode with {@link BencodeLimits#DEFAULT default limits} */
    public static BencodeDecoder strict() {
        return STRICT;
    }

    /** @return a decoder tolerating common non-canonical encodings, with default limits */
    public static BencodeDecoder lenient() {
        return LENIENT;
    }

    /** @return a decoder of the same mode with the given limits */
    public BencodeDecoder withLimits(BencodeLimits newLimits) {
        return new BencodeDecoder(strict, Objects.requireNonNull(newLimits, "limits"));
    }

    /** @return whether this decoder is strict */
    public boolean isStrict() {
        return strict;
    }

    /** @return the limits applied */
    public BencodeLimits limits() {
        return limits;
    }

    /**
     * Decodes {@code data}, which must hold exactly one value.
     *
     * @throws BencodeException if the data is malformed, exceeds a limit or has bytes after the value
     */
    public BValue decode(byte[] data) {
        return decode(data, 0, data.length);
    }

    /**
     * Decodes {@code data[off, off+len)}, which must hold exactly one value.
     *
     * @throws BencodeException if the data is malformed, exceeds a limit or has bytes after the value
     */
    public BValue decode(byte[] data, int off, int len) {
        Objects.checkFromIndexSize(off, len, data.length);
        if (len > limits.maxSize()) {
            throw new BencodeException("input of " + len + " bytes exceeds size limit of " + limits.maxSize()
                    + " bytes", off + limits.maxSize());
        }
        Parser p = new Parser(data, off + len, off + len);
        BValue v = p.parse(off);
        if (v.end() != off + len) {
            throw new BencodeException("trailing data after value", v.end());
        }
        return v;
    }

    /**
     * Decodes the value at the start of {@code data[off, off+len)}; bytes after it are allowed and left
     * alone (its {@link BValue#end()} says where they begin). The value itself, not the whole range, must
     * fit in {@link BencodeLimits#maxSize()}.
     *
     * @throws BencodeException if the value is malformed, truncated or exceeds a limit
     */
    public BValue decodePrefix(byte[] data, int off, int len) {
        Objects.checkFromIndexSize(off, len, data.length);
        int end = (int) Math.min(off + (long) len, off + limits.maxSize());
        return new Parser(data, end, off + len).parse(off);
    }

    /** State of one decode call. */
    private final class Parser {
        private static final byte LIST = 0;
        private static final byte DICT = 1;

        private final byte[] data;
        private final int end; // parsing stops here (maxSize may put it before realEnd)
        private final int realEnd; // end of the caller's range
        private int tokens;

        // open containers, innermost last
        private int depth;
        private byte[] kind = new byte[8];
        private int[] startOf = new int[8];
        private int[] base = new int[8]; // index in vals of the container's first child
        private boolean[] unsorted = new boolean[8];

        // completed children of the open containers (for a dict: key, value, key, value ...)
        private BValue[] vals = new BValue[16];
        private int nvals;

        Parser(byte[] data, int end, int realEnd) {
            this.data = data;
            this.end = end;
            this.realEnd = realEnd;
        }

        BValue parse(int pos) {
            int p = pos;
            for (;;) {
                if (p >= end) {
                    throw endOfInput(p);
                }
                int b = data[p] & 0xff;
                BValue v;
                if (depth > 0 && b == 'e') {
                    v = close(p);
                } else {
                    boolean keyExpected = depth > 0 && kind[depth - 1] == DICT && ((nvals - base[depth - 1]) & 1) == 0;
                    if (keyExpected && (b < '0' || b > '9')) {
                        throw new BencodeException("dict key must be a string but found " + hex(b), p);
                    }
                    if (++tokens > limits.maxTokens()) {
                        throw new BencodeException("more than " + limits.maxTokens() + " tokens", p);
                    }
                    if (b >= '0' && b <= '9') {
                        BString s = string(p);
                        if (keyExpected) {
                            checkKey(s);
                        }
                        v = s;
                    } else if (b == 'i') {
                        v = integer(p);
                    } else if (b == 'l' || b == 'd') {
                        open(b == 'l' ? LIST : DICT, p);
                        p++;
                        continue;
                    } else {
                        throw new BencodeException("expected 'i', 'l', 'd' or a digit but found " + hex(b), p);
                    }
                }
                if (depth == 0) {
                    return v;
                }
                push(v);
                p = v.end();
            }
        }

        private void open(byte k, int p) {
            if (depth >= limits.maxDepth()) {
                throw new BencodeException("nesting deeper than " + limits.maxDepth(), p);
            }
            if (depth == kind.length) {
                int n = depth * 2;
                kind = Arrays.copyOf(kind, n);
                startOf = Arrays.copyOf(startOf, n);
                base = Arrays.copyOf(base, n);
                unsorted = Arrays.copyOf(unsorted, n);
            }
            kind[depth] = k;
            startOf[depth] = p;
            base[depth] = nvals;
            unsorted[depth] = false;
            depth++;
        }

        /** Closes the innermost container at the 'e' at {@code p}. */
        private BValue close(int p) {
            int f = --depth;
            int from = base[f];
            int n = nvals - from;
            BValue result;
            if (kind[f] == LIST) {
                BValue[] items = n == 0 ? BList.NO_VALUES : Arrays.copyOfRange(vals, from, nvals);
                result = new BList(data, startOf[f], p + 1, items);
            } else {
                if ((n & 1) != 0) {
                    throw new BencodeException("missing value for dict key " + ((BString) vals[nvals - 1]).quoted(), p);
                }
                int m = n / 2;
                BString[] keys = new BString[m];
                BValue[] values = new BValue[m];
                for (int i = 0; i < m; i++) {
                    keys[i] = (BString) vals[from + 2 * i];
                    values[i] = vals[from + 2 * i + 1];
                }
                int[] order = null;
                if (unsorted[f]) {
                    order = BDict.sortedOrder(keys);
                    int dup = BDict.firstDuplicate(keys, order);
                    if (dup >= 0) {
                        throw new BencodeException("duplicate dict key " + keys[dup].quoted(), keys[dup].start());
                    }
                }
                result = new BDict(data, startOf[f], p + 1, keys, values, order);
            }
            Arrays.fill(vals, from, nvals, null);
            nvals = from;
            return result;
        }

        private void push(BValue v) {
            if (nvals == vals.length) {
                vals = Arrays.copyOf(vals, nvals * 2);
            }
            vals[nvals++] = v;
        }

        /** Checks a new key of the innermost dict against the previous one. */
        private void checkKey(BString key) {
            int f = depth - 1;
            if (nvals - base[f] < 2) {
                return;
            }
            BString prev = (BString) vals[nvals - 2];
            int c = prev.compareTo(key);
            if (c == 0) {
                throw new BencodeException("duplicate dict key " + key.quoted(), key.start());
            }
            if (c > 0) {
                if (strict) {
                    throw new BencodeException("dict keys not sorted: " + key.quoted() + " after " + prev.quoted(),
                            key.start());
                }
                unsorted[f] = true;
            }
        }

        /** Parses {@code i<digits>e} at {@code p}. */
        private BInteger integer(int p) {
            int q = p + 1;
            boolean negative = false;
            if (q < end && data[q] == '-') {
                negative = true;
                q++;
            }
            if (q >= end) {
                throw endOfInput(q);
            }
            int b = data[q] & 0xff;
            if (b < '0' || b > '9') {
                if (b == 'e') {
                    throw new BencodeException(negative ? "no digits after '-' in integer" : "empty integer", q);
                }
                throw new BencodeException("expected a digit in integer but found " + hex(b), q);
            }
            if (strict && b == '0') {
                if (q + 1 < end && isDigit(data[q + 1])) {
                    throw new BencodeException("leading zero in integer", q);
                }
                if (negative) {
                    throw new BencodeException("negative zero", q - 1);
                }
            }
            // accumulate negatively so that Long.MIN_VALUE is representable
            long limit = negative ? Long.MIN_VALUE : -Long.MAX_VALUE;
            long multMin = limit / 10;
            long acc = 0;
            while (q < end && isDigit(data[q])) {
                int d = data[q] - '0';
                if (acc < multMin) {
                    throw new BencodeException("integer out of range", q);
                }
                acc *= 10;
                if (acc < limit + d) {
                    throw new BencodeException("integer out of range", q);
                }
                acc -= d;
                q++;
            }
            if (q >= end) {
                throw endOfInput(q);
            }
            if (data[q] != 'e') {
                throw new BencodeException("expected a digit or 'e' in integer but found " + hex(data[q] & 0xff), q);
            }
            return new BInteger(data, p, q + 1, negative ? acc : -acc);
        }

        /** Parses {@code <length>:<bytes>} at {@code p}, which holds a digit. */
        private BString string(int p) {
            if (strict && data[p] == '0' && p + 1 < end && isDigit(data[p + 1])) {
                throw new BencodeException("leading zero in string length", p);
            }
            int q = p;
            long length = 0;
            while (q < end && isDigit(data[q])) {
                int d = data[q] - '0';
                if (length > (Long.MAX_VALUE - d) / 10) {
                    throw new BencodeException("string length out of range", q);
                }
                length = length * 10 + d;
                q++;
            }
            if (q >= end) {
                throw endOfInput(q);
            }
            if (data[q] != ':') {
                throw new BencodeException("expected a digit or ':' in string length but found " + hex(data[q] & 0xff), q);
            }
            q++;
            if (length > end - q) {
                if (length <= realEnd - q) {
                    throw sizeLimit(p);
                }
                throw new BencodeException("string length " + length + " exceeds remaining " + (realEnd - q)
                        + " bytes", p);
            }
            int len = (int) length;
            return new BString(data, p, q + len, q, len);
        }

        private BencodeException endOfInput(int p) {
            return p < realEnd ? sizeLimit(p) : new BencodeException("unexpected end of input", p);
        }

        private BencodeException sizeLimit(int p) {
            return new BencodeException("value exceeds size limit of " + limits.maxSize() + " bytes", p);
        }
    }

    private static boolean isDigit(byte b) {
        return b >= '0' && b <= '9';
    }

    private static String hex(int b) {
        return String.format("0x%02x", b);
    }
}
