package org.stampede.wire;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

class PieceGeometryTest {

    @Test
    void lastPieceHoldsTheRemainder() {
        PieceGeometry g = PieceGeometry.of(9L * 32768 + 20000, 32768);
        assertEquals(10, g.pieceCount());
        assertEquals(32768, g.pieceSize(0));
        assertEquals(32768, g.pieceSize(8));
        assertEquals(20000, g.pieceSize(9));
    }

    @Test
    void lastPieceIsFullWhenTheLengthIsAMultiple() {
        PieceGeometry g = PieceGeometry.of(4L * 16384, 16384);
        assertEquals(4, g.pieceCount());
        assertEquals(16384, g.pieceSize(3));
    }

    @Test
    void bitfieldLengthRoundsUpToWholeBytes() {
        assertEquals(1, PieceGeometry.of(8, 1).bitfieldLength());
        assertEquals(2, PieceGeometry.of(9, 1).bitfieldLength());
        assertEquals(165, PieceGeometry.of(1313, 1).bitfieldLength());
    }

    @Test
    void pieceCountMustMatchTheLengths() {
        assertThrows(IllegalArgumentException.class, () -> new PieceGeometry(3, 100, 301));
        assertThrows(IllegalArgumentException.class, () -> new PieceGeometry(1, 0, 1));
        assertThrows(IllegalArgumentException.class, () -> new PieceGeometry(0, 100, 0));
    }

    @Test
    void moreThanTheMaximumPiecesIsRefused() {
        assertThrows(IllegalArgumentException.class, () -> PieceGeometry.of(PieceGeometry.MAX_PIECES + 1L, 1));
    }
}
