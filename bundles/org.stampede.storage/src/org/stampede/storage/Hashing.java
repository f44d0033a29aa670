package org.stampede.storage;

import java.nio.ByteBuffer;
import java.security.DigestException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

/**
 * The scratch space of one disk thread for hashing pieces: a read buffer, the digests and the merkle leaves. Pieces
 * are read in chunks, so a piece of any length costs {@link #CHUNK} bytes of buffer, plus 32 bytes per 16 KiB block
 * for a v2 piece.
 */
final class Hashing {
    /** BEP 52 leaf size. */
    static final int BLOCK = 16 * 1024;
    static final int HASH = 32;
    /** Read size; a multiple of {@link #BLOCK}. */
    static final int CHUNK = 1 << 20;

    private static final ThreadLocal<Hashing> LOCAL = ThreadLocal.withInitial(Hashing::new);
    private static final byte[] ZEROS = new byte[64 * 1024];

    final ByteBuffer buffer = ByteBuffer.allocate(CHUNK);
    final byte[] array = buffer.array();
    final MessageDigest sha1 = digest("SHA-1");
    final MessageDigest sha256 = digest("SHA-256");
    private byte[] leaves = new byte[64 * HASH];
    private final byte[] pad = new byte[HASH];
    private final byte[] v1Result = new byte[20];

    private Hashing() {
    }

    /** The scratch of the calling thread. */
    static Hashing local() {
        return LOCAL.get();
    }

    static MessageDigest digest(String algorithm) {
        try {
            return MessageDigest.getInstance(algorithm);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(algorithm + " is required by every Java runtime", e);
        }
    }

    static void updateZeros(MessageDigest md, long n) {
        while (n > 0) {
            int k = (int) Math.min(n, ZEROS.length);
            md.update(ZEROS, 0, k);
            n -= k;
        }
    }

    /** Finishes the SHA-1 of a piece and compares it with {@code expected}. */
    boolean sha1Matches(byte[] expected) {
        digestInto(sha1, v1Result, 0, 20);
        return MessageDigest.isEqual(v1Result, expected);
    }

    /** The leaf array, large enough for {@code blocks} leaves. */
    byte[] leaves(int blocks) {
        if (leaves.length < blocks * HASH) {
            leaves = new byte[blocks * HASH];
        }
        return leaves;
    }

    /** Hashes the bytes of {@link #array} from {@code from} to {@code to} as leaves, from leaf {@code leaf} on. */
    int hashLeaves(int from, int to, int leaf) {
        int n = leaf;
        for (int off = from; off < to; off += BLOCK) {
            sha256.update(array, off, Math.min(BLOCK, to - off));
            digestInto(sha256, leaves, n * HASH, HASH);
            n++;
        }
        return n;
    }

    /**
     * The merkle root of {@code count} leaves in a tree {@code width} leaves wide (a power of two), the missing
     * leaves being zero hashes (BEP 52); computed in place in the leaf array, compared with {@code expected}.
     */
    boolean merkleRootMatches(int count, long width, byte[] expected) {
        java.util.Arrays.fill(pad, (byte) 0);
        int n = count;
        for (long w = width; w > 1; w >>= 1) {
            int next = (n + 1) / 2;
            for (int i = 0; i < next; i++) {
                sha256.update(leaves, 2 * i * HASH, HASH);
                if (2 * i + 1 < n) {
                    sha256.update(leaves, (2 * i + 1) * HASH, HASH);
                } else {
                    sha256.update(pad);
                }
                digestInto(sha256, leaves, i * HASH, HASH);
            }
            sha256.update(pad);
            sha256.update(pad);
            digestInto(sha256, pad, 0, HASH);
            n = next;
        }
        return java.util.Arrays.equals(leaves, 0, HASH, expected, 0, HASH);
    }

    static long ceilPow2(long n) {
        return n <= 1 ? 1 : Long.highestOneBit(n - 1) << 1;
    }

    private static void digestInto(MessageDigest md, byte[] out, int offset, int len) {
        try {
            md.digest(out, offset, len);
        } catch (DigestException e) {
            throw new IllegalStateException(e);
        }
    }
}
