package org.stampede.metainfo;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.stampede.metainfo.Torrents.KIB16;
import static org.stampede.metainfo.Torrents.concat;
import static org.stampede.metainfo.Torrents.content;
import static org.stampede.metainfo.Torrents.sha256;

import java.security.MessageDigest;

import org.junit.jupiter.api.Test;

/** {@link Merkle} against hashes written out by hand. */
class MerkleTest {
    private static final byte[] Z = new byte[32];

    private static MessageDigest md() {
        return Merkle.sha256();
    }

    private static byte[] h(int seed) {
        return sha256(new byte[] {(byte) seed});
    }

    // ---------------------------------------------------------------- zeroSubtree

    @Test
    void zeroSubtreeOfOneLeafIs32ZeroBytes() {
        assertArrayEquals(Z, Merkle.zeroSubtree(md(), 1));
    }

    @Test
    void zeroSubtreeOfTwoLeavesIsTheHashOfTwoZeroLeaves() {
        assertArrayEquals(sha256(Z, Z), Merkle.zeroSubtree(md(), 2));
    }

    @Test
    void zeroSubtreeOfEightLeavesIsThreeLevelsUp() {
        byte[] l1 = sha256(Z, Z);
        byte[] l2 = sha256(l1, l1);
        byte[] l3 = sha256(l2, l2);
        assertArrayEquals(l3, Merkle.zeroSubtree(md(), 8));
    }

    @Test
    void zeroSubtreeOfAPieceEqualsTheNaiveRootOfZeroLeaves() {
        // 1 MiB piece: 64 leaves of 32 zero bytes (not hashes of zero blocks)
        byte[][] level = new byte[64][];
        java.util.Arrays.fill(level, Z);
        for (int n = 64; n > 1; n /= 2) {
            byte[][] up = new byte[n / 2][];
            for (int i = 0; i < n / 2; i++) {
                up[i] = sha256(level[2 * i], level[2 * i + 1]);
            }
            level = up;
        }
        assertArrayEquals(level[0], Merkle.zeroSubtree(md(), 64));
    }

    // ---------------------------------------------------------------- pair and root

    @Test
    void pairIsTheSha256OfBothHashes() {
        assertArrayEquals(sha256(concat(h(1), h(2))), Merkle.pair(md(), h(1), h(2)));
    }

    @Test
    void rootOfOneHashInAWidthOfOneIsThatHash() {
        assertArrayEquals(h(1), Merkle.root(md(), h(1), 1, 1, Z));
    }

    @Test
    void rootOfTwoHashesIsTheirPair() {
        assertArrayEquals(sha256(h(1), h(2)), Merkle.root(md(), concat(h(1), h(2)), 2, 2, Z));
    }

    @Test
    void rootOfFourHashesIsTwoLevelsUp() {
        byte[] expected = sha256(sha256(h(1), h(2)), sha256(h(3), h(4)));
        assertArrayEquals(expected, Merkle.root(md(), concat(h(1), h(2), h(3), h(4)), 4, 4, Z));
    }

    @Test
    void rootPadsAnOddLayerWithThePadHash() {
        byte[] expected = sha256(sha256(h(1), h(2)), sha256(h(3), Z));
        assertArrayEquals(expected, Merkle.root(md(), concat(h(1), h(2), h(3)), 3, 4, Z));
    }

    @Test
    void rootPadsHigherLevelsWithTheParentOfThePadHash() {
        byte[] pad = h(9);
        byte[] expected = sha256(sha256(h(1), pad), sha256(pad, pad));
        assertArrayEquals(expected, Merkle.root(md(), h(1), 1, 4, pad));
    }

    @Test
    void rootOfFiveHashesInWidthEightPadsEveryLevel() {
        byte[] p1 = sha256(Z, Z);
        byte[] left = sha256(sha256(h(1), h(2)), sha256(h(3), h(4)));
        byte[] right = sha256(sha256(h(5), Z), p1);
        byte[] expected = sha256(left, right);
        assertArrayEquals(expected, Merkle.root(md(), concat(h(1), h(2), h(3), h(4), h(5)), 5, 8, Z));
    }

    @Test
    void rootIgnoresBytesAfterTheCountedHashes() {
        byte[] layer = concat(h(1), h(2), h(3));
        assertArrayEquals(sha256(h(1), h(2)), Merkle.root(md(), layer, 2, 2, Z));
    }

    @Test
    void rootDoesNotChangeTheLayer() {
        byte[] layer = concat(h(1), h(2), h(3));
        byte[] copy = layer.clone();
        Merkle.root(md(), layer, 3, 4, Z);
        assertArrayEquals(copy, layer);
    }

    @Test
    void rootOfAnEmptyLayerIsRejected() {
        assertThrows(IllegalArgumentException.class, () -> Merkle.root(md(), new byte[0], 0, 1, Z));
    }

    @Test
    void rootFromPieceLayerEqualsTheNaiveRootOfTheFile() {
        byte[] file = content(5 * KIB16 + 1234, 5); // 6 blocks: 3 pieces of 32 KiB, 8 leaves
        byte[] layer = Torrents.pieceLayer(file, 2 * KIB16);
        assertArrayEquals(Torrents.piecesRoot(file), Merkle.rootFromPieceLayer(md(), layer, 3, 2 * KIB16));
    }

    @Test
    void rootFromPieceLayerPadsWithZeroPieceSubtrees() {
        byte[] file = content(4 * KIB16 + 1, 6); // 5 blocks: 5 pieces of 16 KiB, 8 leaves
        byte[] layer = Torrents.pieceLayer(file, KIB16);
        assertArrayEquals(Torrents.piecesRoot(file), Merkle.rootFromPieceLayer(md(), layer, 5, KIB16));
    }

    @Test
    void rootFromPieceLayerWithLargePiecesEqualsTheNaiveRoot() {
        byte[] file = content(9 * KIB16 + 7, 7); // 10 blocks: 3 pieces of 64 KiB, 16 leaves
        byte[] layer = Torrents.pieceLayer(file, 4 * KIB16);
        assertArrayEquals(Torrents.piecesRoot(file), Merkle.rootFromPieceLayer(md(), layer, 3, 4 * KIB16));
    }

    // ---------------------------------------------------------------- ceilPow2

    @Test
    void ceilPow2OfZeroAndOneIsOne() {
        assertEquals(1, Merkle.ceilPow2(0));
        assertEquals(1, Merkle.ceilPow2(1));
    }

    @Test
    void ceilPow2KeepsPowersOfTwo() {
        assertEquals(2, Merkle.ceilPow2(2));
        assertEquals(4, Merkle.ceilPow2(4));
        assertEquals(1L << 40, Merkle.ceilPow2(1L << 40));
        assertEquals(1L << 62, Merkle.ceilPow2(1L << 62));
    }

    @Test
    void ceilPow2RoundsUpToTheNextPowerOfTwo() {
        assertEquals(4, Merkle.ceilPow2(3));
        assertEquals(8, Merkle.ceilPow2(5));
        assertEquals(1024, Merkle.ceilPow2(513));
        assertEquals(1L << 41, Merkle.ceilPow2((1L << 40) + 1));
    }
}
