package org.stampede.engine.internal;

import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import org.stampede.engine.AddOptions;
import org.stampede.engine.TorrentHandle;
import org.stampede.metainfo.Torrent;
import org.stampede.metainfo.TorrentCreator;
import org.stampede.testing.interop.Interop;

/**
 * Many torrents in one engine, not a test: N seeding torrents of one small file each (no peers, no trackers, no
 * queue limits: every torrent active, as lt_many.py sets libtorrent),
 * loaded from their data the first time and from resume data the next. Reports the time until every torrent is
 * seeding, the engine's CPU over an idle period after that, and the heap in use after a GC; then runs
 * {@code releng/bench/lt_many.py} on the same torrents for libtorrent's figures.
 *
 * <pre>
 * java -Xmx1g -Dstampede.repo=. -cp ... org.stampede.engine.internal.ManyTorrentsBenchmark WORKDIR [N=10000] [IDLE_S=60]
 * </pre>
 */
public final class ManyTorrentsBenchmark {
    private ManyTorrentsBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        Path work = Path.of(args.length > 0 ? args[0] : "/tmp/stampede-many").toAbsolutePath();
        int n = args.length > 1 ? Integer.parseInt(args[1]) : 10_000;
        int idle = args.length > 2 ? Integer.parseInt(args[2]) : 60;
        Path data = work.resolve("data");
        Path torrents = work.resolve("torrents");
        Files.createDirectories(data);
        Files.createDirectories(torrents);
        Random r = new Random(1);
        byte[] content = new byte[16 * 1024];
        List<Torrent> list = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            Path f = data.resolve(String.format("t%05d.bin", i));
            Path t = torrents.resolve(String.format("t%05d.torrent", i));
            if (!Files.exists(t)) {
                r.nextBytes(content);
                Files.write(f, content);
                Files.write(t, TorrentCreator.forSource(f).version(Torrent.Version.V1).pieceLength(16 * 1024)
                        .creationDate(null).create());
            }
            list.add(Torrent.read(t));
        }
        BenchmarkData.deleteTree(work.resolve("state")); // the first load hashes, the second reads resume data
        System.out.printf("# %d torrents of 16 KiB, idle %d s, cpus=%d%n", n, idle,
                Runtime.getRuntime().availableProcessors());
        for (String pass : List.of("first load (hashing)", "second load (resume data)")) {
            com.sun.management.OperatingSystemMXBean os = (com.sun.management.OperatingSystemMXBean) ManagementFactory
                    .getOperatingSystemMXBean();
            MemoryMXBean mem = ManagementFactory.getMemoryMXBean();
            try (EngineImpl engine = TestEngines.create(
                    LoopbackSwarmTest.settings(work.resolve("state")).withQueue(-1, -1), TestStrategies.registry(),
                    u -> null)) {
                long t0 = System.nanoTime();
                List<CompletableFuture<Void>> checked = new ArrayList<>(n);
                for (Torrent t : list) {
                    TorrentHandle h = engine.add(t, data, AddOptions.defaults());
                    checked.add(h.checked());
                }
                CompletableFuture.allOf(checked.toArray(CompletableFuture[]::new)).get(600, TimeUnit.SECONDS);
                double load = (System.nanoTime() - t0) / 1e9;
                long seeding = engine.torrents().stream()
                        .filter(h -> h.status().state() == org.stampede.engine.TorrentStatus.State.SEEDING).count();
                System.gc();
                long heap = mem.getHeapMemoryUsage().getUsed();
                long c0 = os.getProcessCpuTime();
                Thread.sleep(idle * 1000L);
                double cpu = (os.getProcessCpuTime() - c0) / 1e9;
                System.out.printf("stampede %s: %d torrents (%d seeding): load %.2f s, idle cpu %.2f s over %d s"
                        + " (%.2f %% of a core), heap after GC %.0f MiB%n", pass, n, seeding, load, cpu, idle,
                        100 * cpu / idle, heap / 1048576.0);
            }
        }
        Process p = new ProcessBuilder(Interop.PYTHON, Interop.repo().resolve("releng/bench/lt_many.py").toString(),
                torrents.toString(), data.toString(), Integer.toString(idle)).inheritIO().start();
        p.waitFor();
    }
}
