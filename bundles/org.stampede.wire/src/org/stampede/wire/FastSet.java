package org.stampede.wire;

import java.net.Inet4Address;
import java.net.InetAddress;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;

/**
 * The allowed-fast set of BEP 6: the pieces a peer may download from us while we choke it, computed by the
 * canonical algorithm so that every client offers the same pieces to the same peer.
 * <p>
 * For IPv4, exactly the BEP's algorithm: {@code x = (ip & 0xFFFFFF00) ++ infohash}; repeatedly {@code x = SHA1(x)}
 * and each of the five big-endian 32-bit words of {@code x}, taken modulo the piece count, is added unless already
 * present. BEP 6 has no provision for IPv6; since only the sender of the allowed-fast messages computes the set,
 * any deterministic choice interoperates, and ours is the same algorithm over the 16-byte address with all but its
 * first 6 bytes (its /48 prefix, a site) zeroed, so that one site gets one set as one IPv4 /24 does.
 */
public final class FastSet {
    /** The set size BEP 6 suggests. */
    public static final int DEFAULT_SIZE = 10;
    /** Largest set size accepted (the algorithm is quadratic in it; BEP 6 suggests 10). */
    public static final int MAX_SIZE = 1000;
    /** Most SHA-1 rounds computed; with {@code k < pieceCount} the set is full after a few rounds in practice. */
    static final int MAX_ROUNDS = 10_000;

    private FastSet() {
    }

    /**
     * @param peer the peer's address (as seen on the connection)
     * @param infoHash the 20-byte info-hash
     * @param pieceCount the number of pieces of the torrent, at least 1
     * @param k the size of the set wanted; a torrent of {@code k} pieces or fewer gives all of them
     * @return the piece indices in the order the algorithm finds them, {@code min(k, pieceCount)} of them (fewer only
     *         if {@value #MAX_ROUNDS} rounds of SHA-1 did not find them all, which does not happen in practice)
     * @throws IllegalArgumentException if the info-hash is not 20 bytes, the piece count not positive or {@code k}
     *                                  not 0 to {@value #MAX_SIZE}
     */
    public static int[] generate(InetAddress peer, byte[] infoHash, int pieceCount, int k) {
        if (infoHash.length != Handshake.INFO_HASH_LENGTH) {
            throw new IllegalArgumentException("an info-hash has 20 bytes, not " + infoHash.length);
        }
        if (pieceCount < 1 || k < 0 || k > MAX_SIZE) {
            throw new IllegalArgumentException("piece count " + pieceCount + " must be positive and k " + k
                    + " 0 to " + MAX_SIZE);
        }
        int size = Math.min(k, pieceCount);
        int[] set = new int[size];
        if (size == pieceCount) {
            for (int i = 0; i < size; i++) {
                set[i] = i;
            }
            return set;
        }
        byte[] ip = peer.getAddress();
        if (peer instanceof Inet4Address) {
            ip[3] = 0;
        } else {
            for (int i = 6; i < ip.length; i++) {
                ip[i] = 0;
            }
        }
        byte[] x = new byte[ip.length + infoHash.length];
        System.arraycopy(ip, 0, x, 0, ip.length);
        System.arraycopy(infoHash, 0, x, ip.length, infoHash.length);
        MessageDigest sha1 = sha1();
        int found = 0;
        for (int round = 0; found < size && round < MAX_ROUNDS; round++) {
            x = sha1.digest(x);
            for (int i = 0; i < 5 && found < size; i++) {
                long y = ((x[4 * i] & 0xffL) << 24) | ((x[4 * i + 1] & 0xff) << 16) | ((x[4 * i + 2] & 0xff) << 8)
                        | (x[4 * i + 3] & 0xff);
                int index = (int) (y % pieceCount);
                if (!contains(set, found, index)) {
                    set[found++] = index;
                }
            }
        }
        return found == size ? set : Arrays.copyOf(set, found);
    }

    private static boolean contains(int[] a, int n, int v) {
        for (int i = 0; i < n; i++) {
            if (a[i] == v) {
                return true;
            }
        }
        return false;
    }

    private static MessageDigest sha1() {
        try {
            return MessageDigest.getInstance("SHA-1");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java platform has SHA-1", e);
        }
    }
}
