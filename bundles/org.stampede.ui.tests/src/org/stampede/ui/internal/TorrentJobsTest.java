package org.stampede.ui.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;
import java.util.concurrent.TimeUnit;

import org.eclipse.core.runtime.IStatus;
import org.eclipse.core.runtime.NullProgressMonitor;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.stampede.engine.EngineSettings;
import org.stampede.engine.TorrentStatus;
import org.stampede.metainfo.TorrentCreator;

/** The long work on a torrent, as jobs: checking reports one unit per verified piece; removing with data deletes it. */
@Timeout(value = 120, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class TorrentJobsTest {
    @TempDir
    Path dir;

    /** Counts the work a job reports. */
    private static final class Recording extends NullProgressMonitor {
        int total;
        int worked;

        @Override
        public void beginTask(String name, int totalWork) {
            total = totalWork;
        }

        @Override
        public void worked(int work) {
            worked += work;
        }
    }

    private ClientSession open() throws Exception {
        EngineSettings s = EngineSettings.defaults().withBind(InetAddress.getLoopbackAddress(), 0)
                .withStrategies("in-order", "unchoke-all", "unchoke-all");
        return new ClientSession(TestEngines.factory(e -> {
        }), s, dir.resolve("data"), dir.resolve("downloads"));
    }

    private Path complete(String name, int bytes) throws Exception {
        Path file = dir.resolve("downloads").resolve(name);
        Files.createDirectories(file.getParent());
        byte[] data = new byte[bytes];
        new Random(7).nextBytes(data);
        Files.write(file, data);
        Path torrent = dir.resolve(name + ".torrent");
        Files.write(torrent, TorrentCreator.forSource(file).pieceLength(16 * 1024).creationDate(null).create());
        return torrent;
    }

    @Test
    void theCheckJobReportsEveryVerifiedPieceAndEndsWithTheCheck() throws Exception {
        Path torrent = complete("whole.bin", 3 * 1024 * 1024 + 5);
        try (ClientSession s = open()) {
            ClientSession.Entry e = s.add(torrent, null);
            Recording monitor = new Recording();
            IStatus status = TorrentJobs.followCheck(s, e, monitor);
            assertTrue(status.isOK(), status.toString());
            assertTrue(e.handle().checked().isDone());
            int pieces = e.handle().status().pieces();
            assertEquals(193, pieces);
            // SubMonitor hands its parent its own scale: every piece reported means all of the parent's work done
            assertTrue(monitor.total > 0, "beginTask");
            assertEquals(monitor.total, monitor.worked, "work reported for each verified piece");
            assertEquals(TorrentStatus.State.SEEDING, e.handle().status().state());
        }
    }

    @Test
    void theRemoveJobDeletesTheDataAndReportsSuccess() throws Exception {
        Path torrent = complete("gone.bin", 100_000);
        try (ClientSession s = open()) {
            ClientSession.Entry e = s.add(torrent, null);
            e.handle().checked().get(30, TimeUnit.SECONDS);
            var job = TorrentJobs.remove(s, e, true);
            assertTrue(job.join(60_000, null), "the job ended");
            assertTrue(job.getResult().isOK(), job.getResult().toString());
            assertTrue(s.torrents().isEmpty());
            assertTrue(Files.notExists(dir.resolve("downloads/gone.bin")), "data deleted");
        }
    }
}
