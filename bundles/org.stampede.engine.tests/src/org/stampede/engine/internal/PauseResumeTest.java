package org.stampede.engine.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.stampede.engine.AddOptions;
import org.stampede.engine.EngineEvents;
import org.stampede.engine.TorrentHandle;
import org.stampede.engine.TorrentStatus;
import org.stampede.metainfo.Torrent;
import org.stampede.metainfo.TorrentCreator;
import org.stampede.tracker.AnnounceRequest;
import org.stampede.tracker.AnnounceResponse;
import org.stampede.tracker.ScrapeResponse;
import org.stampede.tracker.TrackerClient;

/**
 * Pause and resume keep the torrent: connections close and nothing moves while paused, the verified pieces stay,
 * and resuming goes on from there without a recheck; pausing twice or resuming a running torrent changes nothing.
 */
@Timeout(value = 120, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class PauseResumeTest {
    @TempDir
    Path dir;

    private Torrent torrent(byte[] content) throws Exception {
        Path data = dir.resolve("seed/pause.bin");
        Files.createDirectories(data.getParent());
        Files.write(data, content);
        return Torrent.parse(TorrentCreator.forSource(data).version(Torrent.Version.V1).pieceLength(64 * 1024)
                .creationDate(null).create());
    }

    @Test
    void aPausedDownloadKeepsItsPiecesClosesItsConnectionsAndResumesWithoutARecheck() throws Exception {
        byte[] content = new byte[6 * 1024 * 1024];
        new Random(8).nextBytes(content);
        Torrent t = torrent(content);
        List<String> states = new CopyOnWriteArrayList<>();
        try (EngineImpl seeder = TestEngines.create(LoopbackSwarmTest.settings(dir.resolve("s1")),
                TestStrategies.registry(), u -> null);
                EngineImpl leecher = TestEngines.create(LoopbackSwarmTest.settings(dir.resolve("s2")),
                        TestStrategies.registry(), u -> null, (topic, props) -> {
                            if (topic.equals(EngineEvents.TORRENT_STATE)) {
                                states.add((String) props.get(EngineEvents.STATE));
                            }
                        })) {
            // 1 MB/s from the seeder: the download lasts about six seconds
            seeder.add(t, dir.resolve("seed"), AddOptions.defaults().withLimits(0, 1_000_000)).checked()
                    .get(30, TimeUnit.SECONDS);
            TorrentHandle h = leecher.add(t, dir.resolve("leech"), AddOptions.defaults());
            h.checked().get(30, TimeUnit.SECONDS);
            h.connect(seeder.listenAddress());
            Waits.await(() -> h.status().have() >= 10, "some pieces");

            assertTrue(h.pause(), "paused");
            assertTrue(h.isPaused());
            assertFalse(h.pause(), "pausing a paused torrent changes nothing");
            Waits.await(() -> h.peers().isEmpty() && seeder.torrents().get(0).peers().isEmpty(), "the connection closed");
            assertEquals(TorrentStatus.State.PAUSED, h.status().state());
            int have = h.status().have();
            long downloaded = h.status().downloaded();
            assertTrue(have >= 10 && have < t.pieceCount(), "pieces kept: " + have);
            Thread.sleep(1500);
            // a piece whose last block came just before the pause may still be written and verified after it
            assertEquals(downloaded, h.status().downloaded(), "nothing is transferred while paused");
            assertTrue(h.status().have() >= have && h.status().have() < t.pieceCount(), h.status()::toString);
            have = h.status().have();
            assertTrue(h.peers().isEmpty(), "no peer is connected while paused");
            assertEquals(1, leecher.torrents().size(), "the engine keeps the paused torrent");

            assertTrue(h.resume(), "resumed");
            assertFalse(h.resume(), "resuming a running torrent changes nothing");
            assertEquals(TorrentStatus.State.DOWNLOADING, h.status().state());
            assertTrue(h.status().have() >= have, "resumed from what it had");
            h.completion().get(60, TimeUnit.SECONDS);
            assertArrayEquals(content, Files.readAllBytes(dir.resolve("leech/pause.bin")));
            assertEquals(List.of("DOWNLOADING", "PAUSED", "DOWNLOADING"), states.subList(0, 3),
                    "no CHECKING after the resume: " + states);
            assertFalse(states.subList(1, states.size()).contains("CHECKING"), states::toString);
        }
    }

    @Test
    void aTorrentPausedWhileCheckingIsPausedOnceCheckedAndAPausedSeedTakesNoPeer() throws Exception {
        byte[] content = new byte[1024 * 1024];
        new Random(9).nextBytes(content);
        Torrent t = torrent(content);
        try (EngineImpl seeder = TestEngines.create(LoopbackSwarmTest.settings(dir.resolve("s1")),
                TestStrategies.registry(), u -> null);
                EngineImpl leecher = TestEngines.create(LoopbackSwarmTest.settings(dir.resolve("s2")),
                        TestStrategies.registry(), u -> null)) {
            TorrentHandle seed = seeder.add(t, dir.resolve("seed"), AddOptions.defaults());
            assertTrue(seed.pause(), "a pause while checking is taken");
            seed.checked().get(30, TimeUnit.SECONDS);
            assertEquals(TorrentStatus.State.PAUSED, seed.status().state());
            assertEquals(1.0, seed.status().progress(), "the check's result is kept");

            TorrentHandle h = leecher.add(t, dir.resolve("leech"), AddOptions.defaults());
            h.checked().get(30, TimeUnit.SECONDS);
            h.connect(seeder.listenAddress());
            Thread.sleep(1500);
            assertTrue(h.peers().isEmpty(), "a paused seed refuses the handshake: " + h.peers());
            assertEquals(0, h.status().have());

            assertTrue(seed.resume());
            assertEquals(TorrentStatus.State.SEEDING, seed.status().state());
            h.connect(seeder.listenAddress()); // tried at once, whatever its back-off
            h.completion().get(60, TimeUnit.SECONDS);
            assertArrayEquals(content, Files.readAllBytes(dir.resolve("leech/pause.bin")));
        }
    }

    /** Records the events announced to it. */
    private static final class RecordingTracker implements TrackerClient {
        final List<AnnounceRequest.Event> events = new CopyOnWriteArrayList<>();

        @Override
        public AnnounceResponse announce(AnnounceRequest request) {
            events.add(request.event());
            return new AnnounceResponse(Duration.ofMinutes(30), null, List.of(), 0, 0, null, null);
        }

        @Override
        public ScrapeResponse scrape(List<byte[]> infoHashes) {
            return new ScrapeResponse(List.of());
        }

        @Override
        public boolean supportsScrape() {
            return false;
        }

        long count(AnnounceRequest.Event e) {
            return events.stream().filter(x -> x == e).count();
        }
    }

    @Test
    void aTorrentWhoseLastWantedPieceCameBeforeAPauseAnnouncesCompletedOnceResumedAndNotAgain() throws Exception {
        Path set = dir.resolve("leech/set");
        Files.createDirectories(set);
        byte[] have = new byte[1024 * 1024];
        new Random(10).nextBytes(have);
        Files.write(set.resolve("a.bin"), have);
        Path seedSet = dir.resolve("seed/set");
        Files.createDirectories(seedSet);
        Files.write(seedSet.resolve("a.bin"), have);
        byte[] missing = new byte[512 * 1024];
        new Random(11).nextBytes(missing);
        Files.write(seedSet.resolve("b.bin"), missing);
        // hybrid: piece-aligned files, so skipping b.bin leaves nothing wanted that is missing
        Torrent t = Torrent.parse(TorrentCreator.forSource(seedSet).version(Torrent.Version.HYBRID)
                .pieceLength(64 * 1024).trackerTier(List.of("http://127.0.0.1:1/announce")).creationDate(null)
                .create());
        int b = t.files().get(0).path().get(0).equals("b.bin") ? 0 : 1;
        RecordingTracker tracker = new RecordingTracker();
        try (EngineImpl leecher = TestEngines.create(LoopbackSwarmTest.settings(dir.resolve("s2")),
                TestStrategies.registry(), u -> tracker)) {
            TorrentHandle h = leecher.add(t, dir.resolve("leech"), AddOptions.defaults());
            h.checked().get(30, TimeUnit.SECONDS);
            Waits.await(() -> tracker.count(AnnounceRequest.Event.STARTED) == 1, "started: " + tracker.events);
            assertTrue(h.pause());
            Waits.await(() -> tracker.count(AnnounceRequest.Event.STOPPED) == 1, "stopped: " + tracker.events);

            h.setFilePriority(b, 0); // everything wanted is here now: it finishes as it resumes
            Thread.sleep(500);
            assertEquals(0, tracker.count(AnnounceRequest.Event.COMPLETED), "nothing is announced while paused");

            assertTrue(h.resume());
            h.completion().get(30, TimeUnit.SECONDS);
            Waits.await(() -> tracker.count(AnnounceRequest.Event.COMPLETED) == 1, "completed: " + tracker.events);
            assertTrue(tracker.events.lastIndexOf(AnnounceRequest.Event.COMPLETED)
                    > tracker.events.lastIndexOf(AnnounceRequest.Event.STARTED), tracker.events::toString);

            assertTrue(h.pause());
            assertTrue(h.resume());
            Waits.await(() -> tracker.count(AnnounceRequest.Event.STARTED) == 3, "started again: " + tracker.events);
            Thread.sleep(500); // a second completed would be announced with the start
            assertEquals(1, tracker.count(AnnounceRequest.Event.COMPLETED), "told once: " + tracker.events);
        }
    }
}
