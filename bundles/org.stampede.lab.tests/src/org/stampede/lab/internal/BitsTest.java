package org.stampede.lab.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.BitSet;
import java.util.Random;

import org.junit.jupiter.api.Test;

/**
 * The lab's piece set walks only the words that may hold pieces: through random adds, removes, ORs and clears it
 * holds and walks exactly what a {@link BitSet} does.
 */
class BitsTest {
    @Test
    void aSparseSetWalksAsABitSetThroughRandomChanges() {
        Random random = new Random(3);
        for (int size : new int[] { 1, 63, 64, 65, 1_000, 10_000 }) {
            Bits b = new Bits(size);
            Bits other = new Bits(size);
            BitSet expected = new BitSet();
            BitSet otherExpected = new BitSet();
            for (int step = 0; step < 2_000; step++) {
                int piece = random.nextInt(size);
                switch (random.nextInt(10)) {
                    case 0, 1, 2, 3 -> {
                        b.set(piece);
                        expected.set(piece);
                    }
                    case 4, 5 -> {
                        b.clear(piece);
                        expected.clear(piece);
                    }
                    case 6 -> {
                        other.set(piece);
                        otherExpected.set(piece);
                    }
                    case 7 -> {
                        b.or(other);
                        expected.or(otherExpected);
                    }
                    case 8 -> {
                        b.clearAll();
                        expected.clear();
                    }
                    default -> {
                        if (random.nextInt(20) == 0) {
                            b.setAll();
                            expected.set(0, size);
                        }
                    }
                }
                assertEquals(expected.cardinality(), b.count(), "size " + size + " step " + step);
                int from = random.nextInt(size + 1);
                assertEquals(next(expected, from, size), b.nextSetBit(from), "size " + size + " from " + from);
                StringBuilder walked = new StringBuilder();
                for (int p = b.nextSetBit(0); p >= 0; p = b.nextSetBit(p + 1)) {
                    walked.append(p).append(',');
                }
                StringBuilder bits = new StringBuilder();
                for (int p = expected.nextSetBit(0); p >= 0; p = expected.nextSetBit(p + 1)) {
                    bits.append(p).append(',');
                }
                assertEquals(bits.toString(), walked.toString());
            }
        }
    }

    private static int next(BitSet s, int from, int size) {
        int n = s.nextSetBit(from);
        return n >= size ? -1 : n;
    }
}
