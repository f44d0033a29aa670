package org.stampede.choker.seed;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashSet;
import java.util.List;
import java.util.Set;

import org.junit.jupiter.api.Test;
import org.stampede.api.PeerView;
import org.stampede.api.testing.ChokerSwarm;
import org.stampede.api.testing.RecordedDecision;
import org.stampede.api.testing.TestPeer;

/** How the round-robin seeding choker rotates its slots, in a simulated swarm. */
class RoundRobinChokerTest {
    /** Each unchoked peer takes {@code bytes} before the next rechoke, which is then run. */
    private static RecordedDecision roundWithUploads(ChokerSwarm s, long bytes) {
        for (TestPeer p : s.peers()) {
            if (!p.amChoking()) {
                p.took(bytes);
            }
        }
        return s.rechoke();
    }

    @Test
    void everyPeerGetsATurnWithinPeersOverSlotsRounds() {
        ChokerSwarm s = new ChokerSwarm(new RoundRobinChoker(1), 3).connectOld(7);
        Set<PeerView> served = new HashSet<>();
        for (int round = 0; round < 3; round++) { // ceil(7 / 3)
            RecordedDecision d = roundWithUploads(s, ChokerSwarm.PIECE_LENGTH);
            assertEquals(3, d.unchoked().size(), "round " + round);
            served.addAll(d.unchoked());
        }
        assertEquals(Set.copyOf(s.peers()), served);
    }

    @Test
    void turnsKeepComingRoundAfterRound() {
        ChokerSwarm s = new ChokerSwarm(new RoundRobinChoker(1), 2).connectOld(5);
        int[] turns = new int[5];
        for (int round = 0; round < 25; round++) {
            for (PeerView p : roundWithUploads(s, ChokerSwarm.PIECE_LENGTH).unchoked()) {
                turns[p.id()]++;
            }
        }
        for (int id = 0; id < 5; id++) {
            assertEquals(10, turns[id], "turns of peer " + id); // 25 rounds x 2 slots / 5 peers
        }
    }

    @Test
    void peerKeepsItsSlotUntilItHasTakenAPiece() {
        ChokerSwarm s = new ChokerSwarm(new RoundRobinChoker(1), 2).connectOld(4);
        Set<PeerView> first = Set.copyOf(roundWithUploads(s, 0).unchoked());
        Set<PeerView> second = Set.copyOf(roundWithUploads(s, ChokerSwarm.PIECE_LENGTH / 2).unchoked());
        Set<PeerView> third = Set.copyOf(roundWithUploads(s, ChokerSwarm.PIECE_LENGTH / 2).unchoked());
        assertEquals(Set.of(s.peer(0), s.peer(1)), first);
        assertEquals(first, second);
        assertEquals(Set.of(s.peer(2), s.peer(3)), third);
    }

    @Test
    void turnLastsAtLeastARechokeIntervalWhenRechokedEarly() {
        ChokerSwarm s = new ChokerSwarm(new RoundRobinChoker(1), 1).connectOld(2);
        s.rechoke(2_000); // peer 0 unchoked; the next rechoke comes 2 s later
        s.peer(0).took(ChokerSwarm.PIECE_LENGTH);
        assertEquals(List.of(s.peer(0)), s.rechoke(8_000).unchoked());
        assertEquals(List.of(s.peer(1)), s.rechoke().unchoked());
    }

    @Test
    void largerQuotaMakesLongerTurns() {
        ChokerSwarm s = new ChokerSwarm(new RoundRobinChoker(3), 1).connectOld(2);
        roundWithUploads(s, 0);
        assertEquals(List.of(s.peer(0)), roundWithUploads(s, ChokerSwarm.PIECE_LENGTH).unchoked());
        assertEquals(List.of(s.peer(0)), roundWithUploads(s, ChokerSwarm.PIECE_LENGTH).unchoked());
        assertEquals(List.of(s.peer(1)), roundWithUploads(s, ChokerSwarm.PIECE_LENGTH).unchoked());
    }

    @Test
    void peerThatWaitedLongestIsNext() {
        ChokerSwarm s = new ChokerSwarm(new RoundRobinChoker(1), 2).connectOld(4);
        s.peer(0).lastUnchokedAtMillis(s.now() - 30_000);
        s.peer(1).lastUnchokedAtMillis(s.now() - 90_000);
        s.peer(2).lastUnchokedAtMillis(s.now() - 60_000);
        s.peer(3).lastUnchokedAtMillis(s.now() - 10_000);
        assertEquals(Set.of(s.peer(1), s.peer(2)), Set.copyOf(s.rechoke().unchoked()));
    }

    @Test
    void peerNeverUnchokedComesBeforeEveryOther() {
        ChokerSwarm s = new ChokerSwarm(new RoundRobinChoker(1), 1).connectOld(3);
        s.peer(0).lastUnchokedAtMillis(s.now() - 90_000);
        s.peer(2).lastUnchokedAtMillis(s.now() - 60_000);
        assertEquals(List.of(s.peer(1)), s.rechoke().unchoked());
    }

    @Test
    void replacementChokerContinuesATurnInProgress() {
        ChokerSwarm s = new ChokerSwarm(new RoundRobinChoker(1), 1).connectOld(2);
        s.peer(0).uploaded(4L * ChokerSwarm.PIECE_LENGTH); // served in earlier turns
        roundWithUploads(s, 0); // peer 0 unchoked
        s.use(new RoundRobinChoker(1));
        assertEquals(List.of(s.peer(0)), roundWithUploads(s, ChokerSwarm.PIECE_LENGTH / 2).unchoked());
        assertEquals(List.of(s.peer(1)), roundWithUploads(s, ChokerSwarm.PIECE_LENGTH / 2).unchoked());
    }

    @Test
    void zeroSlotsUnchokeNobody() {
        ChokerSwarm s = new ChokerSwarm(new RoundRobinChoker(1), 0).connectOld(3);
        RecordedDecision d = s.rechoke();
        assertTrue(d.unchoked().isEmpty(), d.unchoked().toString());
        assertNull(d.optimisticPeer());
    }

    @Test
    void quotaBelowOnePieceIsRejected() {
        assertThrows(IllegalArgumentException.class, () -> new RoundRobinChoker(0));
    }

    @Test
    void factoryMakesAChokerPerTorrent() {
        RoundRobinChokerFactory factory = new RoundRobinChokerFactory();
        ChokerSwarm s = new ChokerSwarm(null, 1);
        assertNotSame(factory.create(s.torrent()), factory.create(s.torrent()));
        ChokerSwarm real = new ChokerSwarm(factory.create(s.torrent()), 1).connectOld(2);
        roundWithUploads(real, 0);
        assertEquals(List.of(real.peer(1)), roundWithUploads(real, ChokerSwarm.PIECE_LENGTH).unchoked());
    }
}
