package org.stampede.choker.ratebased;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertNull;
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

/** How many peers the rate-based choker unchokes, and which, round after round in a simulated swarm. */
class RateBasedChokerTest {
    private static final long KIB = 1024;
    /** A round of the simulated swarm, in seconds. */
    private static final long ROUND_SECONDS = ChokerSwarm.ROUND_MILLIS / 1000;

    private static RateBasedChoker choker(long seed) {
        return new RateBasedChoker(new OptimisticUnchoke(new Random(seed)));
    }

    /** Sets what we sent each peer in the last round, as rates in bytes per second over a 10 s round. */
    private static void sent(ChokerSwarm s, long... bytesPerSecond) {
        for (int i = 0; i < bytesPerSecond.length; i++) {
            s.peer(i).took(bytesPerSecond[i] * ROUND_SECONDS);
        }
    }

    // ---------------------------------------------------------------- the slot count

    @Test
    void withoutUploadsThereIsOneSlot() {
        ChokerSwarm s = new ChokerSwarm(choker(1), 4).connectOld(6);
        assertEquals(1, s.rechoke().unchoked().size());
    }

    @Test
    void slotsAreThePeersAboveARisingThresholdPlusOne() {
        ChokerSwarm s = new ChokerSwarm(choker(1), 4).connectOld(6);
        // thresholds 1024, 3072, 5120, 7168 B/s: the fourth-fastest (4096 B/s) is below its threshold
        sent(s, 50 * KIB, 512, 5120, 20 * KIB, 4096, 0);
        assertEquals(4, s.rechoke().unchoked().size());
    }

    @Test
    void aRateExactlyAtItsThresholdPasses() {
        ChokerSwarm s = new ChokerSwarm(choker(1), 4).connectOld(3);
        sent(s, 1024, 3072, 5119);
        assertEquals(3, s.rechoke().unchoked().size());
    }

    @Test
    void slotCountGrowsByOneARoundWhileEveryUnchokedPeerTakesItsShare() {
        ChokerSwarm s = new ChokerSwarm(choker(1), 4).connectOld(12);
        List<Integer> counts = new ArrayList<>();
        for (int round = 0; round < 6; round++) {
            for (TestPeer p : s.peers()) {
                if (!p.amChoking() && !p.optimistic()) {
                    p.took(100 * KIB * ROUND_SECONDS);
                }
            }
            counts.add(s.rechoke().unchoked().size());
        }
        assertEquals(List.of(1, 2, 3, 4, 5, 6), counts);
    }

    /** Rounds in which a link of {@code linkBytesPerSecond} is shared evenly by the regularly unchoked peers. */
    private static List<Integer> sharedLinkRounds(ChokerSwarm s, long linkBytesPerSecond, int rounds) {
        List<Integer> counts = new ArrayList<>();
        for (int round = 0; round < rounds; round++) {
            long each = linkBytesPerSecond / Math.max(1, s.regularlyUnchokedCount());
            for (TestPeer p : s.peers()) {
                if (!p.amChoking() && !p.optimistic()) {
                    p.took(each * ROUND_SECONDS);
                }
            }
            counts.add(s.rechoke().unchoked().size());
        }
        return counts;
    }

    @Test
    void slotCountStopsGrowingWhenTheSlowestPeerFallsBelowItsThreshold() {
        ChokerSwarm s = new ChokerSwarm(choker(1), 4).connectOld(12);
        // 12 KiB/s to one and 6 KiB/s to two pass; 4 KiB/s to three fails the third threshold (5 KiB/s)
        assertEquals(List.of(1, 2, 3, 3, 3, 3), sharedLinkRounds(s, 12 * KIB, 6));
    }

    @Test
    void slotCountShrinksWhenTheLinkSlowsDown() {
        ChokerSwarm s = new ChokerSwarm(choker(1), 4).connectOld(12);
        sharedLinkRounds(s, 12 * KIB, 4);
        // 1 KiB/s to each of three passes only the first threshold
        assertEquals(List.of(2, 2), sharedLinkRounds(s, 3 * KIB, 2));
    }

    @Test
    void rateIsMeasuredOverTheTimeSinceTheLastRechoke() {
        ChokerSwarm s = new ChokerSwarm(choker(1), 4).connectOld(3);
        s.rechoke(2_000); // the next rechoke comes 2 s later
        sent(s, 0, 0, 0);
        s.peer(0).took(4 * KIB); // 2 KiB/s over 2 s: passes 1 KiB/s
        assertEquals(2, s.rechoke(10_000).unchoked().size());
        s.peer(0).took(4 * KIB); // 0.4 KiB/s over 10 s: does not
        assertEquals(1, s.rechoke().unchoked().size());
    }

    @Test
    void configuredSlotCountIsIgnored() {
        ChokerSwarm s = new ChokerSwarm(choker(1), 2).connectOld(8);
        sent(s, 90 * KIB, 80 * KIB, 70 * KIB, 60 * KIB, 50 * KIB);
        assertEquals(6, s.rechoke().unchoked().size());
    }

    @Test
    void zeroSlotsUnchokeNobody() {
        ChokerSwarm s = new ChokerSwarm(choker(1), 0).connectOld(3);
        sent(s, 90 * KIB, 80 * KIB, 70 * KIB);
        RecordedDecision d = s.rechoke();
        assertTrue(d.unchoked().isEmpty(), d.unchoked().toString());
        assertNull(d.optimisticPeer());
    }

    // ---------------------------------------------------------------- who gets the slots

    @Test
    void peersThatGaveUsTheMostWinTheSlots() {
        ChokerSwarm s = new ChokerSwarm(choker(1), 4).connectOld(6);
        sent(s, 50 * KIB, 40 * KIB); // three slots
        long[] gave = { 100, 500, 300, 600, 200, 400 };
        for (int i = 0; i < 6; i++) {
            s.peer(i).gave(gave[i] * KIB);
        }
        assertEquals(Set.of(s.peer(3), s.peer(1), s.peer(5)), Set.copyOf(s.rechoke().unchoked()));
    }

    @Test
    void snubbedPeersGetNoRegularSlot() {
        ChokerSwarm s = new ChokerSwarm(choker(1), 4).connectOld(3);
        s.peer(0).gave(900 * KIB).snubbed(true);
        s.peer(1).gave(100 * KIB);
        assertEquals(List.of(s.peer(1)), s.rechoke().unchoked());
    }

    @Test
    void oneMorePeerIsUnchokedOptimistically() {
        ChokerSwarm s = new ChokerSwarm(choker(1), 4).connectOld(5);
        s.peer(0).gave(100 * KIB);
        RecordedDecision d = s.rechoke();
        assertEquals(List.of(s.peer(0)), d.unchoked());
        assertNotNull(d.optimisticPeer());
        assertNotSame(s.peer(0), d.optimisticPeer());
    }

    @Test
    void optimisticSlotRotatesEveryThirdRound() {
        ChokerSwarm s = new ChokerSwarm(choker(7), 4).connectOld(8);
        List<PeerView> holders = new ArrayList<>();
        for (int round = 0; round < 6; round++) {
            s.peer(0).gave(500 * KIB);
            holders.add(s.rechoke().optimisticPeer());
        }
        assertEquals(List.of(holders.get(0), holders.get(0), holders.get(0)), holders.subList(0, 3));
        assertNotSame(holders.get(2), holders.get(3));
        assertEquals(List.of(holders.get(3), holders.get(3), holders.get(3)), holders.subList(3, 6));
    }

    // ---------------------------------------------------------------- factory

    @Test
    void factoryMakesAChokerPerTorrent() {
        RateBasedChokerFactory factory = new RateBasedChokerFactory();
        ChokerSwarm s = new ChokerSwarm(null, 4);
        assertNotSame(factory.create(s.torrent()), factory.create(s.torrent()));
        ChokerSwarm real = new ChokerSwarm(factory.create(s.torrent()), 4).connectOld(3);
        real.peer(2).gave(10 * KIB);
        assertEquals(List.of(real.peer(2)), real.rechoke().unchoked());
    }

    @Test
    void freshFactoriesDrawTheSameForTheSameTorrent() {
        assertEquals(optimisticSequence(new RateBasedChokerFactory(), "a"),
                optimisticSequence(new RateBasedChokerFactory(), "a"));
    }

    @Test
    void theSameRandomSeedDrawsTheSameSoLabRunsRepeat() {
        RateBasedChokerFactory factory = new RateBasedChokerFactory();
        assertEquals(optimisticSequence(factory, "a"), optimisticSequence(factory, "a"));
    }

    @Test
    void anotherTorrentDrawsDifferently() {
        assertNotEquals(optimisticSequence(new RateBasedChokerFactory(), "a"),
                optimisticSequence(new RateBasedChokerFactory(), "b"));
    }

    /** The optimistic holders of 30 rounds over 20 peers. */
    private static List<Integer> optimisticSequence(RateBasedChokerFactory factory, String infoHash) {
        ChokerSwarm s = new ChokerSwarm(null, 4);
        s.torrent().infoHash(infoHash);
        s.use(factory.create(s.torrent()));
        s.connectOld(20);
        List<Integer> ids = new ArrayList<>();
        for (int round = 0; round < 30; round++) {
            ids.add(s.rechoke().optimisticPeer().id());
        }
        return ids;
    }
}
