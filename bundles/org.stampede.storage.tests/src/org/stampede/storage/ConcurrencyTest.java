package org.stampede.storage;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.stampede.metainfo.Torrent;

/** Many writers at once, across many files and a small open-file cache. */
class ConcurrencyTest {

    @TempDir
    Path work;

    @ParameterizedTest
    @EnumSource(Torrent.Version.class)
    void fourThreadsWritingEveryBlockInRandomOrderLeaveEveryPieceVerified(Torrent.Version version) throws Exception {
        Path source = work.resolve("src");
        Random sizes = new Random(42);
        long total = 0;
        for (int i = 0; total < 4 << 20; i++) {
            long len = i % 5 == 0 ? 1 + sizes.nextInt(3000) : 20_000 + sizes.nextInt(400_000);
            len = Math.min(len, (4 << 20) - total);
            Fixtures.randomFile(source.resolve("many").resolve(String.format("f%03d.bin", i)), len, i);
            total += len;
        }
        Torrent t = Fixtures.torrent(source.resolve("many"), version, 64 * 1024);
        record Block(int piece, int offset, byte[] data) {
        }
        List<Block> blocks = new ArrayList<>();
        for (int p = 0; p < t.pieceCount(); p++) {
            byte[] piece = Fixtures.piece(t, source, p);
            for (int off = 0; off < piece.length; off += Fixtures.BLOCK) {
                blocks.add(new Block(p, off,
                        java.util.Arrays.copyOfRange(piece, off, Math.min(piece.length, off + Fixtures.BLOCK))));
            }
        }
        Collections.shuffle(blocks, new Random(7));

        DiskIo io = new DiskIo(2, 1024, 8); // fewer open files than files: the cache evicts all the time
        ExecutorService writers = Executors.newFixedThreadPool(4);
        try (FileStorage s = FileStorage.open(t, work.resolve("dl"), io)) {
            AtomicInteger next = new AtomicInteger();
            List<CompletableFuture<Void>> writes = Collections.synchronizedList(new ArrayList<>());
            List<Future<?>> threads = new ArrayList<>();
            for (int w = 0; w < 4; w++) {
                threads.add(writers.submit(() -> {
                    for (int i = next.getAndIncrement(); i < blocks.size(); i = next.getAndIncrement()) {
                        Block b = blocks.get(i);
                        writes.add(s.writeBlock(b.piece, b.offset, ByteBuffer.wrap(b.data)));
                    }
                }));
            }
            for (Future<?> f : threads) {
                f.get(Fixtures.TIMEOUT_SECONDS, TimeUnit.SECONDS);
            }
            assertEquals(blocks.size(), writes.size());
            for (CompletableFuture<Void> w : writes) {
                Fixtures.await(w);
            }
            List<CompletableFuture<Boolean>> verifies = new ArrayList<>();
            for (int p = 0; p < t.pieceCount(); p++) {
                verifies.add(s.verifyPiece(p));
            }
            for (int p = 0; p < t.pieceCount(); p++) {
                assertTrue(Fixtures.await(verifies.get(p)), "piece " + p);
            }
            assertTrue(io.files.openCount() <= 8, "at most 8 files open: " + io.files.openCount());
        } finally {
            writers.shutdownNow();
            io.close();
        }
    }
}
