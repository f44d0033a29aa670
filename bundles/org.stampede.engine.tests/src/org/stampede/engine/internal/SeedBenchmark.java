package org.stampede.engine.internal;

import static org.stampede.engine.internal.BenchmarkData.deleteTree;
import static org.stampede.engine.internal.BenchmarkData.dropCaches;
import static org.stampede.engine.internal.BenchmarkData.median;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import org.stampede.engine.AddOptions;
import org.stampede.engine.TorrentHandle;
import org.stampede.metainfo.Torrent;
import org.stampede.testing.interop.Interop;

/**
 * Seeding benchmark on loopback, not a test: the Stampede engine in this JVM seeds one random file on disk (a v1
 * torrent with 1 MiB pieces) and libtorrent's {@code lt_leech_peer.py} downloads it from 127.0.0.1; then, for the
 * ratio, libtorrent's {@code lt_seed.py} seeds the same file to the same leecher. The page cache is dropped before
 * each run when this process may ({@code /proc/sys/vm/drop_caches}); each seeder first checks the data (which reads
 * it into the page cache), then serves it.
 * <p>
 * Per Stampede run: the initial check (wall from adding the torrent until it is checked), then the transfer (wall
 * from starting the leecher until it reports completion), this JVM's CPU time (all threads) and the bytes its
 * threads allocated over the transfer. Per libtorrent run: its check (from starting {@code lt_seed.py} until it
 * prints its port, so interpreter and session start-up included) and the transfer wall; the CPU time is the
 * seeder's, from {@code /proc/PID/stat}.
 *
 * <pre>
 * java -Dstampede.repo=. -cp ... org.stampede.engine.internal.SeedBenchmark WORKDIR [MiB] [RUNS]
 * </pre>
 */
public final class SeedBenchmark {
    private static final long TIMEOUT_S = 300;

    private SeedBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        if (args.length < 1) {
            System.err.println("usage: SeedBenchmark WORKDIR [MiB=1024] [RUNS=3]");
            System.exit(1);
        }
        Path work = Path.of(args[0]).toAbsolutePath();
        long mib = args.length > 1 ? Long.parseLong(args[1]) : 1024;
        int runs = args.length > 2 ? Integer.parseInt(args[2]) : 3;
        BenchmarkData.Prepared files = BenchmarkData.prepare(work, mib);
        Path seed = files.seedDir();
        Path data = files.data();
        Path torrentFile = files.torrentFile();
        Torrent torrent = Torrent.read(torrentFile);
        boolean cold = dropCaches();
        System.out.printf("# %d MiB, v1, 1 MiB pieces, runs=%d, cache=%s before each check, cpus=%d%n", mib, runs,
                cold ? "dropped" : "warm", Runtime.getRuntime().availableProcessors());
        List<double[]> st = new ArrayList<>();
        List<double[]> lt = new ArrayList<>();
        for (int i = 1; i <= runs; i++) {
            double[] s = stampede(torrent, torrentFile, seed, work.resolve("dl"));
            st.add(s);
            System.out.printf("stampede   run %d: check %.3f s; transfer wall %.3f s, cpu %.3f s, allocated %.1f MiB; "
                    + "load %.2f%n", i, s[0], s[1], s[2], s[3] / (1 << 20), load());
            double[] l = libtorrent(torrentFile, seed, work.resolve("dl"));
            lt.add(l);
            System.out.printf("libtorrent run %d: check %.3f s; transfer wall %.3f s, seeder cpu %.3f s%n", i, l[0],
                    l[1], l[2]);
        }
        System.out.printf("median stampede: check %.3f s, transfer wall %.3f s, cpu %.3f s, allocated %.1f MiB; "
                + "libtorrent: check %.3f s, transfer wall %.3f s, cpu %.3f s; ratio wall %.2f, cpu %.2f; load %.2f%n",
                median(st, 0), median(st, 1), median(st, 2), median(st, 3) / (1 << 20), median(lt, 0), median(lt, 1),
                median(lt, 2), median(st, 1) / median(lt, 1), median(st, 2) / median(lt, 2), load());
    }

    /** One Stampede seeding: {check s, transfer wall s, JVM cpu s over the transfer, bytes allocated by it}. */
    private static double[] stampede(Torrent torrent, Path torrentFile, Path seed, Path dl) throws Exception {
        deleteTree(dl);
        Files.createDirectories(dl);
        dropCaches();
        try (EngineImpl engine = TestEngines.create(LoopbackSwarmTest.settings(dl.resolve("state")),
                TestStrategies.registry(), u -> null)) {
            long c0 = System.nanoTime();
            TorrentHandle h = engine.add(torrent, seed, AddOptions.defaults());
            h.checked().get(120, TimeUnit.SECONDS);
            double check = (System.nanoTime() - c0) / 1e9;
            if (h.status().have() != torrent.pieceCount()) {
                throw new IllegalStateException("the check found " + h.status().have() + " of "
                        + torrent.pieceCount() + " pieces");
            }
            var os = (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
            long alloc0 = allocated();
            long cpu0 = os.getProcessCpuTime();
            long t0 = System.nanoTime();
            leech(torrentFile, dl, engine.listenAddress().getPort());
            double wall = (System.nanoTime() - t0) / 1e9;
            double cpu = (os.getProcessCpuTime() - cpu0) / 1e9;
            double alloc = allocated() - alloc0;
            return new double[] {check, wall, cpu, alloc};
        }
    }

    /** One libtorrent seeding: {check s (with start-up), transfer wall s, seeder cpu s over the transfer}. */
    private static double[] libtorrent(Path torrentFile, Path seed, Path dl) throws Exception {
        deleteTree(dl);
        Files.createDirectories(dl);
        dropCaches();
        long c0 = System.nanoTime();
        Process seeder = new ProcessBuilder(Interop.PYTHON, Interop.script("lt_seed.py").toString(),
                torrentFile.toString(), seed.toString(), "--timeout", String.valueOf(TIMEOUT_S))
                .redirectError(ProcessBuilder.Redirect.INHERIT).start();
        try {
            BufferedReader out = new BufferedReader(new InputStreamReader(seeder.getInputStream(),
                    StandardCharsets.UTF_8));
            String port = CompletableFuture.supplyAsync(() -> {
                try {
                    return out.readLine();
                } catch (IOException e) {
                    return null;
                }
            }).get(120, TimeUnit.SECONDS);
            if (port == null || !port.matches("\\d+")) {
                throw new IllegalStateException("lt_seed.py printed no port: " + port);
            }
            double check = (System.nanoTime() - c0) / 1e9;
            double cpu0 = processCpu(seeder.pid());
            long t0 = System.nanoTime();
            leech(torrentFile, dl, Integer.parseInt(port));
            double wall = (System.nanoTime() - t0) / 1e9;
            double cpu = processCpu(seeder.pid()) - cpu0;
            return new double[] {check, wall, cpu};
        } finally {
            seeder.getOutputStream().close();
            if (!seeder.waitFor(30, TimeUnit.SECONDS)) {
                seeder.destroyForcibly();
            }
        }
    }

    /** Runs lt_leech_peer.py against 127.0.0.1:port until it has every piece, verified. */
    private static void leech(Path torrentFile, Path dl, int port) throws Exception {
        Process leech = new ProcessBuilder(Interop.PYTHON, Interop.script("lt_leech_peer.py").toString(),
                torrentFile.toString(), dl.toString(), "--peer", "127.0.0.1:" + port, "--timeout",
                String.valueOf(TIMEOUT_S)).redirectErrorStream(true).start();
        CompletableFuture<String> result = CompletableFuture.supplyAsync(() -> {
            try {
                return new String(leech.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            } catch (IOException e) {
                return e.toString();
            }
        });
        if (!leech.waitFor(TIMEOUT_S + 30, TimeUnit.SECONDS)) {
            leech.destroyForcibly();
            throw new IllegalStateException("lt_leech_peer.py did not finish");
        }
        String out = result.get(30, TimeUnit.SECONDS);
        if (leech.exitValue() != 0 || !out.contains("\"complete\": true") || !out.contains("\"hashfails\": 0")) {
            throw new IllegalStateException("lt_leech_peer.py failed: " + out);
        }
    }

    /** Bytes allocated so far by the live threads of this JVM. */
    private static long allocated() {
        var threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        return threads.getTotalThreadAllocatedBytes();
    }

    /** User plus system CPU seconds of a process, from /proc/PID/stat. */
    private static double processCpu(long pid) throws IOException {
        String stat = Files.readString(Path.of("/proc/" + pid + "/stat"));
        String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
        return (Long.parseLong(f[11]) + Long.parseLong(f[12])) / 100.0; // utime, stime: fields 14, 15 (USER_HZ 100)
    }

    private static double load() {
        return ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage();
    }




}
