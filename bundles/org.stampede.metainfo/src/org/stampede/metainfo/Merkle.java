package org.stampede.metainfo;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;

/** BEP 52 merkle trees over 16 KiB blocks with SHA-256; trees are padded with the hashes of zero subtrees. */
final class Merkle {
    static final int BLOCK = 16 * 1024;
    static final int HASH = 32;

    private Merkle() {
    }

    static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is required by every Java runtime", e);
        }
    }

    /** The root of a subtree of {@code leaves} zero leaves ({@code leaves} a power of two). */
    static byte[] zeroSubtree(MessageDigest md, long leaves) {
        byte[] h = new byte[HASH];
        for (long n = 1; n < leaves; n <<= 1) {
            h = pair(md, h, h);
        }
        return h;
    }

    static byte[] pair(MessageDigest md, byte[] left, byte[] right) {
        md.update(left);
        md.update(right);
        return md.digest();
    }

    /**
     * Reduces {@code count} hashes stored back to back in {@code layer} to the root of a tree with
     * {@code width} leaves at that level (a power of two, at least {@code count}); missing nodes are
     * {@code pad}, the root of a zero subtree of this level.
     */
    static byte[] root(MessageDigest md, byte[] layer, int count, long width, byte[] pad) {
        if (count == 0) {
            throw new IllegalArgumentException("empty layer");
        }
        byte[] cur = Arrays.copyOf(layer, count * HASH);
        int n = count;
        byte[] padHash = pad;
        while (width > 1) {
            int next = (n + 1) / 2;
            byte[] up = new byte[next * HASH];
            for (int i = 0; i < next; i++) {
                md.update(cur, 2 * i * HASH, HASH);
                if (2 * i + 1 < n) {
                    md.update(cur, (2 * i + 1) * HASH, HASH);
                } else {
                    md.update(padHash);
                }
                try {
                    md.digest(up, i * HASH, HASH);
                } catch (java.security.DigestException e) {
                    throw new IllegalStateException(e);
                }
            }
            padHash = pair(md, padHash, padHash);
            cur = up;
            n = next;
            width >>= 1;
        }
        return Arrays.copyOf(cur, HASH);
    }

    /** The smallest power of two at least {@code n} (n >= 1). */
    static long ceilPow2(long n) {
        return n <= 1 ? 1 : Long.highestOneBit(n - 1) << 1;
    }

    /**
     * The pieces root of a file from its piece layer (one hash per piece, {@code pieces} of them), per BEP 52.
     */
    static byte[] rootFromPieceLayer(MessageDigest md, byte[] pieceLayer, int pieces, long pieceLength) {
        long blocksPerPiece = pieceLength / BLOCK;
        byte[] pad = zeroSubtree(md, blocksPerPiece);
        return root(md, pieceLayer, pieces, ceilPow2(pieces), pad);
    }
}
