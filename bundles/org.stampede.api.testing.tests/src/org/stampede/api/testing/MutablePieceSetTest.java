package org.stampede.api.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

/** The piece set behind the test views: membership, count and iteration across 64-bit words. */
class MutablePieceSetTest {
    private static List<Integer> members(MutablePieceSet set) {
        List<Integer> pieces = new ArrayList<>();
        for (int p = set.nextSetBit(0); p >= 0; p = set.nextSetBit(p + 1)) {
            pieces.add(p);
        }
        return pieces;
    }

    @Test
    void iterationFindsPiecesAcrossWordBoundaries() {
        MutablePieceSet set = MutablePieceSet.of(200, 0, 63, 64, 127, 128, 199);
        assertEquals(List.of(0, 63, 64, 127, 128, 199), members(set));
        assertEquals(6, set.count());
    }

    @Test
    void nextSetBitBeforeZeroStartsAtZeroAndPastTheEndFindsNothing() {
        MutablePieceSet set = MutablePieceSet.of(10, 0, 9);
        assertEquals(0, set.nextSetBit(-5));
        assertEquals(-1, set.nextSetBit(10));
        assertEquals(-1, set.nextSetBit(Integer.MAX_VALUE));
    }

    @Test
    void addingAPieceTwiceCountsItOnce() {
        MutablePieceSet set = new MutablePieceSet(10).add(3, 3).add(3);
        assertEquals(1, set.count());
    }

    @Test
    void removingAPieceNotInTheSetChangesNothing() {
        MutablePieceSet set = MutablePieceSet.of(10, 3).set(4, false);
        assertEquals(List.of(3), members(set));
        assertEquals(1, set.count());
    }

    @Test
    void allIsFullAtEverySizeAroundAWord() {
        for (int size : new int[] { 1, 63, 64, 65, 128, 130 }) {
            MutablePieceSet set = MutablePieceSet.all(size);
            assertTrue(set.isFull(), "size " + size);
            assertEquals(size - 1, lastMember(set), "size " + size);
        }
    }

    private static int lastMember(MutablePieceSet set) {
        List<Integer> m = members(set);
        return m.get(m.size() - 1);
    }

    @Test
    void setFirstReplacesTheSetWithAPrefix() {
        for (int n : new int[] { 0, 1, 63, 64, 65, 100 }) {
            MutablePieceSet set = MutablePieceSet.of(100, 99, 70).setFirst(n);
            assertEquals(n, set.count(), "first " + n);
            assertEquals(n, members(set).size(), "first " + n);
            assertFalse(set.contains(n), "first " + n);
        }
    }

    @Test
    void outOfRangePiecesAreNeverContained() {
        MutablePieceSet set = MutablePieceSet.all(10);
        assertFalse(set.contains(-1));
        assertFalse(set.contains(10));
    }

    @Test
    void addingAPieceOutsideTheSetIsRefused() {
        MutablePieceSet set = new MutablePieceSet(10);
        assertThrows(IndexOutOfBoundsException.class, () -> set.add(10));
        assertThrows(IndexOutOfBoundsException.class, () -> set.add(-1));
        assertThrows(IndexOutOfBoundsException.class, () -> set.setFirst(11));
        assertEquals(0, set.count());
    }

    @Test
    void emptySetOfNoPiecesIsBothEmptyAndFull() {
        MutablePieceSet set = new MutablePieceSet(0);
        assertTrue(set.isEmpty());
        assertTrue(set.isFull());
        assertEquals(-1, set.nextSetBit(0));
    }

    @Test
    void aSparseSetWalksAsABitSetThroughRandomChanges() {
        java.util.Random random = new java.util.Random(5);
        for (int size : new int[] { 1, 64, 65, 1_000 }) {
            MutablePieceSet set = new MutablePieceSet(size);
            java.util.BitSet expected = new java.util.BitSet();
            for (int step = 0; step < 2_000; step++) {
                int piece = random.nextInt(size);
                switch (random.nextInt(8)) {
                    case 0, 1, 2, 3 -> {
                        set.set(piece, true);
                        expected.set(piece);
                    }
                    case 4, 5 -> {
                        set.set(piece, false);
                        expected.clear(piece);
                    }
                    case 6 -> {
                        set.clear();
                        expected.clear();
                    }
                    default -> {
                        set.setFirst(piece);
                        expected.clear();
                        expected.set(0, piece);
                    }
                }
                List<Integer> bits = new ArrayList<>();
                for (int p = expected.nextSetBit(0); p >= 0; p = expected.nextSetBit(p + 1)) {
                    bits.add(p);
                }
                assertEquals(bits, members(set), "size " + size + " step " + step);
                assertEquals(bits.size(), set.count());
            }
        }
    }

    @Test
    void toStringListsThePiecesAndTheSize() {
        assertEquals("{0, 3, 7}/10", MutablePieceSet.of(10, 7, 0, 3).toString());
    }
}
