package org.stampede.storage;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.stampede.metainfo.Torrent;

/**
 * {@code Torrent.pieceHashV2(int)}, the accessor added to metainfo for v2 verification: equal to merkle roots
 * computed here from the data, from scratch.
 */
class TorrentPieceHashV2Test {

    @TempDir
    Path work;

    /** The BEP 52 root over the 16 KiB blocks of {@code data}, in a tree {@code width} leaves wide. */
    private static byte[] merkle(byte[] data, int width) throws Exception {
        MessageDigest sha = MessageDigest.getInstance("SHA-256");
        List<byte[]> level = new ArrayList<>();
        for (int off = 0; off < data.length; off += 16384) {
            level.add(sha.digest(Arrays.copyOfRange(data, off, Math.min(data.length, off + 16384))));
        }
        while (level.size() < width) {
            level.add(new byte[32]);
        }
        while (level.size() > 1) {
            List<byte[]> up = new ArrayList<>();
            for (int i = 0; i < level.size(); i += 2) {
                sha.update(level.get(i));
                sha.update(level.get(i + 1));
                up.add(sha.digest());
            }
            level = up;
        }
        return level.get(0);
    }

    @Test
    void pieceHashesOfAV2TorrentAreTheMerkleRootsOfItsPieces() throws Exception {
        Path dir = work.resolve("v2");
        Fixtures.randomFile(dir.resolve("big.bin"), 3 * 65536 + 20_000, 1); // 4 pieces, last short
        Fixtures.randomFile(dir.resolve("small.bin"), 40_000, 2); // one piece of 3 blocks
        Torrent t = Fixtures.torrent(dir, Torrent.Version.V2, 65536);
        byte[] big = Files.readAllBytes(dir.resolve("big.bin"));
        for (int p = 0; p < 4; p++) {
            byte[] piece = Arrays.copyOfRange(big, p * 65536, Math.min(big.length, (p + 1) * 65536));
            assertArrayEquals(merkle(piece, 4), t.pieceHashV2(p), "big.bin piece " + p);
        }
        byte[] small = Files.readAllBytes(dir.resolve("small.bin"));
        assertArrayEquals(merkle(small, 4), t.pieceHashV2(4), "a one-piece file: its pieces root");
        assertArrayEquals(t.files().get(1).piecesRoot(), t.pieceHashV2(4));
    }

    @Test
    void hybridTorrentHasV2PieceHashesToo() throws Exception {
        Path dir = work.resolve("h");
        Fixtures.randomFile(dir.resolve("a.bin"), 70_000, 3);
        Fixtures.randomFile(dir.resolve("b.bin"), 10_000, 4);
        Torrent t = Fixtures.torrent(dir, Torrent.Version.HYBRID, 32768);
        byte[] a = Files.readAllBytes(dir.resolve("a.bin"));
        assertArrayEquals(merkle(Arrays.copyOfRange(a, 65536, 70_000), 2), t.pieceHashV2(2));
        assertArrayEquals(merkle(Files.readAllBytes(dir.resolve("b.bin")), 1), t.pieceHashV2(3));
    }

    @Test
    void v1TorrentHasNoV2PieceHashes() throws Exception {
        Path dir = work.resolve("v1");
        Fixtures.randomFile(dir.resolve("a.bin"), 70_000, 3);
        Torrent t = Fixtures.torrent(dir, Torrent.Version.V1, 32768);
        assertThrows(IllegalStateException.class, () -> t.pieceHashV2(0));
    }

    @Test
    void pieceHashV2OutsideThePiecesThrows() throws Exception {
        Path dir = work.resolve("v2");
        Fixtures.randomFile(dir.resolve("a.bin"), 70_000, 3);
        Torrent t = Fixtures.torrent(dir, Torrent.Version.V2, 32768);
        assertThrows(IndexOutOfBoundsException.class, () -> t.pieceHashV2(t.pieceCount()));
        assertThrows(IndexOutOfBoundsException.class, () -> t.pieceHashV2(-1));
    }
}
