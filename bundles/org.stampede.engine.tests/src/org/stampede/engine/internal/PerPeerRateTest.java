package org.stampede.engine.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.stampede.api.Choker;
import org.stampede.api.ChokerFactory;
import org.stampede.api.StrategyKind;
import org.stampede.engine.AddOptions;
import org.stampede.engine.TorrentHandle;
import org.stampede.metainfo.Torrent;
import org.stampede.metainfo.TorrentCreator;

/**
 * A choker that gives an unchoked peer an upload rate of its own ({@code ChokeDecision.unchoke(peer, rate)}) is
 * obeyed: the seeder sends that peer no faster, though neither the torrent nor the session has a limit. Only an
 * upper bound on the rate is asserted (a slow machine cannot break it), with the bucket's one second of burst.
 */
@Timeout(value = 120, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class PerPeerRateTest {
    private static final long RATE = 400_000;

    @TempDir
    Path dir;

    @Test
    void aPeerGivenItsOwnUploadRateIsSentNoFasterThanThat() throws Exception {
        byte[] content = new byte[2 * 1024 * 1024];
        new Random(41).nextBytes(content);
        Path data = dir.resolve("seed/rated.bin");
        Files.createDirectories(data.getParent());
        Files.write(data, content);
        Torrent t = Torrent.parse(TorrentCreator.forSource(data).version(Torrent.Version.V1).pieceLength(64 * 1024)
                .creationDate(null).create());
        StrategyRegistry seedStrategies = TestStrategies.registry();
        ChokerFactory rated = x -> new Choker() {
            @Override
            public long rechokeIntervalMillis() {
                return 1000;
            }

            @Override
            public void rechoke(org.stampede.api.TorrentView torrent,
                    java.util.List<? extends org.stampede.api.PeerView> peers,
                    org.stampede.api.ChokeDecision decision) {
                peers.forEach(p -> decision.unchoke(p, RATE));
            }
        };
        seedStrategies.add(new StrategyRegistry.Entry(StrategyKind.SEED_CHOKER, "rated", rated, "test", "0", "test"));
        try (EngineImpl seeder = TestEngines.create(LoopbackSwarmTest.settings(dir.resolve("s1")), seedStrategies,
                u -> null);
                EngineImpl leecher = TestEngines.create(LoopbackSwarmTest.settings(dir.resolve("s2")),
                        TestStrategies.registry(), u -> null)) {
            AddOptions d = AddOptions.defaults();
            seeder.add(t, dir.resolve("seed"), new AddOptions(d.picker(), d.choker(), "rated", 0, 0, true)).checked()
                    .get(30, TimeUnit.SECONDS);
            TorrentHandle h = leecher.add(t, dir.resolve("leech"), AddOptions.defaults());
            h.checked().get(30, TimeUnit.SECONDS);
            long start = System.nanoTime();
            h.connect(seeder.listenAddress());
            h.completion().get(90, TimeUnit.SECONDS);
            double seconds = (System.nanoTime() - start) / 1e9;
            double average = content.length / seconds;
            assertTrue(average <= 1.5 * RATE, "sent at " + (long) average + " B/s, over the peer's " + RATE);
            assertArrayEquals(content, Files.readAllBytes(dir.resolve("leech/rated.bin")));
        }
    }
}
