package org.stampede.api.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.NoSuchElementException;

import org.junit.jupiter.api.Test;
import org.stampede.api.ChokeDecision;
import org.stampede.api.Choker;
import org.stampede.api.PeerView;
import org.stampede.api.TorrentView;

/** The swarm applies a choker's decision to its peers and moves the clock, as the engine does. */
class ChokerSwarmTest {
    /** Unchokes the peers with the given ids in regular slots and the last id optimistically. */
    private static final class Fixed implements Choker {
        private final int[] regular;
        private final int optimistic;
        final List<Long> calledAt = new ArrayList<>();

        Fixed(int optimistic, int... regular) {
            this.regular = regular;
            this.optimistic = optimistic;
        }

        @Override
        public void rechoke(TorrentView torrent, List<? extends PeerView> peers, ChokeDecision decision) {
            calledAt.add(torrent.nowMillis());
            for (PeerView p : peers) {
                for (int id : regular) {
                    if (p.id() == id) {
                        decision.unchoke(p);
                    }
                }
                if (p.id() == optimistic) {
                    decision.unchokeOptimistically(p);
                }
            }
        }
    }

    @Test
    void unchokedPeersAreNoLongerChokedAndTheOthersAre() {
        ChokerSwarm s = new ChokerSwarm(new Fixed(2, 0), 4).connectOld(3);
        s.rechoke();
        assertFalse(s.peer(0).amChoking());
        assertTrue(s.peer(1).amChoking());
        assertFalse(s.peer(2).amChoking());
        assertTrue(s.peer(2).optimistic());
        assertFalse(s.peer(0).optimistic());
        assertEquals(1, s.regularlyUnchokedCount());
    }

    @Test
    void lastUnchokeTimeIsSetOnlyWhenAChokedPeerIsUnchoked() {
        ChokerSwarm s = new ChokerSwarm(new Fixed(-1, 0), 4).connectOld(1);
        long first = s.now();
        s.rechoke();
        s.rechoke();
        assertEquals(first, s.peer(0).lastUnchokedAtMillis());
    }

    @Test
    void rechokeMovesTheClockByARoundOrByTheGivenTime() {
        Fixed choker = new Fixed(-1);
        ChokerSwarm s = new ChokerSwarm(choker, 4);
        s.rechoke();
        s.rechoke(2_000);
        s.rechoke();
        long start = ChokerSwarm.START_MILLIS;
        assertEquals(List.of(start, start + ChokerSwarm.ROUND_MILLIS, start + ChokerSwarm.ROUND_MILLIS + 2_000),
                choker.calledAt);
        assertEquals(start + 2 * ChokerSwarm.ROUND_MILLIS + 2_000, s.now());
    }

    @Test
    void roundTrafficIsResetAfterARechokeAndTotalsAreKept() {
        ChokerSwarm s = new ChokerSwarm(new Fixed(-1), 4).connectOld(1);
        s.peer(0).gave(10_000).took(20_000);
        s.rechoke();
        TestPeer p = s.peer(0);
        assertEquals(0, p.downloadedSinceRechoke());
        assertEquals(0, p.downloadRate());
        assertEquals(0, p.uploadRate());
        assertEquals(10_000, p.downloaded());
        assertEquals(20_000, p.uploaded());
    }

    @Test
    void gaveIsAveragedOverATenSecondRound() {
        TestPeer p = new TestPeer(new MutablePieceSet(1)).gave(300 * 1024);
        assertEquals(30 * 1024, p.downloadRate());
        assertEquals(300 * 1024, p.downloadedSinceRechoke());
    }

    @Test
    void decisionReportsTheSwarmsSlotsLimitAndRate() {
        ChokerSwarm s = new ChokerSwarm(new Fixed(-1), 3).uploadLimit(1000).uploadRate(700);
        RecordedDecision d = s.rechoke();
        assertEquals(3, d.uploadSlots());
        assertEquals(1000, d.uploadLimit());
        assertEquals(700, d.uploadRate());
    }

    @Test
    void connectedPeersAreInterestedAndConnectedWhenSaid() {
        ChokerSwarm s = new ChokerSwarm(new Fixed(-1), 1);
        TestPeer p = s.connect(7, 20_000);
        assertTrue(p.peerInterested());
        assertTrue(p.amChoking());
        assertEquals(s.now() - 20_000, p.connectedAtMillis());
        assertEquals(ChokerSwarm.PIECE_COUNT, p.pieces().size());
        assertSame(p, s.peer(7));
    }

    @Test
    void askingForAPeerNotConnectedFails() {
        ChokerSwarm s = new ChokerSwarm(new Fixed(-1), 1).connectOld(1);
        assertThrows(NoSuchElementException.class, () -> s.peer(5));
    }

    @Test
    void rechokeWithoutAChokerFails() {
        assertThrows(IllegalStateException.class, () -> new ChokerSwarm(null, 1).rechoke());
    }

    @Test
    void usedChokerDecidesTheNextRound() {
        ChokerSwarm s = new ChokerSwarm(new Fixed(-1, 0), 4).connectOld(2);
        s.rechoke();
        s.use(new Fixed(-1, 1)).rechoke();
        assertTrue(s.peer(0).amChoking());
        assertFalse(s.peer(1).amChoking());
    }

    @Test
    void optimisticPeerIsNullWithoutOneAndAnErrorWithTwo() {
        RecordedDecision d = new RecordedDecision(4);
        assertNull(d.optimisticPeer());
        TestPeer a = new TestPeer(1, new MutablePieceSet(1));
        TestPeer b = new TestPeer(2, new MutablePieceSet(1));
        d.unchokeOptimistically(a);
        assertSame(a, d.optimisticPeer());
        d.unchokeOptimistically(b);
        assertThrows(IllegalStateException.class, d::optimisticPeer);
    }

    @Test
    void allUnchokedListsRegularThenOptimisticPeers() {
        RecordedDecision d = new RecordedDecision(4);
        TestPeer a = new TestPeer(1, new MutablePieceSet(1));
        TestPeer b = new TestPeer(2, new MutablePieceSet(1));
        d.unchokeOptimistically(a);
        d.unchoke(b);
        assertEquals(List.of(b, a), d.allUnchoked());
    }
}
