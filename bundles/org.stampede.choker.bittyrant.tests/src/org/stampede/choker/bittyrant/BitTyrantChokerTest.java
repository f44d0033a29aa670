package org.stampede.choker.bittyrant;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Set;

import org.junit.jupiter.api.Test;
import org.stampede.api.testing.ChokerSwarm;
import org.stampede.api.testing.RecordedDecision;
import org.stampede.api.testing.TestPeer;

/** What the BitTyrant choker learns of each peer and whom it unchokes, in a simulated swarm. */
class BitTyrantChokerTest {
    private static final long KIB = 1024;
    private static final double EPSILON = 1e-6;
    /** With a limit of 100 KiB/s a new peer starts at u = d = 20 KiB/s. */
    private static final long LIMIT = 100 * KIB;
    private static final double U0 = LIMIT / (double) BitTyrantChoker.ACTIVE_SET;

    private static ChokerSwarm swarm(BitTyrantChoker choker, int peers) {
        ChokerSwarm s = new ChokerSwarm(choker, 4).connectOld(peers);
        s.uploadLimit(LIMIT);
        return s;
    }

    // ---------------------------------------------------------------- initial estimates

    @Test
    void newPeerStartsAtTheEqualSplitOfOurCapacity() {
        BitTyrantChoker c = new BitTyrantChoker();
        ChokerSwarm s = swarm(c, 1);
        s.rechoke();
        assertEquals(U0, c.estimateOf(0).u, EPSILON);
        assertEquals(U0, c.estimateOf(0).d, EPSILON);
    }

    @Test
    void downloadEstimateOfAPeerThatChokesUsComesFromItsAnnouncements() {
        BitTyrantChoker c = new BitTyrantChoker();
        ChokerSwarm s = swarm(c, 1);
        s.peer(0).peerChoking(true);
        s.peer(0).hasFirst(10);
        s.rechoke();
        s.peer(0).hasFirst(30); // 20 pieces of 256 KiB in 10 s: 512 KiB/s, over 5 unchokes
        s.rechoke();
        assertEquals(20.0 * ChokerSwarm.PIECE_LENGTH / 10 / BitTyrantChoker.ACTIVE_SET, c.estimateOf(0).d, EPSILON);
    }

    @Test
    void peerWeWantNothingFromIsWorthNothing() {
        BitTyrantChoker c = new BitTyrantChoker();
        ChokerSwarm s = swarm(c, 1);
        s.peer(0).amInterested(false);
        s.peer(0).gave(100 * KIB);
        s.rechoke();
        assertEquals(0, c.estimateOf(0).d, EPSILON);
    }

    // ---------------------------------------------------------------- learning

    @Test
    void reciprocatingPeerHasTheObservedDownloadRate() {
        BitTyrantChoker c = new BitTyrantChoker();
        ChokerSwarm s = swarm(c, 1);
        s.peer(0).gave(300 * KIB); // over the 10 s round
        s.rechoke();
        assertEquals(30 * KIB, c.estimateOf(0).d, EPSILON);
    }

    @Test
    void observedRateIsKeptWhenThePeerStopsReciprocating() {
        BitTyrantChoker c = new BitTyrantChoker();
        ChokerSwarm s = swarm(c, 1);
        s.peer(0).gave(300 * KIB);
        s.rechoke();
        s.peer(0).hasFirst(50); // announcements no longer count once a rate was observed
        s.rechoke();
        assertEquals(30 * KIB, c.estimateOf(0).d, EPSILON);
    }

    @Test
    void unchokedPeerThatDoesNotReciprocateNeedsTwentyPercentMore() {
        BitTyrantChoker c = new BitTyrantChoker();
        ChokerSwarm s = swarm(c, 1);
        s.rechoke(); // unchoked
        s.rechoke(); // sent us nothing
        assertEquals(U0 * 1.2, c.estimateOf(0).u, EPSILON);
        s.rechoke();
        assertEquals(U0 * 1.2 * 1.2, c.estimateOf(0).u, EPSILON);
    }

    @Test
    void chokedPeerThatDoesNotReciprocateKeepsItsUploadEstimate() {
        BitTyrantChoker c = new BitTyrantChoker();
        ChokerSwarm s = swarm(c, 8); // 100 KiB/s buys five peers at 20 KiB/s: three stay choked
        s.rechoke();
        List<Integer> choked = s.peers().stream().filter(p -> p.amChoking()).map(TestPeer::id).toList();
        assertEquals(3, choked.size());
        s.rechoke();
        for (int id : choked) {
            assertEquals(U0, c.estimateOf(id).u, EPSILON, "peer " + id);
        }
    }

    @Test
    void peerThatReciprocatesThreeRoundsInARowNeedsTenPercentLess() {
        BitTyrantChoker c = new BitTyrantChoker();
        ChokerSwarm s = swarm(c, 1);
        double[] u = new double[4];
        for (int round = 0; round < 4; round++) {
            s.peer(0).gave(100 * KIB);
            s.rechoke();
            u[round] = c.estimateOf(0).u;
        }
        assertEquals(U0, u[0], EPSILON); // not unchoked by us yet
        assertEquals(U0, u[1], EPSILON); // two rounds of reciprocation
        assertEquals(U0 * 0.9, u[2], EPSILON); // three
        assertEquals(U0 * 0.9 * 0.9, u[3], EPSILON); // four
    }

    @Test
    void aRoundWithoutReciprocationRestartsTheCount() {
        BitTyrantChoker c = new BitTyrantChoker();
        ChokerSwarm s = swarm(c, 1);
        s.peer(0).gave(100 * KIB);
        s.rechoke();
        s.peer(0).gave(100 * KIB);
        s.rechoke();
        s.rechoke(); // nothing: u grows, the count restarts
        s.peer(0).gave(100 * KIB);
        s.rechoke();
        s.peer(0).gave(100 * KIB);
        s.rechoke();
        assertEquals(U0 * 1.2, c.estimateOf(0).u, EPSILON);
    }

    @Test
    void earlyRechokeLearnsNothing() {
        BitTyrantChoker c = new BitTyrantChoker();
        ChokerSwarm s = swarm(c, 1);
        s.rechoke(); // unchoked
        s.rechoke(2_000); // a round without reciprocation ends; the engine rechokes again 2 s later
        assertEquals(U0 * 1.2, c.estimateOf(0).u, EPSILON);
        s.rechoke(8_000); // early: no update
        assertEquals(U0 * 1.2, c.estimateOf(0).u, EPSILON);
        s.rechoke(); // the round ends 10 s after the last one
        assertEquals(U0 * 1.2 * 1.2, c.estimateOf(0).u, EPSILON);
    }

    @Test
    void payloadBeforeAnEarlyRechokeCountsTowardsTheRound() {
        BitTyrantChoker c = new BitTyrantChoker();
        ChokerSwarm s = swarm(c, 1);
        s.rechoke(2_000);
        s.peer(0).gave(100 * KIB); // received before the early rechoke, nothing after it
        s.rechoke(8_000);
        s.rechoke();
        assertEquals(10 * KIB, c.estimateOf(0).d, EPSILON); // 100 KiB over the 10 s round
        assertEquals(U0, c.estimateOf(0).u, EPSILON); // reciprocated: no growth
    }

    @Test
    void uploadEstimateNeverFallsBelowTheFloor() {
        BitTyrantChoker c = new BitTyrantChoker();
        ChokerSwarm s = swarm(c, 1);
        for (int round = 0; round < 100; round++) {
            s.peer(0).gave(100 * KIB);
            s.rechoke();
        }
        assertEquals(BitTyrantChoker.MIN_RATE, c.estimateOf(0).u, EPSILON);
    }

    // ---------------------------------------------------------------- the decision

    @Test
    void peersAreRankedByDownloadPerUpload() {
        BitTyrantChoker c = new BitTyrantChoker();
        ChokerSwarm s = swarm(c, 8); // room for five at the initial u
        long[] gave = { 100, 600, 300, 500, 200, 400, 700, 50 };
        for (int i = 0; i < 8; i++) {
            s.peer(i).gave(gave[i] * KIB);
        }
        RecordedDecision d = s.rechoke();
        assertEquals(List.of(s.peer(6), s.peer(1), s.peer(3), s.peer(5), s.peer(2)), d.unchoked());
    }

    @Test
    void cheaperPeerWinsOverAnEquallyFastOneThatNeedsMore() {
        BitTyrantChoker c = new BitTyrantChoker();
        ChokerSwarm s = swarm(c, 2);
        s.peer(0).gave(300 * KIB);
        s.rechoke(); // both unchoked; peer 0 observed at 30 KiB/s
        s.peer(1).gave(300 * KIB);
        s.rechoke(); // peer 0 sent nothing: its u grows by 20%; peer 1 observed at 30 KiB/s
        s.peer(0).gave(300 * KIB);
        s.peer(1).gave(300 * KIB);
        s.uploadLimit(25 * KIB); // room for one
        assertEquals(List.of(s.peer(1)), s.rechoke().unchoked());
        assertEquals(U0 * 1.2, c.estimateOf(0).u, EPSILON);
        assertEquals(U0, c.estimateOf(1).u, EPSILON);
    }

    @Test
    void unchokesWhileTheUploadNeedsFitTheCapacity() {
        BitTyrantChoker c = new BitTyrantChoker();
        ChokerSwarm s = swarm(c, 8);
        assertEquals(5, s.rechoke().unchoked().size()); // 5 x 20 KiB/s = 100 KiB/s
    }

    @Test
    void firstPeerIsUnchokedEvenIfItNeedsMoreThanTheCapacity() {
        BitTyrantChoker c = new BitTyrantChoker();
        ChokerSwarm s = swarm(c, 1);
        for (int round = 0; round < 12; round++) {
            s.rechoke(); // never reciprocates: u grows 1.2^11 = 7.4 x u0, above the capacity of 5 x u0
        }
        assertTrue(c.estimateOf(0).u > LIMIT);
        assertEquals(List.of(s.peer(0)), s.rechoke().unchoked());
    }

    @Test
    void withoutALimitTheCapacityIsTheMeasuredPeakPlusHeadroom() {
        BitTyrantChoker c = new BitTyrantChoker();
        ChokerSwarm s = swarm(c, 1);
        s.uploadLimit(-1);
        s.uploadRate(500 * KIB);
        s.rechoke();
        s.uploadRate(100 * KIB);
        assertEquals(600 * KIB, c.capacity(new RecordedDecision(4, -1, 100 * KIB)), EPSILON);
    }

    @Test
    void withoutALimitOrTrafficTheCapacityIsOneMegabitPerSecond() {
        assertEquals(BitTyrantChoker.DEFAULT_CAPACITY, new BitTyrantChoker().capacity(new RecordedDecision(4, -1, 0)),
                EPSILON);
    }

    @Test
    void configuredSlotCountIsIgnored() {
        ChokerSwarm s = new ChokerSwarm(new BitTyrantChoker(), 1).connectOld(8);
        s.uploadLimit(LIMIT);
        assertEquals(5, s.rechoke().unchoked().size());
    }

    @Test
    void zeroSlotsUnchokeNobody() {
        ChokerSwarm s = new ChokerSwarm(new BitTyrantChoker(), 0).connectOld(3);
        RecordedDecision d = s.rechoke();
        assertTrue(d.unchoked().isEmpty(), d.unchoked().toString());
        assertNull(d.optimisticPeer());
    }

    // ---------------------------------------------------------------- per-peer rates

    @Test
    void withALimitEachUnchokedPeerIsGivenItsUploadEstimateAsItsRate() {
        BitTyrantChoker c = new BitTyrantChoker();
        ChokerSwarm s = swarm(c, 8);
        RecordedDecision d = s.rechoke();
        assertEquals(5, d.unchoked().size());
        long sum = 0;
        for (var p : d.unchoked()) {
            assertEquals((long) U0, d.rate(p), "peer " + p.id() + " is sent u_p = 20 KiB/s, no more");
            sum += d.rate(p);
        }
        assertEquals(LIMIT, sum, "the rates fill the capacity");
        for (TestPeer p : s.peers()) {
            if (!d.unchoked().contains(p)) {
                assertEquals(-1, d.rate(p), "a choked peer gets no rate: " + p.id());
            }
        }
    }

    @Test
    void ratesFollowTheLearnedUploadEstimates() {
        BitTyrantChoker c = new BitTyrantChoker();
        ChokerSwarm s = swarm(c, 2);
        s.rechoke(); // both unchoked at u0
        s.peer(1).gave(300 * KIB); // peer 0 does not reciprocate: it needs 20% more; peer 1 does
        RecordedDecision d = s.rechoke();
        assertEquals((long) (U0 * 1.2), d.rate(s.peer(0)));
        assertEquals((long) U0, d.rate(s.peer(1)));
        for (int round = 0; round < 2; round++) { // three rounds of reciprocation in a row: 10% less
            s.peer(1).gave(300 * KIB);
            d = s.rechoke();
        }
        assertEquals((long) (U0 * 0.9), d.rate(s.peer(1)));
        assertEquals((long) c.estimateOf(0).u, d.rate(s.peer(0)));
    }

    @Test
    void aFirstPeerThatNeedsMoreThanTheCapacityIsGivenTheCapacity() {
        BitTyrantChoker c = new BitTyrantChoker();
        ChokerSwarm s = swarm(c, 1);
        for (int round = 0; round < 12; round++) {
            s.rechoke();
        }
        assertTrue(c.estimateOf(0).u > LIMIT);
        assertEquals(LIMIT, s.rechoke().rate(s.peer(0)));
    }

    @Test
    void withoutALimitTheEstimatedCapacitySizesTheActiveSetButCapsNobody() {
        BitTyrantChoker c = new BitTyrantChoker();
        ChokerSwarm s = new ChokerSwarm(c, 4).connectOld(8);
        s.uploadLimit(-1);
        s.uploadRate(500 * KIB);
        RecordedDecision d = s.rechoke();
        assertEquals(5, d.unchoked().size(), "600 KiB/s estimated, 120 KiB/s each");
        for (var p : d.unchoked()) {
            assertEquals(-1, d.rate(p), "served alike: " + p.id());
        }
    }

    @Test
    void rateIsWholeBytesPerSecondWithinTheCapacity() {
        assertEquals(20_479, BitTyrantChoker.rate(20_479.9, 100_000));
        assertEquals(100_000, BitTyrantChoker.rate(1e9, 100_000));
        assertEquals(1, BitTyrantChoker.rate(0.5, 100_000));
    }

    // ---------------------------------------------------------------- bookkeeping

    @Test
    void estimatesOfADepartedPeerAreDroppedAfterSixRounds() {
        BitTyrantChoker c = new BitTyrantChoker();
        ChokerSwarm s = swarm(c, 3);
        s.rechoke();
        s.peers().remove(s.peer(1));
        for (int round = 0; round < BitTyrantChoker.FORGET_ROUNDS; round++) {
            s.rechoke();
        }
        assertEquals(3, c.estimateCount());
        s.rechoke();
        assertEquals(2, c.estimateCount());
        assertNull(c.estimateOf(1));
    }

    @Test
    void reconnectedPeerStartsAfresh() {
        BitTyrantChoker c = new BitTyrantChoker();
        ChokerSwarm s = swarm(c, 1);
        s.rechoke();
        s.rechoke(); // u grew
        s.peers().clear();
        s.connect(0, 1_000);
        s.rechoke();
        assertEquals(U0, c.estimateOf(0).u, EPSILON);
    }

    @Test
    void factoryMakesAChokerPerTorrent() {
        BitTyrantChokerFactory factory = new BitTyrantChokerFactory();
        ChokerSwarm s = new ChokerSwarm(null, 4);
        assertNotSame(factory.create(s.torrent()), factory.create(s.torrent()));
        ChokerSwarm real = new ChokerSwarm(factory.create(s.torrent()), 4).connectOld(8);
        real.uploadLimit(LIMIT);
        real.peer(6).gave(500 * KIB);
        RecordedDecision d = real.rechoke();
        assertEquals(real.peer(6), d.unchoked().get(0));
        assertEquals((long) U0, d.rate(real.peer(6)), "the factory's choker gives rates too");
        assertEquals(Set.of(), Set.copyOf(d.optimistic()));
    }
}
