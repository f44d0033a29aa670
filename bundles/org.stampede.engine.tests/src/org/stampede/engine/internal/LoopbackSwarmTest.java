package org.stampede.engine.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.Random;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.stampede.engine.AddOptions;
import org.stampede.engine.EngineSettings;
import org.stampede.engine.TorrentHandle;
import org.stampede.engine.TorrentStatus;
import org.stampede.metainfo.Torrent;
import org.stampede.metainfo.TorrentCreator;

/** Two engines on loopback: one seeds, the other downloads everything and the data matches. */
@Timeout(value = 120, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class LoopbackSwarmTest {
    @TempDir
    Path dir;

    static EngineSettings settings(Path state) {
        return EngineSettings.defaults().withBind(InetAddress.getLoopbackAddress(), 0)
                .withStrategies("in-order", "unchoke-all", "unchoke-all").withStateDir(state);
    }

    static byte[] sha256(Path file) throws Exception {
        return MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(file));
    }

    private Torrent makeTorrent(Path data, Torrent.Version version, long pieceLength) throws Exception {
        return Torrent.parse(TorrentCreator.forSource(data).version(version).pieceLength(pieceLength)
                .creationDate(null).create());
    }

    private void transfers(Torrent.Version version) throws Exception {
        Path seedDir = dir.resolve("seed");
        Path data = seedDir.resolve("payload");
        Files.createDirectories(data.resolve("sub"));
        byte[] a = new byte[3 * 1024 * 1024 + 777];
        byte[] b = new byte[100_000];
        new Random(1).nextBytes(a);
        new Random(2).nextBytes(b);
        Files.write(data.resolve("a.bin"), a);
        Files.write(data.resolve("sub/b.bin"), b);
        Torrent torrent = makeTorrent(data, version, 256 * 1024);
        try (EngineImpl seeder = TestEngines.create(settings(dir.resolve("s1")), TestStrategies.registry(), u -> null);
                EngineImpl leecher = TestEngines.create(settings(dir.resolve("s2")), TestStrategies.registry(),
                        u -> null)) {
            TorrentHandle seed = seeder.add(torrent, seedDir, AddOptions.defaults());
            seed.checked().get(30, TimeUnit.SECONDS);
            assertEquals(TorrentStatus.State.SEEDING, seed.status().state(), seed.status()::toString);
            Path leechDir = dir.resolve("leech");
            TorrentHandle leech = leecher.add(torrent, leechDir, AddOptions.defaults());
            leech.checked().get(30, TimeUnit.SECONDS);
            leech.connect(seeder.listenAddress());
            leech.completion().get(90, TimeUnit.SECONDS);
            assertTrue(leech.status().progress() == 1.0, leech.status()::toString);
            assertArrayEquals(sha256(data.resolve("a.bin")), sha256(leechDir.resolve("payload/a.bin")));
            assertArrayEquals(sha256(data.resolve("sub/b.bin")), sha256(leechDir.resolve("payload/sub/b.bin")));
            assertTrue(leech.decisions().getOrDefault("picker/in-order", 0L) > 0, leech.decisions()::toString);
        }
    }

    @Test
    void v1TorrentTransfersBetweenTwoEngines() throws Exception {
        transfers(Torrent.Version.V1);
    }

    @Test
    void v2TorrentTransfersBetweenTwoEngines() throws Exception {
        transfers(Torrent.Version.V2);
    }

    @Test
    void hybridTorrentTransfersBetweenTwoEngines() throws Exception {
        transfers(Torrent.Version.HYBRID);
    }
}
