package org.stampede.cli.internal;

import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.concurrent.Callable;
import java.util.stream.Stream;

import org.stampede.engine.AddOptions;
import org.stampede.engine.Engine;
import org.stampede.engine.EngineFactory;
import org.stampede.engine.EngineSettings;
import org.stampede.engine.TorrentHandle;
import org.stampede.engine.TorrentStatus;
import org.stampede.metainfo.Torrent;
import org.stampede.metainfo.TorrentCreator;
import org.stampede.tracker.server.EmbeddedTracker;

import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

/**
 * {@code stampede demo}: everything offline on loopback: an embedded tracker, one seeder and a few leechers (each
 * its own engine), progress shown, every leecher's data checked against the original, one summary line.
 */
@Command(name = "demo", mixinStandardHelpOptions = true,
        description = "Run a small swarm on loopback: a tracker, a seeder and leechers.")
final class DemoCommand implements Callable<Integer> {
    @ParentCommand
    StampedeCommand parent;

    @Option(names = "--leechers", paramLabel = "N", description = "How many leechers (default 3).")
    int leechers = 3;

    @Option(names = "--size", paramLabel = "BYTES", description = "Size of the data (default 32M).")
    String size = "32M";

    @Option(names = "--timeout", paramLabel = "SECONDS", description = "Give up after this long (default 300).")
    int timeout = 300;

    @Override
    public Integer call() throws Exception {
        if (leechers < 1 || leechers > 20) {
            throw new BadInputException("--leechers must be 1 to 20");
        }
        long bytes = Units.parseSize(size);
        if (bytes < 1 || bytes > 4L << 30) {
            throw new BadInputException("--size must be 1 byte to 4 GiB");
        }
        Path work = Files.createTempDirectory("stampede-demo");
        InetAddress loopback = InetAddress.getLoopbackAddress();
        List<Engine> engines = new ArrayList<>();
        // resources close in reverse: the engines first, so their 'stopped' announces still reach the tracker
        try (EmbeddedTracker tracker = EmbeddedTracker.start(
                EmbeddedTracker.Config.defaults().withBindAddress(loopback).withPorts(0, 0));
                AutoCloseable closeEngines = () -> engines.forEach(Engine::close)) {
            Path seedDir = work.resolve("seeder");
            Path data = seedDir.resolve("demo-data");
            long[] parts = { bytes / 2, bytes / 3, bytes - bytes / 2 - bytes / 3 };
            Random random = new Random(42);
            byte[] chunk = new byte[1 << 20];
            for (int i = 0; i < parts.length; i++) {
                Path f = data.resolve("file-" + i + ".bin");
                Files.createDirectories(f.getParent());
                try (var out = Files.newOutputStream(f)) {
                    for (long left = parts[i]; left > 0; left -= chunk.length) {
                        random.nextBytes(chunk);
                        out.write(chunk, 0, (int) Math.min(left, chunk.length));
                    }
                }
            }
            Torrent torrent = Torrent.parse(TorrentCreator.forSource(data).version(Torrent.Version.HYBRID)
                    .tracker(tracker.httpAnnounceUrl().toString()).creationDate(null).create());
            parent.err.printf(Locale.ROOT, "demo: tracker %s, %s in %d pieces, 1 seeder and %d leechers%n",
                    tracker.httpAnnounceUrl(), Units.bytes(torrent.totalLength()), torrent.pieceCount(), leechers);
            EngineFactory factory = Services.get(EngineFactory.class, 10_000);
            EngineSettings settings = EngineSettings.defaults().withBind(loopback, 0);
            Engine seeder = factory.create(settings.withStateDir(work.resolve("state-seeder")));
            engines.add(seeder);
            seeder.add(torrent, seedDir, AddOptions.defaults()).checked().get();
            List<TorrentHandle> handles = new ArrayList<>();
            for (int i = 0; i < leechers; i++) {
                Engine e = factory.create(settings.withStateDir(work.resolve("state-" + i)));
                engines.add(e);
                handles.add(e.add(torrent, work.resolve("leecher-" + i), AddOptions.defaults()));
            }
            long start = System.nanoTime();
            long deadline = start + timeout * 1_000_000_000L;
            boolean terminal = ProgressBar.stderrIsTerminal();
            long lastLine = 0;
            while (!handles.stream().allMatch(h -> h.completion().isDone())) {
                if (System.nanoTime() > deadline) {
                    throw new java.io.IOException("demo did not finish within " + timeout + " s");
                }
                long now = System.nanoTime();
                if (terminal || now - lastLine > 5_000_000_000L) {
                    lastLine = now;
                    StringBuilder sb = new StringBuilder(terminal ? "\r" : "");
                    for (int i = 0; i < handles.size(); i++) {
                        TorrentStatus s = handles.get(i).status();
                        sb.append(String.format(Locale.ROOT, "leecher %d %5.1f%% %s/s  ", i, s.progress() * 100,
                                Units.bytes(s.downloadRate())));
                    }
                    parent.err.print(sb.append(terminal ? "\u001b[K" : "\n"));
                }
                Thread.sleep(200);
            }
            double seconds = (System.nanoTime() - start) / 1e9;
            if (terminal) {
                parent.err.println();
            }
            for (int i = 0; i < leechers; i++) {
                for (int f = 0; f < parts.length; f++) {
                    Path original = data.resolve("file-" + f + ".bin");
                    Path copy = work.resolve("leecher-" + i).resolve("demo-data").resolve("file-" + f + ".bin");
                    if (!Arrays.equals(sha256(original), sha256(copy))) {
                        throw new java.io.IOException("leecher " + i + ": " + copy.getFileName() + " differs");
                    }
                }
            }
            long fromSeeder = seeder.torrents().get(0).status().uploaded();
            parent.out.printf(Locale.ROOT,
                    "demo: %d leechers downloaded %s each in %.1f s (%s from the seeder, the rest from each other); "
                            + "data verified (SHA-256)%n",
                    leechers, Units.bytes(torrent.totalLength()), seconds, Units.bytes(fromSeeder));
            return Cli.OK;
        } finally {
            try (Stream<Path> walk = Files.walk(work)) {
                walk.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }

    private static byte[] sha256(Path file) throws Exception {
        MessageDigest md = MessageDigest.getInstance("SHA-256");
        byte[] buf = new byte[1 << 16];
        try (var in = Files.newInputStream(file)) {
            for (int n; (n = in.read(buf)) > 0;) {
                md.update(buf, 0, n);
            }
        }
        return md.digest();
    }
}
