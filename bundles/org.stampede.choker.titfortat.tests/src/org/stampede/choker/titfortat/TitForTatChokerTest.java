package org.stampede.choker.titfortat;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;

import org.junit.jupiter.api.Test;
import org.stampede.api.PeerView;
import org.stampede.api.testing.ChokerSwarm;
import org.stampede.api.testing.RecordedDecision;
import org.stampede.api.testing.TestPeer;
import org.stampede.api.util.OptimisticUnchoke;

/** Which peers the tit-for-tat choker unchokes, round after round, in a simulated swarm. */
class TitForTatChokerTest {
    private static final long KIB = 1024;

    private static TitForTatChoker choker(long seed) {
        return new TitForTatChoker(new OptimisticUnchoke(new Random(seed)));
    }

    // ---------------------------------------------------------------- regular slots

    @Test
    void peersThatGaveUsTheMostWinTheRegularSlots() {
        ChokerSwarm s = new ChokerSwarm(choker(1), 3).connectOld(6);
        long[] gave = { 500, 100, 600, 200, 400, 300 };
        for (int i = 0; i < 6; i++) {
            s.peer(i).gave(gave[i] * KIB);
        }
        RecordedDecision d = s.rechoke();
        assertEquals(Set.of(s.peer(2), s.peer(0), s.peer(4)), Set.copyOf(d.unchoked()));
    }

    @Test
    void equalAmountsGoToTheFasterPeer() {
        ChokerSwarm s = new ChokerSwarm(choker(1), 1).connectOld(3);
        for (int i = 0; i < 3; i++) {
            s.peer(i).gave(100 * KIB);
        }
        s.peer(1).downloadRate(50 * KIB);
        assertEquals(List.of(s.peer(1)), s.rechoke().unchoked());
    }

    @Test
    void tiesKeepThePeersThatHoldARegularSlot() {
        ChokerSwarm s = new ChokerSwarm(choker(1), 2).connectOld(4);
        s.peer(2).gave(10 * KIB);
        s.peer(3).gave(10 * KIB);
        s.rechoke();
        RecordedDecision d = s.rechoke(); // nobody gave anything this round
        assertEquals(Set.of(s.peer(2), s.peer(3)), Set.copyOf(d.unchoked()));
    }

    @Test
    void snubbedPeersGetNoRegularSlot() {
        ChokerSwarm s = new ChokerSwarm(choker(1), 2).connectOld(4);
        s.peer(0).gave(900 * KIB).snubbed(true);
        s.peer(1).gave(300 * KIB);
        s.peer(2).gave(200 * KIB);
        s.peer(3).gave(100 * KIB);
        RecordedDecision d = s.rechoke();
        assertEquals(Set.of(s.peer(1), s.peer(2)), Set.copyOf(d.unchoked()));
    }

    @Test
    void snubbedPeerMayHoldTheOptimisticSlot() {
        ChokerSwarm s = new ChokerSwarm(choker(1), 2).connectOld(3);
        s.peer(0).snubbed(true);
        assertSame(s.peer(0), s.rechoke().optimisticPeer());
    }

    @Test
    void zeroSlotsUnchokeNobody() {
        ChokerSwarm s = new ChokerSwarm(choker(1), 0).connectOld(3);
        s.peer(0).gave(100 * KIB);
        RecordedDecision d = s.rechoke();
        assertTrue(d.unchoked().isEmpty(), d.unchoked().toString());
        assertNull(d.optimisticPeer());
    }

    @Test
    void negativeSlotsUnchokeEveryPeerThatIsNotSnubbed() {
        ChokerSwarm s = new ChokerSwarm(choker(1), -1).connectOld(5);
        s.peer(3).snubbed(true);
        RecordedDecision d = s.rechoke();
        assertEquals(Set.of(s.peer(0), s.peer(1), s.peer(2), s.peer(4)), Set.copyOf(d.unchoked()));
        assertSame(s.peer(3), d.optimisticPeer());
    }

    // ---------------------------------------------------------------- optimistic unchoke

    @Test
    void optimisticSlotRotatesEveryThirdRound() {
        ChokerSwarm s = new ChokerSwarm(choker(7), 2).connectOld(8);
        List<PeerView> holders = new ArrayList<>();
        for (int round = 0; round < 9; round++) {
            s.peer(0).gave(500 * KIB);
            s.peer(1).gave(400 * KIB);
            holders.add(s.rechoke().optimisticPeer());
        }
        for (int round = 0; round < 9; round++) {
            assertNotNull(holders.get(round), "round " + round);
            if (round % 3 == 0 && round > 0) {
                assertNotEquals(holders.get(round - 1), holders.get(round), "rotation at round " + round);
            } else if (round > 0) {
                assertSame(holders.get(round - 1), holders.get(round), "kept at round " + round);
            }
        }
    }

    @Test
    void extraRechokesDoNotShortenTheOptimisticPeriod() {
        ChokerSwarm s = new ChokerSwarm(choker(7), 2).connectOld(8);
        List<PeerView> holders = new ArrayList<>();
        for (int i = 0; i < 7; i++) { // rechokes 5 s apart: at 0, 5, ..., 30 s
            s.peer(0).gave(500 * KIB);
            s.peer(1).gave(400 * KIB);
            holders.add(s.rechoke(5_000).optimisticPeer());
        }
        for (int i = 1; i < 6; i++) {
            assertSame(holders.get(0), holders.get(i), "kept at " + i * 5 + " s");
        }
        assertNotEquals(holders.get(5), holders.get(6), "rotated at 30 s");
    }

    @Test
    void newOptimisticPeerIsAlwaysOneThatWasChokedAndHasNoRegularSlot() {
        ChokerSwarm s = new ChokerSwarm(choker(11), 2).connectOld(6);
        Random traffic = new Random(3);
        PeerView holder = null;
        int rotations = 0;
        for (int round = 0; round < 60; round++) {
            for (TestPeer p : s.peers()) {
                p.gave(traffic.nextInt(1000) * KIB);
            }
            Set<TestPeer> chokedBefore = new HashSet<>();
            for (TestPeer p : s.peers()) {
                if (p.amChoking()) {
                    chokedBefore.add(p);
                }
            }
            RecordedDecision d = s.rechoke();
            PeerView now = d.optimisticPeer();
            assertNotNull(now, "round " + round);
            assertTrue(!d.unchoked().contains(now), "optimistic peer also has a regular slot in round " + round);
            if (now != holder) {
                assertTrue(chokedBefore.contains(now), now + " was not choked before round " + round);
                rotations++;
            }
            holder = now;
        }
        assertTrue(rotations >= 20, "rotations: " + rotations);
    }

    @Test
    void newPeersAreThreeTimesAsLikelyToBeDrawn() {
        int trials = 4000;
        int newPeerDrawn = 0;
        for (long seed = 0; seed < trials; seed++) {
            ChokerSwarm s = new ChokerSwarm(choker(seed), 1);
            s.connect(0, 600_000).gave(100 * KIB); // takes the only regular slot
            s.connect(1, 600_000); // connected ten minutes ago
            TestPeer fresh = s.connect(2, 20_000); // connected twenty seconds ago
            if (s.rechoke().optimisticPeer() == fresh) {
                newPeerDrawn++;
            }
        }
        double share = newPeerDrawn / (double) trials;
        assertTrue(share > 0.70 && share < 0.80, "share of draws won by the new peer (expected 0.75): " + share);
    }

    @Test
    void replacementChokerLetsTheCurrentHolderKeepTheSlot() {
        ChokerSwarm s = new ChokerSwarm(choker(5), 1).connectOld(5);
        PeerView holder = s.rechoke().optimisticPeer();
        s.use(choker(6));
        assertSame(holder, s.rechoke().optimisticPeer());
        assertSame(holder, s.rechoke().optimisticPeer());
    }

    @Test
    void departedHolderIsReplacedAtOnce() {
        ChokerSwarm s = new ChokerSwarm(choker(5), 1).connectOld(5);
        PeerView first = s.rechoke().optimisticPeer();
        s.peers().remove(first);
        PeerView second = s.rechoke().optimisticPeer();
        assertNotNull(second);
        assertNotSame(first, second);
    }

    @Test
    void holderThatGivesMostEarnsARegularSlotAndANewOneIsDrawn() {
        ChokerSwarm s = new ChokerSwarm(choker(5), 1).connectOld(4);
        s.peer(0).gave(100 * KIB);
        TestPeer first = (TestPeer) s.rechoke().optimisticPeer();
        first.gave(1000 * KIB);
        s.peer(0).gave(100 * KIB);
        RecordedDecision d = s.rechoke();
        assertEquals(List.of(first), d.unchoked());
        assertNotNull(d.optimisticPeer());
        assertNotSame(first, d.optimisticPeer());
    }

    @Test
    void factoryMakesAChokerPerTorrent() {
        TitForTatChokerFactory factory = new TitForTatChokerFactory();
        ChokerSwarm s = new ChokerSwarm(null, 1);
        assertNotSame(factory.create(s.torrent()), factory.create(s.torrent()));
        ChokerSwarm real = new ChokerSwarm(factory.create(s.torrent()), 1).connectOld(3);
        real.peer(2).gave(10 * KIB);
        assertEquals(List.of(real.peer(2)), real.rechoke().unchoked());
    }
}
