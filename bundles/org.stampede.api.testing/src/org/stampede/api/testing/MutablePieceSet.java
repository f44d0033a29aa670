package org.stampede.api.testing;

import java.util.Arrays;

import org.stampede.api.PieceSet;

/**
 * A {@link PieceSet} that a test can change: a peer's pieces, its allowed-fast set, a torrent's verified pieces.
 * The count is kept up to date, so {@link #count()}, {@link #isEmpty()} and {@link #isFull()} cost nothing, as
 * they cost nothing in the engine. Pieces outside {@code [0, size)} are never contained; adding one is a mistake in
 * the test and throws {@link IndexOutOfBoundsException}.
 */
public final class MutablePieceSet implements PieceSet {
    private final int size;
    private final long[] words;
    private int count;
    /** Words outside {@code [lo, hi]} are 0, so walking a sparse set reads only that range, as in the engine. */
    private int lo = Integer.MAX_VALUE;
    private int hi = -1;

    /** An empty set over {@code size} pieces. */
    public MutablePieceSet(int size) {
        if (size < 0) {
            throw new IllegalArgumentException("size " + size + " is negative");
        }
        this.size = size;
        this.words = new long[(size + 63) >>> 6];
    }

    /** A set over {@code size} pieces holding {@code pieces}. */
    public static MutablePieceSet of(int size, int... pieces) {
        return new MutablePieceSet(size).add(pieces);
    }

    /** A set over {@code size} pieces holding all of them (a seed's bitfield). */
    public static MutablePieceSet all(int size) {
        return new MutablePieceSet(size).addFirst(size);
    }

    /** Adds pieces (those already in the set stay). */
    public MutablePieceSet add(int... pieces) {
        for (int piece : pieces) {
            set(piece, true);
        }
        return this;
    }

    /** Adds or removes one piece. */
    public MutablePieceSet set(int piece, boolean value) {
        if (piece < 0 || piece >= size) {
            throw new IndexOutOfBoundsException("piece " + piece + " is outside [0, " + size + ")");
        }
        long mask = 1L << piece;
        int w = piece >>> 6;
        boolean had = (words[w] & mask) != 0;
        if (value && !had) {
            words[w] |= mask;
            count++;
            lo = Math.min(lo, w);
            hi = Math.max(hi, w);
        } else if (!value && had) {
            words[w] &= ~mask;
            count--;
        }
        return this;
    }

    /** Removes every piece. */
    public MutablePieceSet clear() {
        if (hi >= 0) {
            Arrays.fill(words, lo, hi + 1, 0L);
        }
        count = 0;
        lo = Integer.MAX_VALUE;
        hi = -1;
        return this;
    }

    /** Makes the set exactly pieces {@code 0} to {@code n - 1}, as a peer that downloads in order announces them. */
    public MutablePieceSet setFirst(int n) {
        return clear().addFirst(n);
    }

    /** Sets pieces {@code 0} to {@code n - 1} of an empty set. */
    private MutablePieceSet addFirst(int n) {
        if (n < 0 || n > size) {
            throw new IndexOutOfBoundsException("first " + n + " pieces of a set over " + size);
        }
        Arrays.fill(words, 0, n >>> 6, -1L);
        if ((n & 63) != 0) {
            words[n >>> 6] = (1L << n) - 1;
        }
        count = n;
        if (n > 0) {
            lo = 0;
            hi = (n - 1) >>> 6;
        }
        return this;
    }

    @Override
    public int size() {
        return size;
    }

    @Override
    public boolean contains(int piece) {
        return piece >= 0 && piece < size && (words[piece >>> 6] & 1L << piece) != 0;
    }

    @Override
    public int count() {
        return count;
    }

    @Override
    public int nextSetBit(int from) {
        int i = Math.max(0, from);
        if (i >= size) {
            return -1;
        }
        int w = i >>> 6;
        if (w < lo) {
            w = lo;
            i = 0; // the whole word
        }
        if (w > hi) {
            return -1;
        }
        long word = words[w] & -1L << i;
        while (word == 0) {
            if (++w > hi) {
                return -1;
            }
            word = words[w];
        }
        return (w << 6) + Long.numberOfTrailingZeros(word);
    }

    /** The pieces as {@code {0, 3, 7}/10} (the set's size after the slash), for assertion messages. */
    @Override
    public String toString() {
        StringBuilder s = new StringBuilder("{");
        for (int p = nextSetBit(0); p >= 0; p = nextSetBit(p + 1)) {
            s.append(s.length() > 1 ? ", " : "").append(p);
        }
        return s.append("}/").append(size).toString();
    }
}
