package org.stampede.tracker.server.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;
import java.util.Random;
import java.util.concurrent.atomic.AtomicLong;

import org.junit.jupiter.api.Test;
import org.stampede.tracker.server.internal.Swarms.Announce;
import org.stampede.tracker.server.internal.Swarms.Counts;
import org.stampede.tracker.server.internal.Swarms.Event;
import org.stampede.tracker.server.internal.Swarms.Family;

/** The tracker's state on a manual clock. */
class SwarmsTest {
    static final Duration INTERVAL = Duration.ofMinutes(10);
    static final byte[] HASH = hash(1);
    static final InetAddress LOCAL = InetAddress.getLoopbackAddress();

    final AtomicLong clock = new AtomicLong(5_000_000_000L);
    Swarms swarms = new Swarms(INTERVAL, 100, 100, clock::get, new Random(1));

    static byte[] hash(int n) {
        byte[] h = new byte[20];
        h[0] = (byte) n;
        return h;
    }

    static Announce announce(byte[] hash, int port, long left, Event event, int numWant) {
        return new Announce(hash, new byte[20], LOCAL, port, left, event, numWant, Family.ANY);
    }

    List<InetSocketAddress> peers(Swarms.Reply r) {
        return r.peers().stream().map(Swarms.Peer::endpoint).toList();
    }

    @Test
    void secondPeerIsHandedTheFirstButNotItself() throws Exception {
        swarms.announce(announce(HASH, 1001, 10, Event.STARTED, 50));
        Swarms.Reply r = swarms.announce(announce(HASH, 1002, 10, Event.STARTED, 50));
        assertEquals(List.of(new InetSocketAddress(LOCAL, 1001)), peers(r));
        assertEquals(new Counts(0, 2, 0), r.counts());
    }

    @Test
    void stoppedRemovesThePeer() throws Exception {
        swarms.announce(announce(HASH, 1001, 10, Event.STARTED, 50));
        swarms.announce(announce(HASH, 1001, 10, Event.STOPPED, 50));
        assertEquals(List.of(), peers(swarms.announce(announce(HASH, 1002, 10, Event.STARTED, 50))));
    }

    @Test
    void stoppedForAnUnknownTorrentCreatesNothing() throws Exception {
        swarms.announce(announce(HASH, 1001, 10, Event.STOPPED, 50));
        assertEquals(0, swarms.size());
        assertNull(swarms.scrape(HASH));
    }

    @Test
    void peersExpireAfterTwiceTheInterval() throws Exception {
        swarms.announce(announce(HASH, 1001, 10, Event.STARTED, 50));
        clock.addAndGet(INTERVAL.multipliedBy(2).toNanos());
        assertEquals(1, peers(swarms.announce(announce(HASH, 1002, 10, Event.NONE, 50))).size());
        clock.addAndGet(1);
        Swarms.Reply r = swarms.announce(announce(HASH, 1003, 10, Event.NONE, 50));
        assertEquals(List.of(new InetSocketAddress(LOCAL, 1002)), peers(r));
    }

    @Test
    void expiredPeersLeaveTheCountsWithinASixteenthOfTheInterval() throws Exception {
        swarms.announce(announce(HASH, 1001, 10, Event.STARTED, 50));
        clock.addAndGet(INTERVAL.multipliedBy(2).toNanos());
        swarms.announce(announce(HASH, 1002, 10, Event.NONE, 50));
        clock.addAndGet(INTERVAL.dividedBy(16).toNanos());
        assertEquals(new Counts(0, 2, 0), swarms.announce(announce(HASH, 1003, 10, Event.NONE, 50)).counts());
    }

    @Test
    void silentSwarmsAreSweptAway() throws Exception {
        swarms.announce(announce(HASH, 1001, 10, Event.STARTED, 50));
        clock.addAndGet(INTERVAL.multipliedBy(3).toNanos());
        swarms.announce(announce(hash(2), 1001, 10, Event.STARTED, 50));
        assertNull(swarms.scrape(HASH));
        assertEquals(1, swarms.size());
    }

    @Test
    void numWantLimitsThePeersHandedOut() throws Exception {
        for (int p = 1; p <= 10; p++) {
            swarms.announce(announce(HASH, 2000 + p, 10, Event.STARTED, 0));
        }
        assertEquals(3, swarms.announce(announce(HASH, 3000, 10, Event.STARTED, 3)).peers().size());
    }

    @Test
    void torrentsBeyondTheLimitAreRefused() throws Exception {
        swarms = new Swarms(INTERVAL, 2, 100, clock::get, new Random(1));
        swarms.announce(announce(hash(1), 1001, 10, Event.STARTED, 50));
        swarms.announce(announce(hash(2), 1001, 10, Event.STARTED, 50));
        Swarms.Refused e = assertThrows(Swarms.Refused.class,
                () -> swarms.announce(announce(hash(3), 1001, 10, Event.STARTED, 50)));
        assertEquals("tracker is full: it tracks 2 torrents already", e.getMessage());
    }

    @Test
    void fullSwarmServesNewPeersWithoutRecordingThem() throws Exception {
        swarms = new Swarms(INTERVAL, 100, 2, clock::get, new Random(1));
        swarms.announce(announce(HASH, 1001, 10, Event.STARTED, 50));
        swarms.announce(announce(HASH, 1002, 10, Event.STARTED, 50));
        Swarms.Reply r = swarms.announce(announce(HASH, 1003, 10, Event.STARTED, 50));
        assertEquals(2, r.peers().size());
        assertEquals(new Counts(0, 2, 0), r.counts());
    }

    @Test
    void completedIsCountedOncePerPeer() throws Exception {
        swarms.announce(announce(HASH, 1001, 10, Event.STARTED, 50));
        swarms.announce(announce(HASH, 1001, 0, Event.COMPLETED, 50));
        swarms.announce(announce(HASH, 1001, 0, Event.COMPLETED, 50));
        assertEquals(new Counts(1, 0, 1), swarms.scrape(HASH));
    }

    @Test
    void peerThatStillNeedsDataCountsAsLeecherAgain() throws Exception {
        swarms.announce(announce(HASH, 1001, 0, Event.STARTED, 50));
        assertEquals(new Counts(1, 0, 0), swarms.scrape(HASH));
        swarms.announce(announce(HASH, 1001, 5, Event.NONE, 50));
        assertEquals(new Counts(0, 1, 0), swarms.scrape(HASH));
    }

    @Test
    void repliesCarryOnlyPeersOfTheAskedFamily() throws Exception {
        InetAddress v6 = InetAddress.getByName("::1");
        swarms.announce(new Announce(HASH, new byte[20], v6, 1001, 10, Event.STARTED, 50, Family.ANY));
        swarms.announce(announce(HASH, 1002, 10, Event.STARTED, 50));
        Swarms.Reply r = swarms.announce(new Announce(HASH, new byte[20], LOCAL, 1003, 10, Event.STARTED, 50,
                Family.IPV4));
        assertEquals(List.of(new InetSocketAddress(LOCAL, 1002)), peers(r));
    }
}
