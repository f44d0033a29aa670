package org.stampede.choker.propshare;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
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

/** Whom the PropShare choker unchokes, round after round, in a simulated swarm. */
class PropShareChokerTest {
    private static final long KIB = 1024;

    private static PropShareChoker choker(long seed) {
        return new PropShareChoker(new Random(seed), PropShareChoker.DEFAULT_CAP_FACTOR);
    }

    /** One rechoke: the decision, and whom it unchoked that had contributed and that had not. */
    private record Round(RecordedDecision decision, Set<PeerView> contributors, Set<PeerView> explorers) {
    }

    private static Round round(ChokerSwarm s) {
        return round(s, ChokerSwarm.ROUND_MILLIS);
    }

    private static Round round(ChokerSwarm s, long nextInMillis) {
        Set<PeerView> gave = new HashSet<>();
        for (TestPeer p : s.peers()) {
            if (p.downloadedSinceRechoke() > 0) {
                gave.add(p);
            }
        }
        RecordedDecision d = s.rechoke(nextInMillis);
        Set<PeerView> contributors = new HashSet<>(d.allUnchoked());
        contributors.retainAll(gave);
        Set<PeerView> explorers = new HashSet<>(d.allUnchoked());
        explorers.removeAll(gave);
        return new Round(d, contributors, explorers);
    }

    // ---------------------------------------------------------------- shares

    @Test
    void withAnUploadLimitEachContributorGetsItsProportionalShareOfTheEightyPercent() {
        ChokerSwarm s = new ChokerSwarm(choker(1), 4).connectOld(6).uploadLimit(1000 * KIB);
        s.peer(0).gave(10 * KIB);
        s.peer(1).gave(30 * KIB);
        s.peer(2).gave(60 * KIB);
        RecordedDecision d = s.rechoke();
        assertEquals(80 * KIB, d.rate(s.peer(0)), "0.8 * 1000 KiB/s * 10 / 100");
        assertEquals(240 * KIB, d.rate(s.peer(1)));
        assertEquals(480 * KIB, d.rate(s.peer(2)));
        for (PeerView p : d.allUnchoked()) {
            if (p != s.peer(0) && p != s.peer(1) && p != s.peer(2)) {
                assertEquals(-1, d.rate(p), "an explorer takes what is left: " + p);
            }
        }
    }

    @Test
    void aTinyContributorStillGetsOneBlockASecondAndWithoutALimitNobodyGetsARate() {
        ChokerSwarm limited = new ChokerSwarm(choker(1), 4).connectOld(3).uploadLimit(100 * KIB);
        limited.peer(0).gave(1);
        limited.peer(1).gave(1000 * KIB);
        RecordedDecision d = limited.rechoke();
        assertEquals(PropShareChoker.MIN_SHARE, d.rate(limited.peer(0)));

        ChokerSwarm unlimited = new ChokerSwarm(choker(1), 4).connectOld(3);
        unlimited.peer(0).gave(10 * KIB);
        RecordedDecision u = unlimited.rechoke();
        assertTrue(u.unchoked().contains(unlimited.peer(0)));
        assertEquals(-1, u.rate(unlimited.peer(0)), "no capacity to divide");
    }

    // ---------------------------------------------------------------- contributors

    @Test
    void everyPeerThatContributedIsUnchoked() {
        ChokerSwarm s = new ChokerSwarm(choker(1), 4).connectOld(10);
        for (int i = 0; i < 6; i++) {
            s.peer(i).gave((i + 1) * KIB);
        }
        RecordedDecision d = s.rechoke();
        assertEquals(Set.of(s.peer(0), s.peer(1), s.peer(2), s.peer(3), s.peer(4), s.peer(5)),
                Set.copyOf(d.unchoked().subList(0, 6)));
    }

    @Test
    void peersThatGaveNothingGetNoRegularUnchokeHoweverFastBefore() {
        ChokerSwarm s = new ChokerSwarm(choker(1), 1).connectOld(3);
        s.peer(0).gave(KIB);
        s.peer(1).downloadRate(500 * KIB); // fast, but nothing since the last rechoke
        s.peer(2).downloadRate(500 * KIB);
        RecordedDecision d = s.rechoke();
        assertEquals(List.of(s.peer(0)), d.unchoked());
    }

    @Test
    void contributorsBeyondTheCapAreTheSmallestOnes() {
        ChokerSwarm s = new ChokerSwarm(choker(1), 2).connectOld(6); // cap: 2 x 2 slots
        long[] gave = { 50, 10, 60, 20, 40, 30 };
        for (int i = 0; i < 6; i++) {
            s.peer(i).gave(gave[i] * KIB);
        }
        assertEquals(Set.of(s.peer(2), s.peer(0), s.peer(4), s.peer(5)), round(s).contributors());
    }

    @Test
    void capFactorIsAConstructorArgument() {
        ChokerSwarm s = new ChokerSwarm(new PropShareChoker(new Random(1), 3), 1).connectOld(5);
        for (int i = 0; i < 5; i++) {
            s.peer(i).gave((i + 1) * KIB);
        }
        assertEquals(3, round(s).contributors().size());
        assertThrows(IllegalArgumentException.class, () -> new PropShareChoker(new Random(1), 0));
    }

    @Test
    void negativeSlotsUnchokeEveryContributor() {
        ChokerSwarm s = new ChokerSwarm(choker(1), -1).connectOld(30);
        for (int i = 0; i < 20; i++) {
            s.peer(i).gave(KIB);
        }
        Round r = round(s);
        assertEquals(20, r.contributors().size());
        assertEquals(5, r.explorers().size());
    }

    // ---------------------------------------------------------------- exploration

    @Test
    void explorersAreAboutAFifthOfTheUnchokedPeers() {
        assertEquals(1, PropShareChoker.explorerCount(4, 4));
        assertEquals(2, PropShareChoker.explorerCount(5, 4));
        assertEquals(2, PropShareChoker.explorerCount(8, 4));
        assertEquals(3, PropShareChoker.explorerCount(9, 4));
    }

    @Test
    void unusedSlotsGoToExplorers() {
        assertEquals(4, PropShareChoker.explorerCount(0, 4));
        assertEquals(2, PropShareChoker.explorerCount(2, 4));
        assertEquals(1, PropShareChoker.explorerCount(0, -1));
    }

    @Test
    void newTorrentExploresWithEverySlot() {
        ChokerSwarm s = new ChokerSwarm(choker(1), 4).connectOld(10);
        RecordedDecision d = s.rechoke();
        assertEquals(4, d.allUnchoked().size());
        assertNotNull(d.optimisticPeer());
    }

    @Test
    void explorersAreChokedPeersThatGaveNothingOrExplorersKept() {
        ChokerSwarm s = new ChokerSwarm(choker(3), 4).connectOld(12);
        Random traffic = new Random(5);
        Set<PeerView> previous = Set.of();
        int drawn = 0;
        for (int round = 0; round < 30; round++) {
            for (TestPeer p : s.peers()) {
                if (traffic.nextInt(3) == 0) {
                    p.gave((1 + traffic.nextInt(100)) * KIB);
                }
            }
            Set<TestPeer> chokedBefore = new HashSet<>();
            for (TestPeer p : s.peers()) {
                if (p.amChoking()) {
                    chokedBefore.add(p);
                }
            }
            Set<PeerView> explorers = round(s).explorers();
            for (PeerView e : explorers) {
                assertTrue(chokedBefore.contains(e) || previous.contains(e), e + " in round " + round);
                if (!previous.contains(e)) {
                    drawn++;
                }
            }
            previous = explorers;
        }
        assertTrue(drawn >= 10, "explorers drawn: " + drawn);
    }

    @Test
    void explorerKeepsItsUnchokeForThirtySeconds() {
        ChokerSwarm s = new ChokerSwarm(choker(7), 1).connectOld(8);
        List<PeerView> holders = new ArrayList<>();
        for (int round = 0; round < 6; round++) {
            s.peer(0).gave(100 * KIB);
            holders.add(s.rechoke().optimisticPeer());
        }
        assertSame(holders.get(0), holders.get(1));
        assertSame(holders.get(0), holders.get(2));
        assertNotSame(holders.get(2), holders.get(3));
        assertSame(holders.get(3), holders.get(4));
        assertSame(holders.get(3), holders.get(5));
    }

    @Test
    void explorerThatContributesBecomesARegularUnchoke() {
        ChokerSwarm s = new ChokerSwarm(choker(5), 1).connectOld(5);
        s.peer(0).gave(100 * KIB);
        TestPeer explorer = (TestPeer) s.rechoke().optimisticPeer();
        explorer.gave(KIB);
        s.peer(0).gave(100 * KIB);
        RecordedDecision d = s.rechoke();
        assertTrue(d.unchoked().contains(explorer));
        assertNotNull(d.optimisticPeer());
        assertNotSame(explorer, d.optimisticPeer());
    }

    @Test
    void departedExplorerIsReplacedAtOnce() {
        ChokerSwarm s = new ChokerSwarm(choker(5), 1).connectOld(5);
        s.peer(0).gave(KIB);
        PeerView first = s.rechoke().optimisticPeer();
        s.peers().remove(first);
        s.peer(0).gave(KIB);
        PeerView second = s.rechoke().optimisticPeer();
        assertNotNull(second);
        assertNotSame(first, second);
    }

    @Test
    void fewerExplorersDropTheLongestHeld() {
        ChokerSwarm s = new ChokerSwarm(choker(9), 4).connectOld(10);
        s.peer(0).gave(KIB);
        s.peer(1).gave(KIB);
        s.peer(2).gave(KIB);
        Set<PeerView> first = round(s).explorers(); // three contributors, one unused slot: one explorer
        s.peer(0).gave(KIB);
        s.peer(1).gave(KIB);
        Set<PeerView> second = round(s).explorers(); // two contributors: two explorers
        s.peer(0).gave(KIB);
        s.peer(1).gave(KIB);
        s.peer(2).gave(KIB);
        Set<PeerView> third = round(s).explorers(); // three again: one explorer, the newer one
        assertEquals(1, first.size());
        assertEquals(2, second.size());
        assertTrue(second.containsAll(first));
        Set<PeerView> newer = new HashSet<>(second);
        newer.removeAll(first);
        assertEquals(newer, third);
    }

    @Test
    void newPeersAreThreeTimesAsLikelyToExplore() {
        int trials = 4000;
        int newPeerDrawn = 0;
        for (long seed = 0; seed < trials; seed++) {
            ChokerSwarm s = new ChokerSwarm(choker(seed), 1);
            s.connect(0, 600_000).gave(KIB); // the contributor
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
    void replacementChokerKeepsTheReportedExplorer() {
        ChokerSwarm s = new ChokerSwarm(choker(5), 1).connectOld(6);
        s.peer(0).gave(KIB);
        PeerView holder = s.rechoke().optimisticPeer();
        s.use(choker(6));
        s.peer(0).gave(KIB);
        assertSame(holder, s.rechoke().optimisticPeer());
    }

    @Test
    void zeroSlotsUnchokeNobody() {
        ChokerSwarm s = new ChokerSwarm(choker(1), 0).connectOld(3);
        s.peer(0).gave(KIB);
        RecordedDecision d = s.rechoke();
        assertTrue(d.unchoked().isEmpty(), d.unchoked().toString());
        assertNull(d.optimisticPeer());
    }

    // ---------------------------------------------------------------- factory

    @Test
    void factoryMakesAChokerPerTorrent() {
        PropShareChokerFactory factory = new PropShareChokerFactory();
        ChokerSwarm s = new ChokerSwarm(null, 1);
        assertNotSame(factory.create(s.torrent()), factory.create(s.torrent()));
        ChokerSwarm real = new ChokerSwarm(factory.create(s.torrent()), 1).connectOld(4);
        real.peer(2).gave(10 * KIB);
        real.peer(3).gave(20 * KIB);
        RecordedDecision d = real.rechoke();
        assertEquals(List.of(real.peer(3), real.peer(2)), d.unchoked());
        assertFalse(d.unchoked().contains(d.optimisticPeer()));
    }

    @Test
    void freshFactoriesDrawTheSameForTheSameTorrent() {
        assertEquals(explorerSequence(new PropShareChokerFactory(), "a"),
                explorerSequence(new PropShareChokerFactory(), "a"));
    }

    @Test
    void theSameRandomSeedDrawsTheSameSoLabRunsRepeat() {
        PropShareChokerFactory factory = new PropShareChokerFactory();
        assertEquals(explorerSequence(factory, "a"), explorerSequence(factory, "a"));
    }

    @Test
    void anotherTorrentDrawsDifferently() {
        assertNotEquals(explorerSequence(new PropShareChokerFactory(), "a"),
                explorerSequence(new PropShareChokerFactory(), "b"));
    }

    /** The reported explorer of 30 rounds over 20 peers. */
    private static List<Integer> explorerSequence(PropShareChokerFactory factory, String infoHash) {
        ChokerSwarm s = new ChokerSwarm(null, 1);
        s.torrent().infoHash(infoHash);
        s.use(factory.create(s.torrent()));
        s.connectOld(20);
        List<Integer> ids = new ArrayList<>();
        for (int round = 0; round < 30; round++) {
            s.peer(0).gave(KIB);
            ids.add(s.rechoke().optimisticPeer().id());
        }
        return ids;
    }
}
