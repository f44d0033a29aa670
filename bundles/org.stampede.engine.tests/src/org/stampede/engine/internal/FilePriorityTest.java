package org.stampede.engine.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.stampede.engine.AddOptions;
import org.stampede.engine.TorrentHandle;
import org.stampede.metainfo.Torrent;
import org.stampede.metainfo.TorrentCreator;

/** Skipping a file: its pieces are not fetched, the rest completes, and the skipped file is never created. */
@Timeout(value = 120, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class FilePriorityTest {
    @TempDir
    Path dir;

    @Test
    void skippedFileIsNotDownloadedAndTheRestCompletes() throws Exception {
        Path data = dir.resolve("seed/set");
        Files.createDirectories(data);
        byte[] keep = new byte[2 * 1024 * 1024];
        byte[] skip = new byte[3 * 1024 * 1024];
        new Random(3).nextBytes(keep);
        new Random(4).nextBytes(skip);
        Files.write(data.resolve("a-keep.bin"), keep);
        Files.write(data.resolve("b-skip.bin"), skip);
        // hybrid: files are piece-aligned, so the skipped file shares no piece with the wanted one
        Torrent torrent = Torrent.parse(TorrentCreator.forSource(data).version(Torrent.Version.HYBRID)
                .pieceLength(256 * 1024).creationDate(null).create());
        int skipIndex = -1;
        for (int i = 0; i < torrent.files().size(); i++) {
            if (torrent.files().get(i).path().get(0).equals("b-skip.bin")) {
                skipIndex = i;
            }
        }
        try (EngineImpl seeder = TestEngines.create(LoopbackSwarmTest.settings(dir.resolve("s1")),
                TestStrategies.registry(), u -> null);
                EngineImpl leecher = TestEngines.create(LoopbackSwarmTest.settings(dir.resolve("s2")),
                        TestStrategies.registry(), u -> null)) {
            seeder.add(torrent, dir.resolve("seed"), AddOptions.defaults()).checked().get(30, TimeUnit.SECONDS);
            TorrentHandle h = leecher.add(torrent, dir.resolve("leech"), AddOptions.defaults());
            h.checked().get(30, TimeUnit.SECONDS);
            assertThrows(IllegalArgumentException.class, () -> h.setFilePriority(99, 0));
            h.setFilePriority(skipIndex, 0);
            assertEquals(8, h.status().wanted(), h.status()::toString); // 2 MiB of 256 KiB pieces
            h.connect(seeder.listenAddress());
            h.completion().get(60, TimeUnit.SECONDS);
            assertArrayEquals(keep, Files.readAllBytes(dir.resolve("leech/set/a-keep.bin")));
            assertFalse(Files.exists(dir.resolve("leech/set/b-skip.bin")), "a skipped file is never created");
            assertTrue(h.status().downloaded() < keep.length + 256 * 1024, h.status()::toString);
        }
    }
}
