package org.stampede.choker.antileech;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import org.junit.jupiter.api.Test;
import org.stampede.api.PeerView;
import org.stampede.api.testing.ChokerSwarm;
import org.stampede.api.testing.MutablePieceSet;
import org.stampede.api.testing.RecordedDecision;
import org.stampede.api.testing.TestPeer;

/** Whom the anti-leech seeding choker unchokes, in a simulated swarm. */
class AntiLeechChokerTest {
    private static final long TOTAL = (long) ChokerSwarm.PIECE_COUNT * ChokerSwarm.PIECE_LENGTH;

    /** A swarm of peers holding the given percentages of the torrent (the torrent has 100 pieces). */
    private static ChokerSwarm swarm(int slots, int... percent) {
        ChokerSwarm s = new ChokerSwarm(new AntiLeechChoker(), slots).connectOld(percent.length);
        for (int i = 0; i < percent.length; i++) {
            s.peer(i).hasFirst(percent[i]);
        }
        return s;
    }

    // ---------------------------------------------------------------- score

    @Test
    void scoreIsTheDistanceOfProgressFromHalf() {
        TestPeer p = new TestPeer(0, new MutablePieceSet(ChokerSwarm.PIECE_COUNT));
        int[] percent = { 0, 10, 25, 50, 75, 99 };
        int[] expected = { 1000, 800, 500, 0, 500, 980 };
        for (int i = 0; i < percent.length; i++) {
            p.hasFirst(percent[i]);
            assertEquals(expected[i], AntiLeechChoker.score(p, ChokerSwarm.PIECE_LENGTH, TOTAL), percent[i] + "%");
        }
    }

    @Test
    void scoreCountsWhatWeSentWhenThePeerAnnouncesLess() {
        TestPeer p = new TestPeer(0, new MutablePieceSet(ChokerSwarm.PIECE_COUNT));
        p.uploaded(TOTAL / 2); // it announces nothing, but we sent it half the torrent
        assertEquals(0, AntiLeechChoker.score(p, ChokerSwarm.PIECE_LENGTH, TOTAL));
    }

    @Test
    void scoreOfAnEmptyTorrentIsZero() {
        assertEquals(0, AntiLeechChoker.score(new TestPeer(0, new MutablePieceSet(ChokerSwarm.PIECE_COUNT)), 0, 0));
    }

    // ---------------------------------------------------------------- regular slots

    @Test
    void peersJustStartedOrNearlyDoneWinTheSlots() {
        ChokerSwarm s = swarm(2, 50, 5, 60, 95, 40);
        RecordedDecision d = s.rechoke();
        assertEquals(Set.of(s.peer(1), s.peer(3)), Set.copyOf(d.unchoked()));
    }

    @Test
    void uploadsMoveAPeerTowardsTheMiddleAndItsSlotOn() {
        ChokerSwarm s = swarm(1, 0, 10);
        assertEquals(List.of(s.peer(0)), s.rechoke().unchoked());
        s.peer(0).took(TOTAL / 4); // 25% now: score 500, below the other's 800
        assertEquals(List.of(s.peer(1)), s.rechoke().unchoked());
    }

    @Test
    void equalScoresGoToThePeerThatWaitedLongest() {
        ChokerSwarm s = swarm(1, 20, 20, 20);
        s.peer(0).lastUnchokedAtMillis(s.now() - 50_000);
        s.peer(1).lastUnchokedAtMillis(s.now() - 90_000);
        s.peer(2).lastUnchokedAtMillis(s.now() - 20_000);
        assertEquals(List.of(s.peer(1)), s.rechoke().unchoked());
    }

    @Test
    void negativeSlotsUnchokeEveryone() {
        ChokerSwarm s = swarm(-1, 50, 5, 60);
        RecordedDecision d = s.rechoke();
        assertEquals(3, d.unchoked().size());
        assertNull(d.optimisticPeer());
    }

    @Test
    void zeroSlotsUnchokeNobody() {
        ChokerSwarm s = swarm(0, 50, 5, 60);
        RecordedDecision d = s.rechoke();
        assertTrue(d.unchoked().isEmpty(), d.unchoked().toString());
        assertNull(d.optimisticPeer());
    }

    // ---------------------------------------------------------------- rotation

    @Test
    void rotationSlotGoesToTheChokedPeerThatWaitedLongestWhateverItsScore() {
        ChokerSwarm s = swarm(1, 0, 50, 48, 10);
        s.peer(1).lastUnchokedAtMillis(s.now() - 40_000);
        s.peer(2).lastUnchokedAtMillis(s.now() - 90_000);
        s.peer(3).lastUnchokedAtMillis(s.now() - 60_000);
        RecordedDecision d = s.rechoke();
        assertEquals(List.of(s.peer(0)), d.unchoked());
        assertSame(s.peer(2), d.optimisticPeer());
    }

    @Test
    void rotationSlotIsHeldForThirtySeconds() {
        ChokerSwarm s = swarm(1, 0, 50, 50, 50);
        List<PeerView> holders = new ArrayList<>();
        for (int round = 0; round < 6; round++) {
            holders.add(s.rechoke().optimisticPeer());
        }
        assertEquals(List.of(s.peer(1), s.peer(1), s.peer(1), s.peer(2), s.peer(2), s.peer(2)), holders);
    }

    @Test
    void nobodyStarves() {
        ChokerSwarm s = swarm(2, 0, 2, 98, 100 - 1, 50, 50, 49, 51, 45, 55);
        Set<PeerView> served = new HashSet<>();
        for (int round = 0; round < 3 * 10; round++) { // ten rotations of 30 s
            served.addAll(s.rechoke().allUnchoked());
        }
        assertEquals(Set.copyOf(s.peers()), served);
    }

    @Test
    void peersGetTheRotationSlotFirstInFirstOut() {
        ChokerSwarm s = swarm(1, 0, 50, 50, 50, 50);
        List<Integer> order = new ArrayList<>();
        for (int round = 0; round < 12; round++) {
            PeerView holder = s.rechoke().optimisticPeer();
            if (order.isEmpty() || order.get(order.size() - 1) != holder.id()) {
                order.add(holder.id());
            }
        }
        assertEquals(List.of(1, 2, 3, 4), order);
    }

    @Test
    void peerThatLostItsRegularSlotTakesTheRotationWhenNobodyElseWaits() {
        ChokerSwarm s = swarm(1, 0, 45);
        RecordedDecision first = s.rechoke();
        assertEquals(List.of(s.peer(0)), first.unchoked());
        assertSame(s.peer(1), first.optimisticPeer());
        s.peer(0).took(TOTAL / 2); // peer 0 at 50% now: peer 1 wins the regular slot
        RecordedDecision second = s.rechoke();
        assertEquals(List.of(s.peer(1)), second.unchoked());
        assertSame(s.peer(0), second.optimisticPeer());
    }

    @Test
    void replacementChokerLetsTheCurrentHolderKeepTheSlot() {
        ChokerSwarm s = swarm(1, 0, 50, 50, 50);
        PeerView holder = s.rechoke().optimisticPeer();
        s.use(new AntiLeechChoker());
        assertSame(holder, s.rechoke().optimisticPeer());
        assertSame(holder, s.rechoke().optimisticPeer());
    }

    @Test
    void departedHolderIsReplacedAtOnce() {
        ChokerSwarm s = swarm(1, 0, 50, 50, 50);
        PeerView first = s.rechoke().optimisticPeer();
        s.peers().remove(first);
        PeerView second = s.rechoke().optimisticPeer();
        assertNotSame(first, second);
        assertTrue(second != null && s.peers().contains(second));
    }

    // ---------------------------------------------------------------- factory

    @Test
    void factoryMakesAChokerPerTorrent() {
        AntiLeechChokerFactory factory = new AntiLeechChokerFactory();
        ChokerSwarm s = new ChokerSwarm(null, 1);
        assertNotSame(factory.create(s.torrent()), factory.create(s.torrent()));
        ChokerSwarm real = new ChokerSwarm(factory.create(s.torrent()), 1).connectOld(3);
        real.peer(0).hasFirst(50);
        real.peer(1).hasFirst(90);
        real.peer(2).hasFirst(30);
        assertEquals(List.of(real.peer(1)), real.rechoke().unchoked());
    }
}
