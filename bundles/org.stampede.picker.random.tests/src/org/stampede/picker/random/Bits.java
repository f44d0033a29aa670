package org.stampede.picker.random;

import java.util.BitSet;

import org.stampede.api.PieceSet;

/** A mutable {@link PieceSet} for tests, backed by a {@link BitSet}. */
final class Bits implements PieceSet {
    private final int size;
    private final BitSet bits = new BitSet();

    Bits(int size) {
        this.size = size;
    }

    static Bits of(int size, int... pieces) {
        return new Bits(size).set(pieces);
    }

    static Bits all(int size) {
        Bits b = new Bits(size);
        b.bits.set(0, size);
        return b;
    }

    Bits set(int... pieces) {
        for (int p : pieces) {
            bits.set(p);
        }
        return this;
    }

    Bits set(int piece, boolean value) {
        bits.set(piece, value);
        return this;
    }

    @Override
    public int size() {
        return size;
    }

    @Override
    public boolean contains(int piece) {
        return piece >= 0 && piece < size && bits.get(piece);
    }

    @Override
    public int count() {
        return bits.cardinality();
    }

    @Override
    public int nextSetBit(int from) {
        int next = bits.nextSetBit(Math.max(0, from));
        return next < size ? next : -1;
    }
}
