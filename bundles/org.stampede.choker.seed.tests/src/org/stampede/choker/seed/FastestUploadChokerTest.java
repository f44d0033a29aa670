package org.stampede.choker.seed;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.Set;

import org.junit.jupiter.api.Test;
import org.stampede.api.PeerView;
import org.stampede.api.testing.ChokerSwarm;
import org.stampede.api.testing.RecordedDecision;
import org.stampede.api.testing.TestPeer;
import org.stampede.api.util.OptimisticUnchoke;

/** Which peers the fastest-upload seeding choker unchokes, in a simulated swarm. */
class FastestUploadChokerTest {
    private static final long KIB = 1024;

    private static FastestUploadChoker choker(long seed) {
        return new FastestUploadChoker(new OptimisticUnchoke(new Random(seed)));
    }

    @Test
    void peersWeUploadToFastestWinTheRegularSlots() {
        ChokerSwarm s = new ChokerSwarm(choker(1), 3).connectOld(6);
        long[] took = { 300, 600, 100, 500, 200, 400 };
        for (int i = 0; i < 6; i++) {
            s.peer(i).took(took[i] * KIB);
        }
        RecordedDecision d = s.rechoke();
        assertEquals(Set.of(s.peer(1), s.peer(3), s.peer(5)), Set.copyOf(d.unchoked()));
    }

    @Test
    void equalAmountsGoToThePeerThatHasWaitedLongest() {
        ChokerSwarm s = new ChokerSwarm(choker(1), 1).connectOld(3);
        s.peer(0).lastUnchokedAtMillis(s.now() - 50_000);
        s.peer(1).lastUnchokedAtMillis(s.now() - 90_000);
        s.peer(2).lastUnchokedAtMillis(s.now() - 20_000);
        assertEquals(List.of(s.peer(1)), s.rechoke().unchoked());
    }

    @Test
    void oneChokedPeerIsUnchokedOptimistically() {
        ChokerSwarm s = new ChokerSwarm(choker(1), 2).connectOld(5);
        s.peer(0).took(100 * KIB);
        s.peer(1).took(100 * KIB);
        RecordedDecision d = s.rechoke();
        PeerView optimistic = d.optimisticPeer();
        assertNotNull(optimistic);
        assertTrue(!d.unchoked().contains(optimistic), "optimistic peer also has a regular slot");
    }

    @Test
    void optimisticSlotRotatesEveryThirdRound() {
        ChokerSwarm s = new ChokerSwarm(choker(7), 2).connectOld(8);
        List<PeerView> holders = new ArrayList<>();
        for (int round = 0; round < 6; round++) {
            s.peer(0).took(500 * KIB);
            s.peer(1).took(400 * KIB);
            holders.add(s.rechoke().optimisticPeer());
        }
        assertSame(holders.get(0), holders.get(1));
        assertSame(holders.get(1), holders.get(2));
        assertNotEquals(holders.get(2), holders.get(3));
        assertSame(holders.get(3), holders.get(4));
        assertSame(holders.get(4), holders.get(5));
    }

    @Test
    void newPeersAreThreeTimesAsLikelyToBeDrawn() {
        int trials = 4000;
        int newPeerDrawn = 0;
        for (long seed = 0; seed < trials; seed++) {
            ChokerSwarm s = new ChokerSwarm(choker(seed), 1);
            s.connect(0, 600_000).took(100 * KIB);
            s.connect(1, 600_000);
            TestPeer fresh = s.connect(2, 20_000);
            if (s.rechoke().optimisticPeer() == fresh) {
                newPeerDrawn++;
            }
        }
        double share = newPeerDrawn / (double) trials;
        assertTrue(share > 0.70 && share < 0.80, "share of draws won by the new peer (expected 0.75): " + share);
    }

    @Test
    void zeroSlotsUnchokeNobody() {
        ChokerSwarm s = new ChokerSwarm(choker(1), 0).connectOld(3);
        RecordedDecision d = s.rechoke();
        assertTrue(d.unchoked().isEmpty(), d.unchoked().toString());
        assertNull(d.optimisticPeer());
    }

    @Test
    void factoryMakesAChokerPerTorrent() {
        FastestUploadChokerFactory factory = new FastestUploadChokerFactory();
        ChokerSwarm s = new ChokerSwarm(null, 1);
        assertNotSame(factory.create(s.torrent()), factory.create(s.torrent()));
        ChokerSwarm real = new ChokerSwarm(factory.create(s.torrent()), 1).connectOld(3);
        real.peer(2).took(10 * KIB);
        assertEquals(List.of(real.peer(2)), real.rechoke().unchoked());
    }
}
