package org.stampede.storage;

import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import org.stampede.metainfo.Torrent;

/**
 * A benchmark, not a test: how fast storage takes a download. Writes every 16 KiB block of one file in piece order
 * with at most {@code WINDOW} writes outstanding (as peer connections would), verifies each piece as soon as its
 * blocks are written, and reports MiB/s for that (page cache), for the final flush to disk, and for a full check
 * of the written data.
 * <p>
 * Usage: {@code java -Xmx1g -cp <classes> org.stampede.storage.StorageBenchmark [MiB] [pieceLength] [v1|v2|hybrid]
 * [dir] [runs]}; defaults 256, 262144, v1, /tmp/stampede-storage-bench, 3.
 */
public final class StorageBenchmark {
    private static final int WINDOW = 256;

    private StorageBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        long mib = args.length > 0 ? Long.parseLong(args[0]) : 256;
        long pieceLength = args.length > 1 ? Long.parseLong(args[1]) : 256 * 1024;
        Torrent.Version version = Torrent.Version.valueOf(
                (args.length > 2 ? args[2] : "v1").toUpperCase(Locale.ROOT));
        Path dir = Path.of(args.length > 3 ? args[3] : "/tmp/stampede-storage-bench");
        int runs = args.length > 4 ? Integer.parseInt(args[4]) : 3;

        Path src = dir.resolve("src");
        Path file = src.resolve("data.bin");
        long size = mib << 20;
        if (!Files.exists(file) || Files.size(file) != size) {
            Fixtures.randomFile(file, size, 1);
        }
        Torrent t = Fixtures.torrent(file, version, pieceLength);
        byte[][] pieces = new byte[t.pieceCount()][];
        for (int p = 0; p < pieces.length; p++) {
            pieces[p] = Fixtures.piece(t, src, p);
        }
        System.out.printf(Locale.ROOT, "storage benchmark: %d MiB, %s, piece length %d, %d pieces, %d-block window,"
                + " %d disk threads, %s%n", mib, version, pieceLength, t.pieceCount(), WINDOW, DiskIo.DEFAULT_THREADS,
                dir);
        for (int run = 1; run <= runs; run++) {
            Path dl = dir.resolve("dl");
            deleteTree(dl);
            try (DiskIo io = new DiskIo(); FileStorage s = FileStorage.open(t, dl, io)) {
                long start = System.nanoTime();
                int good = writeAndVerify(s, pieces);
                long written = System.nanoTime();
                s.flush();
                long flushed = System.nanoTime();
                BitSet checked = Fixtures.await(s.check(ProgressListener.NONE));
                long done = System.nanoTime();
                if (good != pieces.length || checked.cardinality() != pieces.length) {
                    throw new AssertionError("only " + good + " / " + checked.cardinality() + " of " + pieces.length
                            + " pieces verified");
                }
                System.out.printf(Locale.ROOT, "run %d: write+verify %.2f s = %.0f MiB/s; +flush %.2f s = %.0f MiB/s;"
                        + " check (page cache) %.2f s = %.0f MiB/s%n", run, secs(start, written),
                        mib / secs(start, written), secs(written, flushed), mib / secs(start, flushed),
                        secs(flushed, done), mib / secs(flushed, done));
            }
        }
        deleteTree(dir.resolve("dl"));
    }

    /** Writes all blocks with a bounded window, verifying each piece once its blocks are in; returns good pieces. */
    private static int writeAndVerify(FileStorage s, byte[][] pieces) throws Exception {
        Semaphore window = new Semaphore(WINDOW);
        AtomicInteger good = new AtomicInteger();
        List<CompletableFuture<?>> verifies = new ArrayList<>(pieces.length);
        for (int p = 0; p < pieces.length; p++) {
            byte[] data = pieces[p];
            List<CompletableFuture<Void>> blocks = new ArrayList<>();
            for (int off = 0; off < data.length; off += Fixtures.BLOCK) {
                if (!window.tryAcquire(60, TimeUnit.SECONDS)) {
                    throw new AssertionError("no write completed within 60 s");
                }
                CompletableFuture<Void> w = s.writeBlock(p, off,
                        ByteBuffer.wrap(data, off, Math.min(Fixtures.BLOCK, data.length - off)));
                w.whenComplete((v, e) -> window.release());
                blocks.add(w);
            }
            int piece = p;
            verifies.add(CompletableFuture.allOf(blocks.toArray(CompletableFuture[]::new))
                    .thenCompose(v -> s.verifyPiece(piece)).thenAccept(ok -> {
                        if (ok) {
                            good.incrementAndGet();
                        }
                    }));
        }
        Fixtures.await(CompletableFuture.allOf(verifies.toArray(CompletableFuture[]::new)));
        return good.get();
    }

    private static double secs(long from, long to) {
        return (to - from) / 1e9;
    }

    private static void deleteTree(Path dir) throws java.io.IOException {
        if (Files.exists(dir)) {
            try (var walk = Files.walk(dir)) {
                for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
                    Files.delete(p);
                }
            }
        }
    }
}
