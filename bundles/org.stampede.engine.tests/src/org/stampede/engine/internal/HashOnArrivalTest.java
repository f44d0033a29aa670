package org.stampede.engine.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.stampede.engine.AddOptions;
import org.stampede.engine.TorrentHandle;
import org.stampede.metainfo.Torrent;
import org.stampede.metainfo.TorrentCreator;

/**
 * A download verifies every piece from its blocks as they arrive: no piece is read back from disk whole (blocks
 * that the disk threads wrote out of order may be read back one by one).
 */
@Timeout(value = 120, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class HashOnArrivalTest {
    @TempDir
    Path dir;

    @ParameterizedTest
    @EnumSource(Torrent.Version.class)
    void everyDownloadedPieceIsHashedFromItsBlocksAsTheyArrive(Torrent.Version version) throws Exception {
        Path seedDir = dir.resolve("seed");
        Path data = seedDir.resolve("payload");
        Files.createDirectories(data);
        byte[] a = new byte[2 * 1024 * 1024 + 12_345];
        byte[] b = new byte[70_000];
        new Random(7).nextBytes(a);
        new Random(8).nextBytes(b);
        Files.write(data.resolve("a.bin"), a);
        Files.write(data.resolve("b.bin"), b);
        Torrent torrent = Torrent.parse(TorrentCreator.forSource(data).version(version).pieceLength(256 * 1024)
                .creationDate(null).create());
        try (EngineImpl seeder = TestEngines.create(LoopbackSwarmTest.settings(dir.resolve("s1")),
                TestStrategies.registry(), u -> null);
                EngineImpl leecher = TestEngines.create(LoopbackSwarmTest.settings(dir.resolve("s2")),
                        TestStrategies.registry(), u -> null)) {
            seeder.add(torrent, seedDir, AddOptions.defaults()).checked().get(30, TimeUnit.SECONDS);
            Path leechDir = dir.resolve("leech");
            TorrentHandle leech = leecher.add(torrent, leechDir, AddOptions.defaults());
            leech.checked().get(30, TimeUnit.SECONDS);
            leech.connect(seeder.listenAddress());
            leech.completion().get(90, TimeUnit.SECONDS);
            assertArrayEquals(Files.readAllBytes(data.resolve("a.bin")),
                    Files.readAllBytes(leechDir.resolve("payload/a.bin")));
            assertEquals(torrent.pieceCount(), ((ManagedTorrent) leech).storage.piecesHashedOnArrival(),
                    () -> "bytes read back to hash: " + ((ManagedTorrent) leech).storage.bytesReadForHashing());
        }
    }
}
