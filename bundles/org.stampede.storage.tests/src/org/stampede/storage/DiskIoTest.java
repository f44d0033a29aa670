package org.stampede.storage;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.stampede.metainfo.Torrent;

/** Where and in which order the disk threads run operations, and how they stop. */
class DiskIoTest {
    private static final Runnable NOTHING = () -> {
    };

    @TempDir
    Path work;

    /**
     * All blocks of many pieces submitted at once, without waiting for any: on several disk threads each piece's
     * blocks are still written in order, so every piece is hashed as it arrives and nothing is read back.
     */
    @ParameterizedTest
    @EnumSource(value = Torrent.Version.class, names = {"V1", "HYBRID"}) // v2 leaves are hashed in any order
    void blocksOfManyPiecesSubmittedAtOnceAreHashedOnArrivalWithoutReadingBack(Torrent.Version v) throws Exception {
        int pieceLength = 8 * Fixtures.BLOCK;
        Path source = work.resolve("src");
        Fixtures.randomFile(source.resolve("set/a.bin"), 32L * pieceLength, 21); // 32 pieces: a cursor each
        Torrent t = Fixtures.torrent(source.resolve("set"), v, pieceLength);
        DiskIo io = new DiskIo(4, 4096, 16);
        try (FileStorage s = FileStorage.open(t, work.resolve("dl"), io)) {
            List<CompletableFuture<Void>> writes = new ArrayList<>();
            for (int p = 0; p < t.pieceCount(); p++) {
                byte[] data = Fixtures.piece(t, source, p);
                for (int off = 0; off < data.length; off += Fixtures.BLOCK) {
                    int len = Math.min(Fixtures.BLOCK, data.length - off);
                    writes.add(s.writeBlock(p, off, ByteBuffer.wrap(data, off, len)));
                }
            }
            for (CompletableFuture<Void> w : writes) {
                Fixtures.await(w);
            }
            for (int p = 0; p < t.pieceCount(); p++) {
                assertTrue(Fixtures.await(s.verifyPiece(p)), "piece " + p);
            }
            assertEquals(0, s.bytesReadForHashing(), "bytes read back to hash");
            assertEquals(t.pieceCount(), s.piecesHashedOnArrival());
        } finally {
            io.close();
        }
    }

    @Test
    void operationsWithOneKeyRunInSubmissionOrderOnOneThread() throws Exception {
        int keys = 8;
        int perKey = 250;
        DiskIo io = new DiskIo(4, keys * perKey, 1);
        try {
            List<List<Integer>> seen = new ArrayList<>();
            List<Set<Thread>> threads = new ArrayList<>();
            for (int k = 0; k < keys; k++) {
                seen.add(new ArrayList<>());
                threads.add(ConcurrentHashMap.newKeySet());
            }
            List<CompletableFuture<Object>> ops = new ArrayList<>();
            for (int i = 0; i < perKey; i++) {
                for (int k = 0; k < keys; k++) {
                    int key = k;
                    int n = i;
                    ops.add(io.submit(key, () -> {
                        threads.get(key).add(Thread.currentThread());
                        synchronized (seen.get(key)) {
                            seen.get(key).add(n);
                        }
                        return null;
                    }, NOTHING));
                }
            }
            for (CompletableFuture<Object> op : ops) {
                Fixtures.await(op);
            }
            for (int k = 0; k < keys; k++) {
                assertEquals(1, threads.get(k).size(), "threads that ran key " + k);
                List<Integer> order = seen.get(k);
                for (int i = 0; i < perKey; i++) {
                    assertEquals(i, order.get(i), "operation " + i + " of key " + k);
                }
            }
        } finally {
            io.close();
        }
    }

    @Test
    void operationWithoutKeyRunsWhileTheThreadOfAKeyIsBusy() throws Exception {
        DiskIo io = new DiskIo(2, 16, 1);
        List<CountDownLatch> releases = new ArrayList<>();
        try {
            for (int key = 0; key < 2; key++) { // each thread in turn is the busy one
                CountDownLatch entered = new CountDownLatch(1);
                CountDownLatch release = new CountDownLatch(1);
                releases.add(release);
                CompletableFuture<Object> busy = io.submit(key, () -> {
                    entered.countDown();
                    return release.await(Fixtures.TIMEOUT_SECONDS, TimeUnit.SECONDS);
                }, NOTHING);
                assertTrue(entered.await(Fixtures.TIMEOUT_SECONDS, TimeUnit.SECONDS));
                assertEquals("free", Fixtures.await(io.submit(DiskIo.ANY, () -> "free", NOTHING)));
                release.countDown();
                assertEquals(true, Fixtures.await(busy));
            }
        } finally {
            releases.forEach(CountDownLatch::countDown);
            io.close();
        }
    }

    @Test
    void closeRunsTheQueuedOperationsBeforeTheThreadsEnd() throws Exception {
        DiskIo io = new DiskIo(1, 1 << 20, 1);
        CountDownLatch entered = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        Thread closer = new Thread(io::close, "closer");
        try {
            io.submit(0, () -> {
                entered.countDown();
                return release.await(Fixtures.TIMEOUT_SECONDS, TimeUnit.SECONDS);
            }, NOTHING);
            assertTrue(entered.await(Fixtures.TIMEOUT_SECONDS, TimeUnit.SECONDS));
            AtomicInteger ran = new AtomicInteger();
            List<CompletableFuture<Integer>> queued = new ArrayList<>();
            for (int i = 0; i < 10; i++) {
                queued.add(io.submit(i % 2 == 0 ? i : DiskIo.ANY, ran::incrementAndGet, NOTHING));
            }
            closer.start();
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(Fixtures.TIMEOUT_SECONDS);
            for (;;) { // probe until close() has begun: from then on submissions are refused
                CompletableFuture<Integer> probe = io.submit(DiskIo.ANY, ran::incrementAndGet, NOTHING);
                if (probe.isCompletedExceptionally()) {
                    assertTrue(Fixtures.failure(probe).getMessage().contains("shut down"));
                    break;
                }
                queued.add(probe); // accepted before close() began: queued work like the others
                assertTrue(System.nanoTime() < deadline, "close() did not begin");
                Thread.sleep(5);
            }
            release.countDown();
            for (CompletableFuture<Integer> q : queued) {
                Fixtures.await(q);
            }
            closer.join(TimeUnit.SECONDS.toMillis(Fixtures.TIMEOUT_SECONDS));
            assertEquals(queued.size(), ran.get());
        } finally {
            release.countDown();
            closer.join(TimeUnit.SECONDS.toMillis(Fixtures.TIMEOUT_SECONDS));
        }
    }

    @Test
    void afterCloseOperationsFailWithStorageExceptionAndTheirAfterRunsOnce() throws Exception {
        DiskIo io = new DiskIo(2, 16, 1);
        io.close();
        AtomicInteger after = new AtomicInteger();
        Throwable e = Fixtures.failure(io.submit(0, () -> "never", after::incrementAndGet));
        assertInstanceOf(StorageException.class, e);
        assertTrue(e.getMessage().contains("shut down"), e.getMessage());
        assertEquals(1, after.get());
        assertEquals(0, io.pending());
        assertThrows(StorageException.class, () -> io.execute(NOTHING));
    }
}
