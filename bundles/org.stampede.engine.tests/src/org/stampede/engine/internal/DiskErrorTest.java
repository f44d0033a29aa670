package org.stampede.engine.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
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
import org.stampede.engine.TorrentStatus;
import org.stampede.metainfo.Torrent;
import org.stampede.metainfo.TorrentCreator;

/**
 * A write that fails for good (here a directory stands where a file must go; a full disk or a refused permission
 * alike) stops the torrent with the reason instead of downloading the same pieces again and again: no connection,
 * no byte moves until the user resumes it, and once the cause is gone the resume finishes the download with the
 * pieces verified before the failure kept.
 */
@Timeout(value = 120, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class DiskErrorTest {
    @TempDir
    Path dir;

    @Test
    void aWriteThatCannotSucceedStopsTheTorrentWithItsReasonAndAResumeFinishesOnceTheCauseIsGone() throws Exception {
        Path seedSet = dir.resolve("seed/set");
        Files.createDirectories(seedSet);
        byte[] a = new byte[1024 * 1024];
        byte[] b = new byte[1024 * 1024];
        new Random(21).nextBytes(a);
        new Random(22).nextBytes(b);
        Files.write(seedSet.resolve("a.bin"), a);
        Files.write(seedSet.resolve("b.bin"), b);
        Torrent t = Torrent.parse(TorrentCreator.forSource(seedSet).version(Torrent.Version.V1)
                .pieceLength(64 * 1024).creationDate(null).create());
        Path blocker = dir.resolve("leech/set/b.bin");
        Files.createDirectories(blocker);
        Files.write(blocker.resolve("in the way"), new byte[1]);
        try (EngineImpl seeder = TestEngines.create(LoopbackSwarmTest.settings(dir.resolve("s1")),
                TestStrategies.registry(), u -> null);
                EngineImpl leecher = TestEngines.create(LoopbackSwarmTest.settings(dir.resolve("s2")),
                        TestStrategies.registry(), u -> null)) {
            seeder.add(t, dir.resolve("seed"), AddOptions.defaults()).checked().get(30, TimeUnit.SECONDS);
            TorrentHandle h = leecher.add(t, dir.resolve("leech"), AddOptions.defaults());
            h.checked().get(30, TimeUnit.SECONDS);
            h.connect(seeder.listenAddress());

            Waits.await(() -> h.status().state() == TorrentStatus.State.ERROR, "the torrent stops: " + h.status());
            String error = h.status().error();
            assertTrue(error != null && error.contains("b.bin"), "the reason names the file: " + error);
            Waits.await(() -> h.peers().isEmpty(), "its connections close");
            long downloaded = h.status().downloaded();
            int have = h.status().have();
            Thread.sleep(1500);
            assertEquals(downloaded, h.status().downloaded(), "nothing is downloaded again while stopped");
            assertEquals(TorrentStatus.State.ERROR, h.status().state(), "it stays stopped: " + h.status());
            assertTrue(h.peers().isEmpty(), "no peer is connected again: " + h.peers());

            Files.delete(blocker.resolve("in the way"));
            Files.delete(blocker);
            assertTrue(h.resume(), "resuming an errored torrent retries");
            assertNull(h.status().error(), "the resume clears the error");
            h.connect(seeder.listenAddress());
            h.completion().get(60, TimeUnit.SECONDS);
            assertTrue(h.status().have() >= have, "the verified pieces were kept");
            assertArrayEquals(a, Files.readAllBytes(dir.resolve("leech/set/a.bin")));
            assertArrayEquals(b, Files.readAllBytes(dir.resolve("leech/set/b.bin")));
        }
    }
}
