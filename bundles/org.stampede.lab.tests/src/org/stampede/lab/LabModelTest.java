package org.stampede.lab;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Set;

import org.junit.jupiter.api.Test;
import org.stampede.api.BlockRequests;
import org.stampede.api.ChokeDecision;
import org.stampede.api.Choker;
import org.stampede.api.ChokerFactory;
import org.stampede.api.PeerView;
import org.stampede.api.PiecePicker;
import org.stampede.api.PiecePickerFactory;
import org.stampede.api.StrategyKind;
import org.stampede.api.TorrentView;
import org.stampede.lab.LabResult.PeerClass;
import org.stampede.lab.LabResult.PeerRow;
import org.stampede.lab.LabResult.StrategyUse;

/** What the simulated swarm does with the strategies it is given. */
class LabModelTest {
    /** The fixtures, with one strategy replaced. */
    private static StrategySource with(long seed, String kind, Object factory) {
        FixtureStrategies fixtures = new FixtureStrategies(seed);
        return new StrategySource() {
            @Override
            public PiecePickerFactory picker(String name) {
                return StrategyKind.PICKER.equals(kind) ? (PiecePickerFactory) factory : fixtures.picker(name);
            }

            @Override
            public ChokerFactory choker(String k, String name) {
                return k.equals(kind) ? (ChokerFactory) factory : fixtures.choker(k, name);
            }
        };
    }

    @Test
    void everyLeecherFinishesAndEveryByteSentIsReceived() {
        LabConfig config = Scenarios.small(3);
        LabResult r = Scenarios.run(config);
        long content = (long) config.pieces() * config.pieceLength();
        assertTrue(r.finished());
        assertEquals(config.peers(), r.completed(PeerClass.NORMAL));
        assertEquals(r.peers().stream().mapToLong(PeerRow::uploaded).sum(),
                r.peers().stream().mapToLong(PeerRow::downloaded).sum());
        for (PeerRow p : r.peers().subList(1, r.peers().size())) {
            assertTrue(p.downloaded() >= content, "peer " + p.index() + " downloaded " + p.downloaded());
            assertTrue(p.completionSeconds() > p.arrivalSeconds());
        }
    }

    @Test
    void freeRidersUploadNothingYetFinish() {
        LabResult r = Scenarios.run(Scenarios.small(4).withFreeRiders(0.5));
        assertEquals(10, r.count(PeerClass.FREE_RIDER));
        assertEquals(10, r.completed(PeerClass.FREE_RIDER));
        assertTrue(r.peers().stream().filter(p -> p.peerClass() == PeerClass.FREE_RIDER)
                .allMatch(p -> p.uploaded() == 0));
    }

    @Test
    void theRunStopsAtTheTimeLimitWithUnfinishedLeechersAsNaN() {
        LabResult r = Scenarios.run(Scenarios.small(5).withTimes(0, 0, 1, 20));
        assertFalse(r.finished());
        assertEquals(20.0, r.endSeconds());
        assertTrue(r.peers().stream().filter(p -> p.peerClass() != PeerClass.SEED)
                .allMatch(p -> Double.isNaN(p.completionSeconds())));
        assertEquals(20.0, r.samples().get(r.samples().size() - 1).seconds());
    }

    @Test
    void anUnknownStrategyIsRejectedByName() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Lab.run(
                Scenarios.small(1).withStrategies("sequential", "tit-for-tat", "round-robin"),
                new FixtureStrategies(1)));
        assertEquals("no picker named 'sequential'", e.getMessage());
    }

    @Test
    void aThrowingChokerEndsTheRunNamingItThePeerAndTheTime() {
        ChokerFactory broken = t -> (torrent, peers, decision) -> {
            throw new ArithmeticException("boom");
        };
        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> Lab.run(Scenarios.small(1), with(1, StrategyKind.CHOKER, broken)));
        assertTrue(e.getMessage().startsWith("choker 'tit-for-tat' failed at "), e.getMessage());
        assertTrue(e.getMessage().contains("(normal)") && e.getMessage().endsWith("boom"), e.getMessage());
        assertTrue(e.getCause() instanceof ArithmeticException);
    }

    @Test
    void blocksAPickerShouldNotOfferAreRefusedAndTheRunStillCompletes() {
        PiecePickerFactory fixture = new FixtureStrategies(2).picker(FixtureStrategies.RAREST);
        List<Boolean> badAccepted = new ArrayList<>();
        PiecePickerFactory careless = t -> {
            PiecePicker inner = fixture.create(t);
            return (TorrentView torrent, PeerView peer, BlockRequests requests) -> {
                int had = torrent.have().nextSetBit(0); // a piece we have already, if any
                int lacking = 0; // a piece the peer does not have, if any
                while (lacking < torrent.pieceCount() && peer.pieces().contains(lacking)) {
                    lacking++;
                }
                badAccepted.add(requests.request(-1, 0) || requests.request(torrent.pieceCount(), 0)
                        || requests.request(0, torrent.blockCount(0)) || had >= 0 && requests.request(had, 0)
                        || lacking < torrent.pieceCount() && requests.request(lacking, 0));
                inner.pick(torrent, peer, requests);
            };
        };
        LabResult r = Lab.run(Scenarios.small(2), with(2, StrategyKind.PICKER, careless));
        assertTrue(r.finished());
        assertFalse(badAccepted.isEmpty());
        assertFalse(badAccepted.contains(true));
    }

    @Test
    void rechokesComeEveryIntervalOfVirtualTimeAndNoSooner() {
        long interval = 7_000;
        List<Long> times = new ArrayList<>();
        ChokerFactory recording = t -> new Choker() {
            @Override
            public long rechokeIntervalMillis() {
                return interval;
            }

            @Override
            public void rechoke(TorrentView torrent, List<? extends PeerView> peers, ChokeDecision decision) {
                times.add(torrent.nowMillis());
                peers.stream().limit(Math.max(0, decision.uploadSlots())).forEach(decision::unchoke);
            }
        };
        LabResult r = Lab.run(Scenarios.small(6), with(6, StrategyKind.SEED_CHOKER, recording));
        assertTrue(times.size() >= (long) (r.endSeconds() * 1000 / interval) - 1, times.size() + " rechokes");
        for (int i = 1; i < times.size(); i++) {
            long gap = times.get(i) - times.get(i - 1);
            assertTrue(gap >= 1_000 && gap <= interval, "gap " + gap + " ms");
        }
    }

    @Test
    void noPeerKeepsMoreThanTheConnectionLimit() {
        int limit = 5;
        int[] most = new int[1];
        ChokerFactory counting = t -> (torrent, peers, decision) -> {
            most[0] = Math.max(most[0], peers.size());
            peers.forEach(decision::unchoke);
        };
        // with so few connections, part of the swarm may never reach the seed: the run need not finish
        Lab.run(Scenarios.small(8).withConnections(limit, 4).withTimes(0, 0, 5, 600),
                with(8, StrategyKind.CHOKER, counting));
        assertTrue(most[0] >= 1 && most[0] <= limit, "most interested peers seen: " + most[0]);
    }

    @Test
    void finishedLeechersThatLingerSeedWithTheSeedChoker() {
        Set<TorrentView> seeding = Collections.newSetFromMap(new IdentityHashMap<>());
        List<Boolean> complete = new ArrayList<>();
        ChokerFactory fixture = new FixtureStrategies(9).choker(StrategyKind.SEED_CHOKER,
                FixtureStrategies.ROUND_ROBIN);
        ChokerFactory recording = t -> {
            Choker inner = fixture.create(t);
            return (torrent, peers, decision) -> {
                seeding.add(torrent);
                complete.add(torrent.complete());
                inner.rechoke(torrent, peers, decision);
            };
        };
        LabResult r = Lab.run(Scenarios.small(9).withTimes(0, 60, 5, 86_400),
                with(9, StrategyKind.SEED_CHOKER, recording));
        StrategyUse seedChoker = r.strategies().get(2);
        assertEquals(StrategyKind.SEED_CHOKER, seedChoker.kind());
        assertEquals(1 + 20, seedChoker.instances());
        // the seed and the finishers that lingered until their first rechoke (the run ends with the last finisher)
        assertTrue(seeding.size() > 1, seeding.size() + " seeding peers rechoked");
        assertFalse(complete.contains(false));
    }

    @Test
    void eachSimulatedPeerHasItsOwnInfoHashTheSameInEveryRun() {
        List<List<String>> runs = new ArrayList<>();
        for (int run = 0; run < 2; run++) {
            List<String> hashes = new ArrayList<>();
            PiecePickerFactory fixture = new FixtureStrategies(12).picker(FixtureStrategies.RAREST);
            PiecePickerFactory recording = t -> {
                hashes.add(t.infoHash());
                return fixture.create(t);
            };
            Lab.run(Scenarios.small(12), with(12, StrategyKind.PICKER, recording));
            runs.add(hashes);
        }
        assertEquals(20, runs.get(0).size());
        assertEquals(20, Set.copyOf(runs.get(0)).size());
        assertTrue(runs.get(0).stream().allMatch(h -> h.matches("[0-9a-f]{40}")));
        assertEquals(runs.get(0), runs.get(1));
    }
}
