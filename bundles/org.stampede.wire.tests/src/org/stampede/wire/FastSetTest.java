package org.stampede.wire;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.net.InetAddress;
import java.util.Arrays;

import org.junit.jupiter.api.Test;

class FastSetTest {
    static final byte[] AAAA = new byte[20];
    static {
        Arrays.fill(AAAA, (byte) 0xaa);
    }

    static InetAddress ip(String literal) throws Exception {
        return InetAddress.getByName(literal); // literals only: no name lookup
    }

    @Test
    void sevenPieceSetMatchesTheBep6Example() throws Exception {
        assertArrayEquals(new int[] { 1059, 431, 808, 1217, 287, 376, 1188 },
                FastSet.generate(ip("80.4.4.200"), AAAA, 1313, 7));
    }

    @Test
    void ninePieceSetMatchesTheBep6Example() throws Exception {
        assertArrayEquals(new int[] { 1059, 431, 808, 1217, 287, 376, 1188, 353, 508 },
                FastSet.generate(ip("80.4.4.200"), AAAA, 1313, 9));
    }

    @Test
    void addressesInTheSameSlash24GetTheSameSet() throws Exception {
        assertArrayEquals(FastSet.generate(ip("80.4.4.200"), AAAA, 1313, 10),
                FastSet.generate(ip("80.4.4.1"), AAAA, 1313, 10));
    }

    @Test
    void ipv6AddressesInTheSameSlash48GetTheSameSet() throws Exception {
        int[] a = FastSet.generate(ip("2001:db8:1::1"), AAAA, 1313, 10);
        assertArrayEquals(a, FastSet.generate(ip("2001:db8:1:ffff::2"), AAAA, 1313, 10));
        assertEquals(10, Arrays.stream(a).distinct().count());
    }

    @Test
    void torrentWithNoMorePiecesThanKGivesAllPieces() throws Exception {
        assertArrayEquals(new int[] { 0, 1, 2 }, FastSet.generate(ip("10.0.0.1"), AAAA, 3, 10));
    }

    @Test
    void setOfAlmostAllPiecesIsFound() throws Exception {
        int[] set = FastSet.generate(ip("10.0.0.1"), AAAA, 11, 10);
        assertEquals(10, Arrays.stream(set).distinct().filter(i -> i >= 0 && i < 11).count());
    }

    @Test
    void badArgumentsAreRefused() throws Exception {
        InetAddress a = ip("10.0.0.1");
        assertThrows(IllegalArgumentException.class, () -> FastSet.generate(a, new byte[32], 10, 5));
        assertThrows(IllegalArgumentException.class, () -> FastSet.generate(a, AAAA, 0, 5));
        assertThrows(IllegalArgumentException.class, () -> FastSet.generate(a, AAAA, 10, FastSet.MAX_SIZE + 1));
    }
}
