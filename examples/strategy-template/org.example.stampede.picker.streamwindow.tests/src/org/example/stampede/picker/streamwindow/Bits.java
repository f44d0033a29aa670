package org.example.stampede.picker.streamwindow;

import java.util.BitSet;

import org.stampede.api.PieceSet;

/** A mutable {@link PieceSet} for tests. */
final class Bits implements PieceSet {
    private final int size;
    private final BitSet bits = new BitSet();

    Bits(int size) {
        this.size = size;
    }

    static Bits of(int size, int... pieces) {
        Bits b = new Bits(size);
        for (int piece : pieces) {
            b.add(piece);
        }
        return b;
    }

    static Bits all(int size) {
        Bits b = new Bits(size);
        b.bits.set(0, size);
        return b;
    }

    Bits add(int piece) {
        if (piece < 0 || piece >= size) {
            throw new IndexOutOfBoundsException(piece);
        }
        bits.set(piece);
        return this;
    }

    Bits remove(int piece) {
        bits.clear(piece);
        return this;
    }

    @Override
    public int size() {
        return size;
    }

    @Override
    public boolean contains(int piece) {
        return piece >= 0 && bits.get(piece);
    }

    @Override
    public int count() {
        return bits.cardinality();
    }

    @Override
    public int nextSetBit(int from) {
        int next = bits.nextSetBit(from);
        return next < size ? next : -1;
    }
}
