package org.stampede.engine.internal;

import java.util.Arrays;

import org.stampede.api.PieceSet;

/**
 * A mutable set of pieces with a cached count and the range of words that may hold pieces, so that walking a sparse
 * set (one {@code have} among 100,000 pieces, a picker's news) reads only that range; not thread-safe (owned by one
 * torrent's lock).
 */
final class Bitfield implements PieceSet {
    private final long[] words;
    private final int size;
    private int count;
    /** Words outside {@code [lo, hi]} are 0 (the range only grows until {@link #clearAll()}). */
    private int lo = Integer.MAX_VALUE;
    private int hi = -1;

    Bitfield(int size) {
        this.size = size;
        this.words = new long[(size + 63) >>> 6];
    }

    /** Reads a wire bitfield (big-endian bits, piece 0 is the high bit of the first byte); spare bits ignored. */
    static Bitfield fromWire(byte[] bytes, int size) {
        Bitfield b = new Bitfield(size);
        for (int i = 0; i < size; i++) {
            if ((bytes[i >>> 3] & (0x80 >>> (i & 7))) != 0) {
                b.set(i);
            }
        }
        return b;
    }

    byte[] toWire() {
        byte[] out = new byte[(size + 7) >>> 3];
        for (int i = nextSetBit(0); i >= 0; i = nextSetBit(i + 1)) {
            out[i >>> 3] |= (byte) (0x80 >>> (i & 7));
        }
        return out;
    }

    @Override
    public int size() {
        return size;
    }

    @Override
    public boolean contains(int piece) {
        return piece >= 0 && piece < size && (words[piece >>> 6] & (1L << piece)) != 0;
    }

    /** Adds a piece; returns whether it was new. */
    boolean set(int piece) {
        long mask = 1L << piece;
        int w = piece >>> 6;
        if ((words[w] & mask) != 0) {
            return false;
        }
        words[w] |= mask;
        count++;
        if (w < lo) {
            lo = w;
        }
        if (w > hi) {
            hi = w;
        }
        return true;
    }

    /** Removes a piece; returns whether it was there. */
    boolean clear(int piece) {
        long mask = 1L << piece;
        int w = piece >>> 6;
        if ((words[w] & mask) == 0) {
            return false;
        }
        words[w] &= ~mask;
        count--;
        return true;
    }

    void setAll() {
        Arrays.fill(words, -1L);
        if ((size & 63) != 0) {
            words[words.length - 1] = (1L << (size & 63)) - 1;
        }
        count = size;
        lo = 0;
        hi = words.length - 1;
    }

    /** Adds every piece of {@code other} (of the same size): one OR per word. */
    void or(Bitfield other) {
        if (other.hi < 0) {
            return;
        }
        int n = count;
        for (int i = other.lo; i <= other.hi; i++) {
            long added = other.words[i] & ~words[i];
            words[i] |= added;
            n += Long.bitCount(added);
        }
        count = n;
        lo = Math.min(lo, other.lo);
        hi = Math.max(hi, other.hi);
    }

    /** Removes every piece: clears the words of its range only. */
    void clearAll() {
        if (hi >= 0) {
            Arrays.fill(words, lo, hi + 1, 0L);
        }
        count = 0;
        lo = Integer.MAX_VALUE;
        hi = -1;
    }

    @Override
    public int count() {
        return count;
    }

    @Override
    public int nextSetBit(int from) {
        if (from < 0) {
            from = 0;
        }
        if (from >= size) {
            return -1;
        }
        int w = from >>> 6;
        if (w < lo) {
            w = lo;
            from = 0; // the whole word
        }
        if (w > hi) {
            return -1;
        }
        long word = words[w] & (-1L << from);
        while (true) {
            if (word != 0) {
                int i = (w << 6) + Long.numberOfTrailingZeros(word);
                return i < size ? i : -1;
            }
            if (++w > hi) {
                return -1;
            }
            word = words[w];
        }
    }

    /** Whether this set has a piece that {@code other} lacks (restricted to {@code mask} when not null). */
    boolean hasAnyNotIn(PieceSet other, PieceSet mask) {
        for (int i = nextSetBit(0); i >= 0; i = nextSetBit(i + 1)) {
            if (!other.contains(i) && (mask == null || mask.contains(i))) {
                return true;
            }
        }
        return false;
    }

    Bitfield copy() {
        Bitfield b = new Bitfield(size);
        System.arraycopy(words, 0, b.words, 0, words.length);
        b.count = count;
        b.lo = lo;
        b.hi = hi;
        return b;
    }

    java.util.BitSet toBitSet() {
        return java.util.BitSet.valueOf(words);
    }
}
