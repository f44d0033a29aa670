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

/** Whom the anti-leech seeding choker unchokes, in a simulated swarm. */
class AntiLeechChokerTest {
    private static final long TOTAL = (long) Swarm.PIECE_COUNT * Swarm.PIECE_LENGTH;

    /** A swarm of peers holding the given percentages of the torrent (the torrent has 100 pieces). */
    private static Swarm swarm(int slots, int... percent) {
        Swarm s = new Swarm(new AntiLeechChoker(), slots).connectOld(percent.length);
        for (int i = 0; i < percent.length; i++) {
            s.peer(i).pieceCount = percent[i];
        }
        return s;
    }

    // ---------------------------------------------------------------- score

    @Test
    void scoreIsTheDistanceOfProgressFromHalf() {
        FakePeer p = new FakePeer(0, 0);
        int[] percent = { 0, 10, 25, 50, 75, 99 };
        int[] expected = { 1000, 800, 500, 0, 500, 980 };
        for (int i = 0; i < percent.length; i++) {
            p.pieceCount = percent[i];
            assertEquals(expected[i], AntiLeechChoker.score(p, Swarm.PIECE_LENGTH, TOTAL), percent[i] + "%");
        }
    }

    @Test
    void scoreCountsWhatWeSentWhenThePeerAnnouncesLess() {
        FakePeer p = new FakePeer(0, 0);
        p.uploaded = TOTAL / 2; // it announces nothing, but we sent it half the torrent
        assertEquals(0, AntiLeechChoker.score(p, Swarm.PIECE_LENGTH, TOTAL));
    }

    @Test
    void scoreOfAnEmptyTorrentIsZero() {
        assertEquals(0, AntiLeechChoker.score(new FakePeer(0, 0), 0, 0));
    }

    // ---------------------------------------------------------------- regular slots

    @Test
    void peersJustStartedOrNearlyDoneWinTheSlots() {
        Swarm s = swarm(2, 50, 5, 60, 95, 40);
        Decision d = s.rechoke();
        assertEquals(Set.of(s.peer(1), s.peer(3)), Set.copyOf(d.unchoked));
    }

    @Test
    void uploadsMoveAPeerTowardsTheMiddleAndItsSlotOn() {
        Swarm s = swarm(1, 0, 10);
        assertEquals(List.of(s.peer(0)), s.rechoke().unchoked);
        s.peer(0).took(TOTAL / 4); // 25% now: score 500, below the other's 800
        assertEquals(List.of(s.peer(1)), s.rechoke().unchoked);
    }

    @Test
    void equalScoresGoToThePeerThatWaitedLongest() {
        Swarm s = swarm(1, 20, 20, 20);
        s.peer(0).lastUnchokedAt = s.now - 50_000;
        s.peer(1).lastUnchokedAt = s.now - 90_000;
        s.peer(2).lastUnchokedAt = s.now - 20_000;
        assertEquals(List.of(s.peer(1)), s.rechoke().unchoked);
    }

    @Test
    void negativeSlotsUnchokeEveryone() {
        Swarm s = swarm(-1, 50, 5, 60);
        Decision d = s.rechoke();
        assertEquals(3, d.unchoked.size());
        assertNull(d.optimisticPeer());
    }

    @Test
    void zeroSlotsUnchokeNobody() {
        Swarm s = swarm(0, 50, 5, 60);
        Decision d = s.rechoke();
        assertTrue(d.unchoked.isEmpty(), d.unchoked.toString());
        assertNull(d.optimisticPeer());
    }

    // ---------------------------------------------------------------- rotation

    @Test
    void rotationSlotGoesToTheChokedPeerThatWaitedLongestWhateverItsScore() {
        Swarm s = swarm(1, 0, 50, 48, 10);
        s.peer(1).lastUnchokedAt = s.now - 40_000;
        s.peer(2).lastUnchokedAt = s.now - 90_000;
        s.peer(3).lastUnchokedAt = s.now - 60_000;
        Decision d = s.rechoke();
        assertEquals(List.of(s.peer(0)), d.unchoked);
        assertSame(s.peer(2), d.optimisticPeer());
    }

    @Test
    void rotationSlotIsHeldForThirtySeconds() {
        Swarm s = swarm(1, 0, 50, 50, 50);
        List<PeerView> holders = new ArrayList<>();
        for (int round = 0; round < 6; round++) {
            holders.add(s.rechoke().optimisticPeer());
        }
        assertEquals(List.of(s.peer(1), s.peer(1), s.peer(1), s.peer(2), s.peer(2), s.peer(2)), holders);
    }

    @Test
    void nobodyStarves() {
        Swarm s = swarm(2, 0, 2, 98, 100 - 1, 50, 50, 49, 51, 45, 55);
        Set<PeerView> served = new HashSet<>();
        for (int round = 0; round < 3 * 10; round++) { // ten rotations of 30 s
            served.addAll(s.rechoke().all());
        }
        assertEquals(Set.copyOf(s.peers), served);
    }

    @Test
    void peersGetTheRotationSlotFirstInFirstOut() {
        Swarm s = swarm(1, 0, 50, 50, 50, 50);
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
        Swarm s = swarm(1, 0, 45);
        Decision first = s.rechoke();
        assertEquals(List.of(s.peer(0)), first.unchoked);
        assertSame(s.peer(1), first.optimisticPeer());
        s.peer(0).took(TOTAL / 2); // peer 0 at 50% now: peer 1 wins the regular slot
        Decision second = s.rechoke();
        assertEquals(List.of(s.peer(1)), second.unchoked);
        assertSame(s.peer(0), second.optimisticPeer());
    }

    @Test
    void replacementChokerLetsTheCurrentHolderKeepTheSlot() {
        Swarm s = swarm(1, 0, 50, 50, 50);
        PeerView holder = s.rechoke().optimisticPeer();
        s.use(new AntiLeechChoker());
        assertSame(holder, s.rechoke().optimisticPeer());
        assertSame(holder, s.rechoke().optimisticPeer());
    }

    @Test
    void departedHolderIsReplacedAtOnce() {
        Swarm s = swarm(1, 0, 50, 50, 50);
        PeerView first = s.rechoke().optimisticPeer();
        s.peers.remove(first);
        PeerView second = s.rechoke().optimisticPeer();
        assertNotSame(first, second);
        assertTrue(second != null && s.peers.contains(second));
    }

    // ---------------------------------------------------------------- factory

    @Test
    void factoryMakesAChokerPerTorrent() {
        AntiLeechChokerFactory factory = new AntiLeechChokerFactory();
        Swarm s = new Swarm(null, 1);
        assertNotSame(factory.create(s), factory.create(s));
        Swarm real = new Swarm(factory.create(s), 1).connectOld(3);
        real.peer(0).pieceCount = 50;
        real.peer(1).pieceCount = 90;
        real.peer(2).pieceCount = 30;
        assertEquals(List.of(real.peer(1)), real.rechoke().unchoked);
    }
}
