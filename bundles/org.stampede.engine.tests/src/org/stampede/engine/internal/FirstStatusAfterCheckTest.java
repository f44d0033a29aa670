package org.stampede.engine.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
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
 * The first status after the check of a partly present download says what was verified (8 of 35 pieces: 22.86 %),
 * never the check's own progress (1.0, or 0.0 when resume data spared the hashing) under the new state, and never the
 * "nothing wanted" 100 % of a status taken while the torrent's lock is busy.
 */
@Timeout(value = 120, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class FirstStatusAfterCheckTest {
    private static final int PIECE = 16 * 1024;
    private static final int PIECES = 35;
    private static final int PRESENT = 8; // 22.86 %

    @TempDir
    Path dir;

    /** A torrent of one file and a leecher folder holding its first {@link #PRESENT} pieces. */
    private Torrent partlyPresent() throws Exception {
        byte[] bytes = new byte[PIECES * PIECE];
        new Random(7).nextBytes(bytes);
        Path source = dir.resolve("source/f.bin");
        Files.createDirectories(source.getParent());
        Files.write(source, bytes);
        Torrent torrent = Torrent.parse(TorrentCreator.forSource(source).pieceLength(PIECE).creationDate(null)
                .create());
        byte[] part = bytes.clone();
        Arrays.fill(part, PRESENT * PIECE, part.length, (byte) 0);
        Files.createDirectories(dir.resolve("leech"));
        Files.write(dir.resolve("leech/f.bin"), part);
        return torrent;
    }

    private static void assertVerifiedFraction(TorrentStatus s) {
        assertEquals(TorrentStatus.State.DOWNLOADING, s.state(), s::toString);
        assertEquals(PRESENT, s.have(), s::toString);
        assertEquals((long) PRESENT * PIECE, s.bytesDone(), s::toString);
        assertEquals((double) PRESENT / PIECES, s.progress(), 1e-9, s::toString);
    }

    /**
     * A status asked for while the check's result is being applied: it read the state "checking" before the result
     * came in and its snapshot after. Forced in this order: the check's result waits for the queue's lock, which the
     * test holds, then for the torrent's lock, which the test holds next, while the status call waits behind it.
     */
    @Test
    void statusAskedWhileTheCheckEndsShowsTheVerifiedFraction() throws Exception {
        Torrent torrent = partlyPresent();
        ExecutorService other = Executors.newFixedThreadPool(2);
        try (EngineImpl engine = TestEngines.create(LoopbackSwarmTest.settings(dir.resolve("state")),
                TestStrategies.registry(), u -> null)) {
            ManagedTorrent h;
            TorrentSession session;
            synchronized (engine.queueLock) { // the check's result cannot be applied yet
                h = (ManagedTorrent) other.submit(() -> engine.add(torrent, dir.resolve("leech"), AddOptions.defaults()))
                        .get(30, TimeUnit.SECONDS);
                session = h.session;
                Waits.await(() -> h.checkProgress() == 1.0, "the check to hash everything");
                session.lock.lock();
            }
            Future<TorrentStatus> asked;
            try {
                Waits.await(() -> session.lock.getQueueLength() == 1, "the check's result to wait for the lock");
                assertEquals(TorrentStatus.State.CHECKING, session.status);
                asked = other.submit(h::status);
                Waits.await(() -> session.lock.getQueueLength() == 2, "the status call to wait for the lock");
            } finally {
                session.lock.unlock(); // the check's result is first in line, the status call next
            }
            assertVerifiedFraction(asked.get(30, TimeUnit.SECONDS));
            h.checked().get(30, TimeUnit.SECONDS);
            assertVerifiedFraction(h.status());
        } finally {
            other.shutdownNow();
        }
    }

    /**
     * A status that cannot get the torrent's lock in time (the engine's timer never waits; callers of the API wait a
     * second) is the last one computed: after the check, that is the checked state, not an empty one.
     */
    @Test
    void statusWhileTheLockIsBusyAfterTheCheckShowsTheVerifiedFraction() throws Exception {
        Torrent torrent = partlyPresent();
        try (EngineImpl engine = TestEngines.create(LoopbackSwarmTest.settings(dir.resolve("state")),
                TestStrategies.registry(), u -> null)) {
            ManagedTorrent h = (ManagedTorrent) engine.add(torrent, dir.resolve("leech"), AddOptions.defaults());
            h.checked().get(30, TimeUnit.SECONDS);
            TorrentSession session = h.session;
            session.lock.lock();
            try {
                TorrentStatus s = CompletableFuture.supplyAsync(() -> session.status(0)).get(30, TimeUnit.SECONDS);
                assertTrue(session.lock.isHeldByCurrentThread());
                assertVerifiedFraction(s);
            } finally {
                session.lock.unlock();
            }
        }
    }
}
