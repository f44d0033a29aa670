package org.stampede.storage;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.stampede.metainfo.Torrent;

/** Where pieces lie in files, for the mixed set of {@link Fixtures#mixedSet} in v1, v2 and hybrid layouts. */
class PieceMapTest {

    @TempDir
    static Path work;
    static Torrent v1;
    static Torrent v2;
    static Torrent hybrid;

    @BeforeAll
    static void torrents() throws Exception {
        Path set = Fixtures.mixedSet(work);
        v1 = Fixtures.torrent(set, Torrent.Version.V1, 16 * 1024);
        v2 = Fixtures.torrent(set, Torrent.Version.V2, 16 * 1024);
        hybrid = Fixtures.torrent(set, Torrent.Version.HYBRID, 16 * 1024);
    }

    /** The display paths of the files with data in piece {@code p}, padding included. */
    private static List<String> filesIn(Torrent t, PieceMap map, int p) {
        List<String> out = new ArrayList<>();
        long start = map.pieceStart(p);
        long end = start + map.pieceSize(p);
        for (int s = map.spanAt(start); s < map.spanCount() && map.offset(map.spanFile(s)) < end; s++) {
            out.add(t.files().get(map.spanFile(s)).displayPath());
        }
        return out;
    }

    @Test
    void v1FirstPieceSpansThreeFiles() {
        PieceMap map = new PieceMap(v1);
        assertEquals(List.of("a.bin", "b.bin", "c.bin"), filesIn(v1, map, 0));
    }

    @Test
    void v1LastPieceIsShort() {
        PieceMap map = new PieceMap(v1);
        assertEquals(7, map.pieceCount);
        assertEquals(16 * 1024, map.pieceSize(5));
        assertEquals(103_100 - 6 * 16 * 1024, map.pieceSize(6));
    }

    @Test
    void v1EmptyFileHasNoPieces() {
        PieceMap map = new PieceMap(v1);
        int empty = Fixtures.fileIndex(v1, "d.empty");
        assertEquals(-1, map.firstPiece(empty));
        assertFalse(map.hasData(empty));
        for (int p = 0; p < map.pieceCount; p++) {
            assertFalse(filesIn(v1, map, p).contains("d.empty"));
        }
    }

    @Test
    void v1PieceSizesAddUpToTheContent() {
        PieceMap map = new PieceMap(v1);
        long sum = 0;
        for (int p = 0; p < map.pieceCount; p++) {
            sum += map.pieceSize(p);
        }
        assertEquals(v1.totalLength(), sum);
    }

    @Test
    void v2PiecesEndWithTheirFile() {
        PieceMap map = new PieceMap(v2);
        // a 1, b 1, c 3, e 1, f 4 pieces
        assertEquals(10, map.pieceCount);
        int[] expected = { 10_000, 3_000, 16384, 16384, 40_000 - 2 * 16384, 100, 16384, 16384, 16384,
                50_000 - 3 * 16384 };
        for (int p = 0; p < expected.length; p++) {
            assertEquals(expected[p], map.pieceSize(p), "piece " + p);
            assertEquals(1, filesIn(v2, map, p).size(), "piece " + p + " lies in one file");
        }
    }

    @Test
    void v2FileSmallerThanABlockIsOnePiece() {
        PieceMap map = new PieceMap(v2);
        int e = Fixtures.fileIndex(v2, "e.bin");
        assertEquals(map.firstPiece(e), map.lastPiece(e));
        assertEquals(100, map.pieceSize(map.firstPiece(e)));
    }

    @Test
    void hybridPiecesIncludeTheirPaddingAndOnlyTheLastIsShort() {
        PieceMap map = new PieceMap(hybrid);
        assertEquals(10, map.pieceCount);
        for (int p = 0; p < 9; p++) {
            assertEquals(16384, map.pieceSize(p), "piece " + p);
        }
        assertEquals(50_000 - 3 * 16384, map.pieceSize(9));
        List<String> first = filesIn(hybrid, map, 0);
        assertEquals("a.bin", first.get(0));
        assertTrue(first.get(1).startsWith(".pad/"), "then a padding file: " + first);
    }

    @Test
    void firstAndLastPieceOfAFileMatchTheTorrentOffsets() {
        PieceMap map = new PieceMap(v1);
        int c = Fixtures.fileIndex(v1, "c.bin"); // bytes 13000 .. 53000
        assertEquals(0, map.firstPiece(c));
        assertEquals(3, map.lastPiece(c));
        assertEquals(Fixtures.piecesOf(v1, c), List.of(0, 1, 2, 3));
    }
}
