package org.stampede.engine.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.stampede.engine.AddOptions;
import org.stampede.engine.TorrentHandle;
import org.stampede.engine.TorrentStatus;
import org.stampede.metainfo.Torrent;
import org.stampede.metainfo.TorrentCreator;

/**
 * The queue (libtorrent's auto-managed torrents): at most N downloading and M seeding at once, in the order they
 * were added; the others wait in state QUEUED without connections and start by themselves as slots free up. A user's
 * pause frees a slot.
 */
@Timeout(value = 120, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class QueueTest {
    @TempDir
    Path dir;

    private Torrent torrent(String name, int size, long seed) throws Exception {
        Path data = dir.resolve("seed/" + name);
        Files.createDirectories(data.getParent());
        byte[] content = new byte[size];
        new Random(seed).nextBytes(content);
        Files.write(data, content);
        return Torrent.parse(TorrentCreator.forSource(data).version(Torrent.Version.V1).pieceLength(64 * 1024)
                .creationDate(null).create());
    }

    private static TorrentStatus.State state(TorrentHandle h) {
        return h.status().state();
    }

    @Test
    void downloadsBeyondTheLimitWaitQueuedWithoutPeersAndStartInOrderAsSlotsFreeUp() throws Exception {
        List<Torrent> torrents = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            torrents.add(torrent("q" + i + ".bin", 2 * 1024 * 1024, 20 + i));
        }
        try (EngineImpl seeder = TestEngines.create(LoopbackSwarmTest.settings(dir.resolve("s1")).withQueue(-1, -1),
                TestStrategies.registry(), u -> null);
                EngineImpl leecher = TestEngines.create(LoopbackSwarmTest.settings(dir.resolve("s2"))
                        .withQueue(1, -1), TestStrategies.registry(), u -> null)) {
            for (Torrent t : torrents) { // 1 MB/s each: a download lasts about two seconds
                seeder.add(t, dir.resolve("seed"), AddOptions.defaults().withLimits(0, 1_000_000)).checked()
                        .get(30, TimeUnit.SECONDS);
            }
            List<TorrentHandle> hs = new ArrayList<>();
            for (Torrent t : torrents) {
                TorrentHandle h = leecher.add(t, dir.resolve("leech"), AddOptions.defaults());
                h.checked().get(30, TimeUnit.SECONDS);
                h.connect(seeder.listenAddress());
                hs.add(h);
            }
            assertEquals(TorrentStatus.State.DOWNLOADING, state(hs.get(0)), "the first takes the one slot");
            assertEquals(TorrentStatus.State.QUEUED, state(hs.get(1)));
            assertEquals(TorrentStatus.State.QUEUED, state(hs.get(2)));
            Thread.sleep(2500); // the timer's connect rounds go by
            assertTrue(hs.get(1).peers().isEmpty() && hs.get(2).peers().isEmpty(), "queued torrents connect nobody");
            PeerList.Candidate waiting = ((ManagedTorrent) hs.get(2)).peerList.get(seeder.listenAddress());
            assertTrue(waiting != null && waiting.failures == 0 && !waiting.connecting,
                    "a queued torrent does not even dial its candidates");
            assertEquals(0, hs.get(2).status().have(), "nor download");
            assertFalse(hs.get(1).isPaused(), "queued is not paused by the user");

            hs.get(0).completion().get(60, TimeUnit.SECONDS);
            Waits.await(() -> state(hs.get(1)) == TorrentStatus.State.DOWNLOADING, "the second starts");
            assertEquals(TorrentStatus.State.QUEUED, state(hs.get(2)), "the third waits its turn");
            hs.get(1).completion().get(60, TimeUnit.SECONDS);
            hs.get(2).completion().get(60, TimeUnit.SECONDS);
            for (int i = 0; i < 3; i++) {
                assertArrayEquals(Files.readAllBytes(dir.resolve("seed/q" + i + ".bin")),
                        Files.readAllBytes(dir.resolve("leech/q" + i + ".bin")));
                assertEquals(TorrentStatus.State.SEEDING, state(hs.get(i)), "seeds are not limited here");
            }
        }
    }

    @Test
    void seedsBeyondTheLimitWaitAndAUsersPauseGivesTheSlotToTheNextOne() throws Exception {
        Torrent a = torrent("a.bin", 200_000, 31);
        Torrent b = torrent("b.bin", 200_000, 32);
        try (EngineImpl engine = TestEngines.create(LoopbackSwarmTest.settings(dir.resolve("s1")).withQueue(-1, 1),
                TestStrategies.registry(), u -> null)) {
            TorrentHandle ha = engine.add(a, dir.resolve("seed"), AddOptions.defaults());
            ha.checked().get(30, TimeUnit.SECONDS);
            TorrentHandle hb = engine.add(b, dir.resolve("seed"), AddOptions.defaults());
            hb.checked().get(30, TimeUnit.SECONDS);
            assertEquals(TorrentStatus.State.SEEDING, state(ha));
            assertEquals(TorrentStatus.State.QUEUED, state(hb));
            assertEquals(1.0, hb.status().progress(), "a queued seed still has all it has");

            assertTrue(ha.pause());
            Waits.await(() -> state(hb) == TorrentStatus.State.SEEDING, "the queued seed takes the freed slot");
            assertEquals(TorrentStatus.State.PAUSED, state(ha));
            assertTrue(ha.resume());
            assertEquals(TorrentStatus.State.QUEUED, state(ha), "resumed, it waits for a slot");
            assertFalse(ha.isPaused());
            assertTrue(hb.pause());
            Waits.await(() -> state(ha) == TorrentStatus.State.SEEDING, "and gets one when the other pauses");
        }
    }
}
