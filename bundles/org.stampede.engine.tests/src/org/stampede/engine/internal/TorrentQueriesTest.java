package org.stampede.engine.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.stampede.engine.AddOptions;
import org.stampede.engine.EngineEvents;
import org.stampede.engine.TorrentHandle;
import org.stampede.engine.TrackerStatus;
import org.stampede.metainfo.Torrent;
import org.stampede.metainfo.TorrentCreator;
import org.stampede.testing.interop.Interop;
import org.stampede.tracker.AnnounceRequest;
import org.stampede.tracker.AnnounceResponse;
import org.stampede.tracker.ScrapeResponse;
import org.stampede.tracker.TrackerClient;
import org.stampede.tracker.TrackerException;

/** The read-only queries the UI views use: piece map, availability, per-file progress, trackers, stats events. */
@Timeout(value = 120, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class TorrentQueriesTest {
    private static final int PIECE = 256 * 1024;

    @TempDir
    Path dir;

    /** Two files of 1 MiB + 5 and 600 000 bytes in a hybrid torrent (so each file starts on a piece). */
    private Torrent torrent(List<String> trackers) throws Exception {
        Path data = dir.resolve("seed/set");
        Interop.randomFile(data.resolve("a.bin"), 1024 * 1024 + 5, 1);
        Interop.randomFile(data.resolve("b.bin"), 600_000, 2);
        TorrentCreator c = TorrentCreator.forSource(data).version(Torrent.Version.HYBRID).pieceLength(PIECE)
                .creationDate(null);
        for (String t : trackers) {
            c = c.trackerTier(List.of(t));
        }
        return Torrent.parse(c.create());
    }

    private static int fileIndex(Torrent t, String name) {
        for (int i = 0; i < t.files().size(); i++) {
            if (t.files().get(i).path().get(t.files().get(i).path().size() - 1).equals(name)) {
                return i;
            }
        }
        throw new AssertionError("no file " + name);
    }

    @Test
    void seederReportsEveryPieceAsHave() throws Exception {
        Torrent t = torrent(List.of());
        try (EngineImpl seeder = TestEngines.create(LoopbackSwarmTest.settings(dir.resolve("s1")),
                TestStrategies.registry(), u -> null)) {
            TorrentHandle h = seeder.add(t, dir.resolve("seed"), AddOptions.defaults());
            h.checked().get(30, TimeUnit.SECONDS);
            byte[] states = new byte[t.pieceCount() + 3];
            Arrays.fill(states, (byte) 9);
            assertEquals(t.pieceCount(), h.pieces(states, null));
            for (int p = 0; p < t.pieceCount(); p++) {
                assertEquals(TorrentHandle.PIECE_HAVE, states[p], "piece " + p);
            }
            assertEquals(9, states[t.pieceCount()], "nothing is written past the pieces");
        }
    }

    @Test
    void fileProgressIsEachFilesLengthForASeederAndZeroForAFreshLeecher() throws Exception {
        Torrent t = torrent(List.of());
        try (EngineImpl engine = TestEngines.create(LoopbackSwarmTest.settings(dir.resolve("s1")),
                TestStrategies.registry(), u -> null)) {
            TorrentHandle seed = engine.add(t, dir.resolve("seed"), AddOptions.defaults());
            seed.checked().get(30, TimeUnit.SECONDS);
            long[] done = new long[t.files().size()];
            assertEquals(t.files().size(), seed.fileProgress(done));
            assertEquals(1024 * 1024 + 5, done[fileIndex(t, "a.bin")]);
            assertEquals(600_000, done[fileIndex(t, "b.bin")]);
            seed.stop().get(30, TimeUnit.SECONDS);
            TorrentHandle fresh = engine.add(t, dir.resolve("empty"), AddOptions.defaults());
            fresh.checked().get(30, TimeUnit.SECONDS);
            fresh.fileProgress(done);
            assertEquals(0, done[fileIndex(t, "a.bin")]);
            assertEquals(0, done[fileIndex(t, "b.bin")]);
        }
    }

    @Test
    void fileProgressOfASkippedFileStaysZeroWhileTheOtherCompletes() throws Exception {
        Torrent t = torrent(List.of());
        try (EngineImpl seeder = TestEngines.create(LoopbackSwarmTest.settings(dir.resolve("s1")),
                TestStrategies.registry(), u -> null);
                EngineImpl leecher = TestEngines.create(LoopbackSwarmTest.settings(dir.resolve("s2")),
                        TestStrategies.registry(), u -> null)) {
            seeder.add(t, dir.resolve("seed"), AddOptions.defaults()).checked().get(30, TimeUnit.SECONDS);
            TorrentHandle h = leecher.add(t, dir.resolve("leech"), AddOptions.defaults());
            h.checked().get(30, TimeUnit.SECONDS);
            h.setFilePriority(fileIndex(t, "b.bin"), 0);
            assertEquals(0, h.filePriority(fileIndex(t, "b.bin")));
            assertEquals(1, h.filePriority(fileIndex(t, "a.bin")));
            h.connect(seeder.listenAddress());
            h.completion().get(60, TimeUnit.SECONDS);
            long[] done = new long[t.files().size()];
            h.fileProgress(done);
            assertEquals(1024 * 1024 + 5, done[fileIndex(t, "a.bin")]);
            assertEquals(0, done[fileIndex(t, "b.bin")]);
        }
    }

    @Test
    void availabilityCountsTheConnectedSeederOnEveryPieceAndFetchedPiecesShowAsDownloading() throws Exception {
        Torrent t = torrent(List.of());
        try (EngineImpl seeder = TestEngines.create(LoopbackSwarmTest.settings(dir.resolve("s1")),
                TestStrategies.registry(), u -> null);
                EngineImpl leecher = TestEngines.create(LoopbackSwarmTest.settings(dir.resolve("s2")),
                        TestStrategies.registry(), u -> null)) {
            seeder.add(t, dir.resolve("seed"), AddOptions.defaults()).checked().get(30, TimeUnit.SECONDS);
            // slow enough (16 KiB/s) that the transfer is still under way while we look
            TorrentHandle h = leecher.add(t, dir.resolve("leech"), AddOptions.defaults().withLimits(16 * 1024, 0));
            h.checked().get(30, TimeUnit.SECONDS);
            h.connect(seeder.listenAddress());
            int[] availability = new int[t.pieceCount()];
            byte[] states = new byte[t.pieceCount()];
            Waits.await(() -> {
                h.pieces(states, availability);
                return Arrays.stream(availability).allMatch(a -> a == 1);
            }, "availability 1 on every piece: " + Arrays.toString(availability));
            Waits.await(() -> {
                h.pieces(states, availability);
                for (byte s : states) {
                    if (s == TorrentHandle.PIECE_DOWNLOADING) {
                        return true;
                    }
                }
                return false;
            }, "a piece being downloaded");
        }
    }

    @Test
    void arraysShorterThanThePieceCountAreRefused() throws Exception {
        Torrent t = torrent(List.of());
        try (EngineImpl engine = TestEngines.create(LoopbackSwarmTest.settings(dir.resolve("s1")),
                TestStrategies.registry(), u -> null)) {
            TorrentHandle h = engine.add(t, dir.resolve("seed"), AddOptions.defaults());
            h.checked().get(30, TimeUnit.SECONDS);
            assertThrows(IllegalArgumentException.class, () -> h.pieces(new byte[1], null));
            assertThrows(IllegalArgumentException.class, () -> h.pieces(null, new int[1]));
            assertThrows(IllegalArgumentException.class, () -> h.fileProgress(new long[0]));
        }
    }

    /** A tracker client that answers with fixed counts, or fails, as the test says. */
    private static final class FixedTracker implements TrackerClient {
        final URI url;
        final boolean fail;

        FixedTracker(URI url, boolean fail) {
            this.url = url;
            this.fail = fail;
        }

        @Override
        public AnnounceResponse announce(AnnounceRequest request) throws TrackerException {
            if (fail) {
                throw new TrackerException(url, "failure reason 'go away'");
            }
            return new AnnounceResponse(Duration.ofMinutes(10), null, List.of(), 3, 2, null, null);
        }

        @Override
        public ScrapeResponse scrape(List<byte[]> infoHashes) {
            return new ScrapeResponse(List.of(new ScrapeResponse.Entry(infoHashes.get(0), 3, 2, 7)));
        }

        @Override
        public boolean supportsScrape() {
            return true;
        }
    }

    private static Function<URI, TrackerClient> trackers(String failingHost) {
        return u -> new FixedTracker(u, u.getHost().equals(failingHost));
    }

    @Test
    void trackerThatAnsweredIsWorkingWithItsCountsAndScrapedDownloads() throws Exception {
        Torrent t = torrent(List.of("http://127.0.0.1:1/announce", "http://127.0.0.2:1/announce"));
        try (EngineImpl engine = TestEngines.create(LoopbackSwarmTest.settings(dir.resolve("s1")),
                TestStrategies.registry(), trackers("none"))) {
            TorrentHandle h = engine.add(t, dir.resolve("seed"), AddOptions.defaults());
            Waits.await(() -> h.trackers().get(0).downloaded() == 7, "the scrape: " + h.trackers());
            TrackerStatus first = h.trackers().get(0);
            assertEquals("http://127.0.0.1:1/announce", first.url());
            assertEquals(0, first.tier());
            assertEquals(TrackerStatus.State.WORKING, first.state());
            assertNull(first.lastError());
            assertEquals(3, first.seeds());
            assertEquals(2, first.leechers());
            assertTrue(first.nextAnnounceAt() > System.currentTimeMillis(), first::toString);
            TrackerStatus second = h.trackers().get(1);
            assertEquals(1, second.tier());
            assertEquals(TrackerStatus.State.NOT_CONTACTED, second.state(), "tier 1 is not needed");
        }
    }

    @Test
    void trackerThatFailedShowsItsError() throws Exception {
        Torrent t = torrent(List.of("http://127.0.0.3:1/announce"));
        try (EngineImpl engine = TestEngines.create(LoopbackSwarmTest.settings(dir.resolve("s1")),
                TestStrategies.registry(), trackers("127.0.0.3"))) {
            TorrentHandle h = engine.add(t, dir.resolve("seed"), AddOptions.defaults());
            Waits.await(() -> h.trackers().get(0).state() == TrackerStatus.State.FAILED, "the failure: " + h.trackers());
            assertTrue(h.trackers().get(0).lastError().contains("go away"), h.trackers()::toString);
        }
    }

    @Test
    void statsEventCarriesTheTorrentsBytesAndRatesOnceItRuns() throws Exception {
        Torrent t = torrent(List.of());
        ConcurrentLinkedQueue<Map<String, Object>> stats = new ConcurrentLinkedQueue<>();
        EventSink sink = (topic, props) -> {
            if (topic.equals(EngineEvents.TORRENT_STATS)) {
                stats.add(props);
            }
        };
        try (EngineImpl engine = TestEngines.create(LoopbackSwarmTest.settings(dir.resolve("s1")),
                TestStrategies.registry(), u -> null, sink)) {
            TorrentHandle h = engine.add(t, dir.resolve("seed"), AddOptions.defaults());
            h.checked().get(30, TimeUnit.SECONDS);
            Waits.await(() -> !stats.isEmpty(), "a stats event");
            Map<String, Object> e = stats.peek();
            assertEquals(h.infoHash(), e.get(EngineEvents.INFO_HASH));
            // a seeder: everything wanted is done (piece bytes, padding included, as in TorrentStatus)
            assertEquals(h.status().bytesWanted(), e.get(EngineEvents.BYTES_WANTED));
            assertEquals(h.status().bytesWanted(), e.get(EngineEvents.BYTES_DONE));
            assertTrue((Long) e.get(EngineEvents.BYTES_WANTED) >= t.totalLength());
            assertEquals(0L, e.get(EngineEvents.DOWNLOAD_RATE));
            assertEquals(0, e.get(EngineEvents.PEERS));
        }
    }

    /**
     * Stats events come only when something changed: a stopped torrent gets none, and an idle running torrent gets
     * one when it starts and none after while nothing moves (10,000 idle torrents must not post 10,000 events a
     * second).
     */
    @Test
    void noStatsEventForAStoppedTorrentNorForAnIdleOneOnceItsFirstIsPosted() throws Exception {
        Torrent t = torrent(List.of());
        ConcurrentLinkedQueue<Object> statsHashes = new ConcurrentLinkedQueue<>();
        ConcurrentLinkedQueue<String> topics = new ConcurrentLinkedQueue<>();
        EventSink sink = (topic, props) -> {
            topics.add(topic);
            if (topic.equals(EngineEvents.TORRENT_STATS)) {
                statsHashes.add(props.get(EngineEvents.INFO_HASH));
            }
        };
        try (EngineImpl engine = TestEngines.create(LoopbackSwarmTest.settings(dir.resolve("s1")),
                TestStrategies.registry(), u -> null, sink)) {
            TorrentHandle h = engine.add(t, dir.resolve("seed"), AddOptions.defaults());
            h.checked().get(30, TimeUnit.SECONDS);
            h.stop().get(30, TimeUnit.SECONDS);
            Waits.await(() -> topics.contains(EngineEvents.TORRENT_REMOVED), "removal");
            statsHashes.clear();
            // a second torrent's first stats event shows that the timer runs
            TorrentHandle other = engine.add(torrent2(), dir.resolve("seed2"), AddOptions.defaults());
            other.checked().get(30, TimeUnit.SECONDS);
            Waits.await(() -> statsHashes.contains(other.infoHash()), "the probe's first stats");
            Thread.sleep(2500); // timer seconds go by
            assertTrue(statsHashes.stream().noneMatch(h.infoHash()::equals), statsHashes::toString);
            assertEquals(1, statsHashes.stream().filter(other.infoHash()::equals).count(),
                    "an idle seed posts no stats while nothing changes: " + statsHashes);
        }
    }

    private Torrent torrent2() throws Exception {
        Path data = dir.resolve("seed2/other.bin");
        Interop.randomFile(data, 300_000, 3);
        return Torrent.parse(TorrentCreator.forSource(data).pieceLength(PIECE).creationDate(null).create());
    }
}
