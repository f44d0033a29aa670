package org.stampede.ui.internal.parts;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

import org.stampede.engine.EngineFactory;
import org.stampede.engine.EngineSettings;
import org.stampede.metainfo.Torrent;
import org.stampede.metainfo.TorrentCreator;
import org.stampede.tracker.server.EmbeddedTracker;
import org.stampede.ui.internal.ClientSession;
import org.stampede.ui.internal.TestEngines;
import org.stampede.testing.interop.Interop;

/**
 * The fixture of the view tests: a libtorrent seeder on 127.0.0.1 (lt_seed.py), an embedded HTTP tracker, and a
 * {@link ClientSession} over the real engine downloading a three-file torrent from the seeder, limited to 1 MiB/s
 * so the transfer lasts a few seconds. Outside a framework nobody binds the engine factory's DS references, so the
 * fixture calls its bind methods and sets its EventAdmin field (package-private DS members) by reflection, with two
 * simple strategies of its own (the strategy bundles are not visible to this fragment) and an EventAdmin that hands
 * every engine event to the session, as {@code ClientSessionComponent} does in a framework.
 */
final class Swarm implements AutoCloseable {
    static final long DOWN_LIMIT = 1024 * 1024;

    final Path dir;
    final Torrent torrent;
    final EmbeddedTracker tracker;
    final Process seeder;
    final ClientSession session;
    final ClientSession.Entry entry;
    private final boolean owned;

    Swarm(Path dir) throws Exception {
        this(dir, null);
    }

    /**
     * With {@code existing} (the GUI's own session, in a framework, where DS binds the real strategies and EventAdmin)
     * the torrent is added to it, unlimited, and {@link #close()} leaves the session running.
     */
    Swarm(Path dir, ClientSession existing) throws Exception {
        this.dir = dir;
        this.owned = existing == null;
        Path data = dir.resolve("origin/Stampede sample");
        Interop.randomFile(data.resolve("first.bin"), 3 * 1024 * 1024 + 123, 1);
        Interop.randomFile(data.resolve("docs/second.bin"), 1024 * 1024, 2);
        Interop.randomFile(data.resolve("docs/deep/third.bin"), 300_000, 3);
        tracker = EmbeddedTracker.start(EmbeddedTracker.Config.defaults()
                .withBindAddress(InetAddress.getLoopbackAddress()));
        byte[] bytes = TorrentCreator.forSource(data).version(Torrent.Version.HYBRID).pieceLength(64 * 1024)
                .tracker(tracker.httpAnnounceUrl().toString()).creationDate(null).create();
        Path torrentFile = dir.resolve("sample.torrent");
        Files.write(torrentFile, bytes);
        torrent = Torrent.read(torrentFile);
        seeder = new ProcessBuilder(Interop.PYTHON, Interop.script("lt_seed.py").toString(), torrentFile.toString(),
                data.getParent().toString(), "--timeout", "170").redirectError(ProcessBuilder.Redirect.INHERIT)
                .start();
        BufferedReader out = new BufferedReader(new InputStreamReader(seeder.getInputStream(), StandardCharsets.UTF_8));
        String port = CompletableFuture.supplyAsync(() -> {
            try {
                return out.readLine();
            } catch (java.io.IOException e) {
                return null;
            }
        }).get(60, TimeUnit.SECONDS);
        if (port == null || !port.matches("\\d+")) {
            throw new IllegalStateException("libtorrent did not start seeding: " + port);
        }
        if (existing != null) {
            session = existing;
            entry = session.add(torrentFile, dir.resolve("downloads"));
            entry.handle().checked().get(30, TimeUnit.SECONDS);
            entry.handle().connect(new InetSocketAddress("127.0.0.1", Integer.parseInt(port)));
            return;
        }
        AtomicReference<ClientSession> target = new AtomicReference<>();
        EngineFactory factory = TestEngines.factory(event -> {
            ClientSession s = target.get();
            if (s != null) {
                s.handleEvent(event);
            }
        });
        EngineSettings settings = EngineSettings.defaults().withBind(InetAddress.getLoopbackAddress(), 0)
                .withStrategies("in-order", "unchoke-all", "unchoke-all").withLimits(DOWN_LIMIT, 0);
        session = new ClientSession(factory, settings, dir.resolve("session"), dir.resolve("downloads"));
        target.set(session);
        entry = session.add(torrentFile, null);
        entry.handle().checked().get(30, TimeUnit.SECONDS);
        entry.handle().connect(new InetSocketAddress("127.0.0.1", Integer.parseInt(port)));
    }

    @Override
    public void close() throws Exception {
        try {
            if (owned) {
                session.close();
            } else {
                session.remove(entry.infoHash(), true).get(30, TimeUnit.SECONDS);
            }
        } finally {
            tracker.close();
            seeder.getOutputStream().close();
            if (!seeder.waitFor(10, TimeUnit.SECONDS)) {
                seeder.destroyForcibly();
            }
        }
    }
}
