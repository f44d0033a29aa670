package org.stampede.lab.internal;

import java.util.Arrays;

import org.stampede.api.PieceSet;

/**
 * A set of pieces on a long array with a cached count and the range of words that may hold pieces (so that walking
 * a sparse set reads only that range); the lab's side of {@link PieceSet}.
 */
final class Bits implements PieceSet {
    private final long[] words;
    private final int size;
    private int count;
    /** Words outside {@code [lo, hi]} are 0 (the range only grows until {@link #clearAll()}). */
    private int lo = Integer.MAX_VALUE;
    private int hi = -1;

    Bits(int size) {
        this.size = size;
        this.words = new long[(size + 63) >>> 6];
    }

    @Override
    public int size() {
        return size;
    }

    @Override
    public boolean contains(int piece) {
        return piece >= 0 && piece < size && (words[piece >>> 6] & (1L << piece)) != 0;
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
                int bit = (w << 6) + Long.numberOfTrailingZeros(word);
                return bit < size ? bit : -1;
            }
            if (++w > hi) {
                return -1;
            }
            word = words[w];
        }
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

    /** Adds every piece of {@code other} (of the same size). */
    void or(Bits other) {
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

    /** How many pieces are in this set and not in {@code other} (of the same size). */
    int countNotIn(Bits other) {
        int n = 0;
        for (int i = 0; i < words.length; i++) {
            n += Long.bitCount(words[i] & ~other.words[i]);
        }
        return n;
    }

    @Override
    public String toString() {
        return "Bits(" + count + "/" + size + ")";
    }
}
