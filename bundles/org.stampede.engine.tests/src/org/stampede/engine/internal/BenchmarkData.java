package org.stampede.engine.internal;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;

import org.stampede.testing.interop.Interop;

/**
 * What {@link DownloadBenchmark} and {@link SeedBenchmark} share: the data file and its v1 torrent (made once by
 * libtorrent and reused), dropping the page cache, medians, and clean-up.
 */
final class BenchmarkData {
    static final long PIECE = 1 << 20;

    /** {@code WORKDIR/seed/data-<MiB>M.bin} of random bytes and its v1 torrent by lt_create.py, both reused. */
    record Prepared(Path seedDir, Path data, Path torrentFile) {
    }

    private BenchmarkData() {
    }

    static Prepared prepare(Path work, long mib) throws IOException {
        Path seed = work.resolve("seed");
        Files.createDirectories(seed);
        Path data = seed.resolve("data-" + mib + "M.bin");
        if (!Files.exists(data) || Files.size(data) != mib << 20) {
            writeRandom(data, mib << 20);
        }
        Path torrentFile = work.resolve("data-" + mib + "M.torrent");
        if (!Files.exists(torrentFile)) {
            Interop.Result r = Interop.run(List.of(Interop.PYTHON, Interop.script("lt_create.py").toString(),
                    data.toString(), "-o", torrentFile.toString(), "--v1", "--piece-length", String.valueOf(PIECE),
                    "--no-date"));
            if (r.exit() != 0) {
                throw new IllegalStateException("lt_create.py failed: " + r.err());
            }
        }
        return new Prepared(seed, data, torrentFile);
    }

    static double median(List<double[]> rows, int col) {
        double[] v = rows.stream().mapToDouble(r -> r[col]).sorted().toArray();
        return v.length % 2 == 1 ? v[v.length / 2] : (v[v.length / 2 - 1] + v[v.length / 2]) / 2;
    }

    /** Drops the page cache if this process may; whether it did. */
    static boolean dropCaches() {
        try {
            Process sync = new ProcessBuilder("sync").start();
            sync.waitFor(60, TimeUnit.SECONDS);
            Files.writeString(Path.of("/proc/sys/vm/drop_caches"), "3");
            return true;
        } catch (IOException | InterruptedException e) {
            return false;
        }
    }

    static void writeRandom(Path file, long length) throws IOException {
        Random random = new Random(42);
        byte[] buf = new byte[1 << 20];
        try (OutputStream out = Files.newOutputStream(file)) {
            for (long left = length; left > 0; left -= buf.length) {
                random.nextBytes(buf);
                out.write(buf, 0, (int) Math.min(left, buf.length));
            }
        }
    }

    static void deleteTree(Path p) throws IOException {
        if (!Files.exists(p)) {
            return;
        }
        try (var s = Files.walk(p)) {
            for (Path q : s.sorted((a, b) -> b.getNameCount() - a.getNameCount()).toList()) {
                Files.delete(q);
            }
        }
    }
}
