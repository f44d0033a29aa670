package org.stampede.engine.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.Set;

import org.junit.jupiter.api.Test;
import org.stampede.spi.PeerOrigin;

/** The bounded peer list every peer source feeds: bounds, eviction, back-off, dropping, on a simulated clock. */
class PeerListTest {
    private long now = 1_000_000;

    private PeerList list(int max) {
        return new PeerList(max, a -> a.getPort() == 6881 && a.getAddress().isLoopbackAddress(), () -> now);
    }

    private static InetSocketAddress peer(int i) {
        return new InetSocketAddress(InetAddress.getLoopbackAddress(), 10_000 + i);
    }

    private static InetSocketAddress remote(int i) throws Exception {
        return new InetSocketAddress(InetAddress.getByAddress(new byte[] { 127, 10, (byte) (i >> 8), (byte) i }),
                51413);
    }

    @Test
    void aSourceFloodingAddressesCannotGrowTheListPastItsBound() throws Exception {
        PeerList l = list(500);
        for (int i = 0; i < 60_000; i++) {
            l.add(remote(i % 65_000), PeerOrigin.PEX);
        }
        assertEquals(500, l.size());
        assertTrue(l.refused() + l.evicted() >= 59_500 - 500, () -> l.refused() + " refused, " + l.evicted());
    }

    @Test
    void aFullListEvictsAnUnverifiedAddressForATrackerOneButNotTheOtherWayRound() throws Exception {
        PeerList l = list(3);
        l.add(remote(1), PeerOrigin.TRACKER);
        l.add(remote(2), PeerOrigin.PEX);
        l.add(remote(3), PeerOrigin.TRACKER);
        assertTrue(l.add(remote(4), PeerOrigin.TRACKER), "a tracker's peer displaces the PEX one");
        assertNull(l.get(remote(2)));
        assertFalse(l.add(remote(5), PeerOrigin.PEX), "a PEX peer displaces no tracker peer");
        assertEquals(3, l.size());
    }

    @Test
    void connectedCandidatesAreNeverEvicted() throws Exception {
        PeerList l = list(2);
        l.add(remote(1), PeerOrigin.PEX);
        l.add(remote(2), PeerOrigin.PEX);
        List<InetSocketAddress> dial = l.candidates(2, a -> false);
        assertEquals(2, dial.size());
        assertFalse(l.add(remote(3), PeerOrigin.TRACKER), "both are connecting: no room");
        l.connected(remote(1));
        l.failed(remote(2));
        assertTrue(l.add(remote(3), PeerOrigin.TRACKER), "the failed one goes");
        assertNotNull(l.get(remote(1)));
        assertNull(l.get(remote(2)));
    }

    @Test
    void aFailedAddressWaitsLongerAfterEachFailureAndIsDroppedAfterTooMany() throws Exception {
        PeerList l = list(10);
        InetSocketAddress a = remote(7);
        l.add(a, PeerOrigin.TRACKER);
        long wait = 0;
        for (int f = 1; f < PeerList.MAX_FAILURES_TRUSTED; f++) {
            assertEquals(List.of(a), l.candidates(5, x -> false), "due again after " + f + " failures");
            l.failed(a);
            long retry = l.get(a).retryAt - now;
            assertTrue(retry > wait, "back-off grows: " + retry + " after " + wait);
            wait = retry;
            assertEquals(List.of(), l.candidates(5, x -> false), "not before its back-off");
            now += retry;
        }
        l.candidates(5, x -> false);
        l.failed(a);
        assertNull(l.get(a), "dropped after " + PeerList.MAX_FAILURES_TRUSTED + " failures");
    }

    @Test
    void unverifiedAddressesAreDroppedSooner() throws Exception {
        PeerList l = list(10);
        InetSocketAddress a = remote(8);
        l.add(a, PeerOrigin.DHT);
        for (int f = 0; f < PeerList.MAX_FAILURES_UNVERIFIED; f++) {
            assertEquals(1, l.candidates(5, x -> false).size());
            l.failed(a);
            now += PeerList.RETRY_MAX_MS;
        }
        assertNull(l.get(a));
    }

    @Test
    void aManualAddIsTriedAtOnceWhateverItsBackOff() throws Exception {
        PeerList l = list(10);
        InetSocketAddress a = remote(9);
        l.add(a, PeerOrigin.PEX);
        l.candidates(1, x -> false);
        l.failed(a);
        assertEquals(List.of(), l.candidates(1, x -> false));
        l.add(a, PeerOrigin.MANUAL);
        assertEquals(List.of(a), l.candidates(1, x -> false));
        assertEquals(PeerOrigin.PEX.bit() | PeerOrigin.MANUAL.bit(), l.get(a).origins);
    }

    @Test
    void candidatesComeBestFirstAndSkipTheConnectedOnes() throws Exception {
        PeerList l = list(10);
        l.add(remote(1), PeerOrigin.PEX);
        l.add(remote(2), PeerOrigin.TRACKER);
        l.add(remote(3), PeerOrigin.TRACKER);
        assertEquals(List.of(remote(3), remote(1)), l.candidates(2, Set.of(remote(2))::contains));
    }

    @Test
    void aDisconnectedPeerIsRedialedOnlyAfterAPause() throws Exception {
        PeerList l = list(10);
        l.add(remote(1), PeerOrigin.TRACKER);
        l.candidates(1, x -> false);
        l.connected(remote(1));
        assertEquals(List.of(), l.candidates(1, x -> false), "connected");
        l.disconnected(remote(1));
        assertEquals(List.of(), l.candidates(1, x -> false), "just disconnected");
        now += PeerList.RECONNECT_MS;
        assertEquals(List.of(remote(1)), l.candidates(1, x -> false));
    }

    @Test
    void unusableOwnAndWildcardAddressesAreRefused() throws Exception {
        PeerList l = list(10);
        assertFalse(l.add(new InetSocketAddress(InetAddress.getLoopbackAddress(), 6881), PeerOrigin.TRACKER),
                "ourselves");
        assertFalse(l.add(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), PeerOrigin.TRACKER), "port 0");
        assertFalse(l.add(new InetSocketAddress("0.0.0.0", 5000), PeerOrigin.TRACKER), "wildcard");
        assertFalse(l.add(new InetSocketAddress("224.0.0.1", 5000), PeerOrigin.TRACKER), "multicast");
        assertFalse(l.add(InetSocketAddress.createUnresolved("example.org", 5000), PeerOrigin.TRACKER),
                "unresolved");
        assertFalse(l.add(peer(1), null), "no origin");
        assertEquals(0, l.size());
    }

    @Test
    void bannedAddressesLeaveTheList() throws Exception {
        PeerList l = list(10);
        l.add(remote(1), PeerOrigin.TRACKER);
        l.add(remote(2), PeerOrigin.TRACKER);
        l.remove(remote(1).getAddress());
        assertNull(l.get(remote(1)));
        assertNotNull(l.get(remote(2)));
    }
}
