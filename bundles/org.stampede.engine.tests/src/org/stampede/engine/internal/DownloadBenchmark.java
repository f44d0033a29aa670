package org.stampede.engine.internal;

import static org.stampede.engine.internal.BenchmarkData.deleteTree;
import static org.stampede.engine.internal.BenchmarkData.dropCaches;
import static org.stampede.engine.internal.BenchmarkData.median;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.lang.management.ManagementFactory;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import org.stampede.engine.AddOptions;
import org.stampede.engine.TorrentHandle;
import org.stampede.metainfo.Torrent;
import org.stampede.testing.interop.Interop;

/**
 * Download benchmark on loopback, not a test: a libtorrent seeder ({@code lt_seed.py}) serves one random file as a
 * v1 torrent with 1 MiB pieces; the Stampede engine in this JVM downloads it, then (for the ratio) libtorrent's
 * {@code lt_leech_peer.py} does. Per run: wall time from adding the torrent until it is complete, CPU time of this
 * JVM (all threads) over that time, and the bytes this JVM read from disk ({@code /proc/self/io read_bytes}). The
 * page cache is dropped before each download when this process may ({@code /proc/sys/vm/drop_caches}).
 *
 * <pre>
 * java -Dstampede.repo=. -cp ... org.stampede.engine.internal.DownloadBenchmark WORKDIR [MiB] [RUNS]
 * </pre>
 */
public final class DownloadBenchmark {
    private static final long TIMEOUT_S = 300;

    private DownloadBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        if (args.length < 1) {
            System.err.println("usage: DownloadBenchmark WORKDIR [MiB=1024] [RUNS=3]");
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
        byte[] want = sha256(data);
        boolean cold = dropCaches();
        System.out.printf("# %d MiB, v1, 1 MiB pieces, runs=%d, cache=%s, cpus=%d%n", mib, runs,
                cold ? "cold" : "warm", Runtime.getRuntime().availableProcessors());
        List<double[]> st = new ArrayList<>();
        List<double[]> lt = new ArrayList<>();
        for (int i = 1; i <= runs; i++) {
            double[] s = stampede(torrent, torrentFile, seed, work.resolve("dl"), data.getFileName().toString(),
                    i == 1 ? want : null);
            st.add(s);
            System.out.printf("stampede   run %d: wall %.3f s, cpu %.3f s, disk read %.1f MiB, rchar %.1f MiB, read "
                    + "back to hash %.1f MiB%n", i, s[0], s[1], s[2] / (1 << 20), s[3] / (1 << 20), s[4] / (1 << 20));
            double[] l = libtorrent(torrentFile, seed, work.resolve("dl"));
            lt.add(l);
            System.out.printf("libtorrent run %d: wall %.3f s, cpu %.3f s%n", i, l[0], l[1]);
        }
        double sw = median(st, 0);
        double lw = median(lt, 0);
        System.out.printf("median stampede: wall %.3f s, cpu %.3f s, disk read %.1f MiB, rchar %.1f MiB; libtorrent: "
                + "wall %.3f s, cpu %.3f s; ratio wall %.2f, cpu %.2f%n", sw, median(st, 1), median(st, 2) / (1 << 20),
                median(st, 3) / (1 << 20), lw, median(lt, 1), sw / lw, median(st, 1) / median(lt, 1));
    }

    /** One Stampede download: {wall s, JVM cpu s, bytes read from disk, bytes read by syscalls (rchar), bytes the
     * storage read back to hash (-1 where it does not count them)}. */
    private static double[] stampede(Torrent torrent, Path torrentFile, Path seed, Path dl, String name,
            byte[] want) throws Exception {
        deleteTree(dl);
        Process seeder = new ProcessBuilder(Interop.PYTHON, Interop.script("lt_seed.py").toString(),
                torrentFile.toString(), seed.toString(), "--timeout", String.valueOf(TIMEOUT_S))
                .redirectError(ProcessBuilder.Redirect.INHERIT).start();
        try (EngineImpl engine = TestEngines.create(LoopbackSwarmTest.settings(dl.resolve("state")),
                TestStrategies.registry(), u -> null)) {
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
            dropCaches();
            var os = (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
            long read0 = io("read_bytes:");
            long rchar0 = io("rchar:");
            long cpu0 = os.getProcessCpuTime();
            long t0 = System.nanoTime();
            TorrentHandle h = engine.add(torrent, dl, AddOptions.defaults());
            h.checked().get(60, TimeUnit.SECONDS);
            h.connect(new InetSocketAddress("127.0.0.1", Integer.parseInt(port)));
            h.completion().get(TIMEOUT_S, TimeUnit.SECONDS);
            double wall = (System.nanoTime() - t0) / 1e9;
            double cpu = (os.getProcessCpuTime() - cpu0) / 1e9;
            double read = io("read_bytes:") - read0;
            double rchar = io("rchar:") - rchar0;
            double hashRead = hashReadBytes(((ManagedTorrent) h).storage);
            if (want != null && !Arrays.equals(want, sha256(dl.resolve(name)))) {
                throw new IllegalStateException("the downloaded file differs from the original");
            }
            return new double[] {wall, cpu, read, rchar, hashRead};
        } finally {
            seeder.getOutputStream().close();
            if (!seeder.waitFor(30, TimeUnit.SECONDS)) {
                seeder.destroyForcibly();
            }
        }
    }

    /** One libtorrent download (lt_leech_peer.py from lt_seed.py): {wall s, leecher cpu s}. */
    private static double[] libtorrent(Path torrentFile, Path seed, Path dl) throws Exception {
        deleteTree(dl);
        Files.createDirectories(dl);
        Process seeder = new ProcessBuilder(Interop.PYTHON, Interop.script("lt_seed.py").toString(),
                torrentFile.toString(), seed.toString(), "--timeout", String.valueOf(TIMEOUT_S))
                .redirectError(ProcessBuilder.Redirect.INHERIT).start();
        try {
            String port = new BufferedReader(new InputStreamReader(seeder.getInputStream(),
                    StandardCharsets.UTF_8)).readLine();
            if (port == null || !port.matches("\\d+")) {
                throw new IllegalStateException("lt_seed.py printed no port: " + port);
            }
            dropCaches();
            Path times = dl.resolveSibling("lt.time");
            long t0 = System.nanoTime();
            Process leech = new ProcessBuilder("/usr/bin/time", "-f", "%U %S", "-o", times.toString(),
                    Interop.PYTHON, Interop.script("lt_leech_peer.py").toString(), torrentFile.toString(),
                    dl.toString(), "--peer", "127.0.0.1:" + port, "--timeout", String.valueOf(TIMEOUT_S))
                    .redirectErrorStream(true).start();
            String result = new String(leech.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!leech.waitFor(TIMEOUT_S + 30, TimeUnit.SECONDS) || leech.exitValue() != 0
                    || !result.contains("\"complete\": true")) {
                leech.destroyForcibly();
                throw new IllegalStateException("lt_leech_peer.py failed: " + result);
            }
            double wall = (System.nanoTime() - t0) / 1e9;
            String[] cpu = Files.readAllLines(times).getLast().trim().split(" ");
            return new double[] {wall, Double.parseDouble(cpu[0]) + Double.parseDouble(cpu[1])};
        } finally {
            try (OutputStream in = seeder.getOutputStream()) {
                in.flush();
            }
            if (!seeder.waitFor(30, TimeUnit.SECONDS)) {
                seeder.destroyForcibly();
            }
        }
    }

    /** FileStorage#bytesReadForHashing where it exists (found by name, so this class also runs on older trees). */
    private static double hashReadBytes(Object storage) {
        try {
            return ((Number) storage.getClass().getMethod("bytesReadForHashing").invoke(storage)).doubleValue();
        } catch (ReflectiveOperationException e) {
            return -1;
        }
    }


    /**
     * A counter of /proc/self/io: {@code read_bytes} (bytes fetched from the storage device for this process) or
     * {@code rchar} (bytes returned by read system calls: sockets and files, page cache hits included).
     */
    private static long io(String key) throws IOException {
        for (String line : Files.readAllLines(Path.of("/proc/self/io"))) {
            if (line.startsWith(key)) {
                return Long.parseLong(line.substring(key.length()).trim());
            }
        }
        throw new IOException("no " + key + " in /proc/self/io");
    }



    private static byte[] sha256(Path file) throws Exception {
        MessageDigest md = MessageDigest.getInstance("SHA-256");
        byte[] buf = new byte[1 << 20];
        try (var in = Files.newInputStream(file)) {
            for (int n; (n = in.read(buf)) > 0;) {
                md.update(buf, 0, n);
            }
        }
        return md.digest();
    }

}
