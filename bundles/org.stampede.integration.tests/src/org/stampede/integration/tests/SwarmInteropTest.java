package org.stampede.integration.tests;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.FrameworkUtil;
import org.osgi.util.tracker.ServiceTracker;
import org.stampede.engine.AddOptions;
import org.stampede.engine.Engine;
import org.stampede.engine.EngineFactory;
import org.stampede.engine.EngineSettings;
import org.stampede.engine.TorrentHandle;
import org.stampede.metainfo.Torrent;
import org.stampede.metainfo.TorrentCreator;
import org.stampede.testing.interop.Interop;
import org.stampede.testing.interop.LibtorrentPeer;
import org.stampede.testing.interop.Opentracker;
import org.stampede.tracker.server.EmbeddedTracker;

import com.google.gson.JsonObject;

/**
 * Real swarms on 127.0.0.1, in a running framework where Declarative Services wires the engine to the installed
 * strategy and tracker bundles: Stampede engines and libtorrent peers find each other through a tracker (our
 * embedded one, or opentracker over HTTP and UDP) and every leecher completes with the original data.
 */
@Timeout(value = 240, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class SwarmInteropTest {
    static EngineFactory factory;

    @TempDir
    Path dir;

    @BeforeAll
    static void framework() throws Exception {
        BundleContext context = FrameworkUtil.getBundle(SwarmInteropTest.class).getBundleContext();
        // SCR and the DS bundles: the test runtime installs them but starts only what a test asks for
        for (Bundle b : context.getBundles()) {
            if (EngineConfigurationTest.RUNTIME.contains(b.getSymbolicName())) {
                b.start();
            }
        }
        for (Bundle b : context.getBundles()) {
            String name = b.getSymbolicName();
            if (name.startsWith("org.stampede.") && b.getHeaders().get("Fragment-Host") == null
                    && !name.endsWith(".tests")) {
                b.start(Bundle.START_ACTIVATION_POLICY);
            }
        }
        ServiceTracker<EngineFactory, EngineFactory> t = new ServiceTracker<>(context, EngineFactory.class, null);
        t.open();
        factory = t.waitForService(20_000);
        assertNotNull(factory, "the engine's DS component is up");
        Interop.requireLibtorrent("opentracker");
    }

    private Engine engine(String name) throws Exception {
        return factory.create(EngineSettings.defaults().withBind(InetAddress.getLoopbackAddress(), 0)
                .withStateDir(dir.resolve("state-" + name)));
    }

    private static byte[] sha256(Path f) throws Exception {
        return MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(f));
    }

    private Path data(long... sizes) throws Exception {
        Path root = dir.resolve("origin/payload");
        for (int i = 0; i < sizes.length; i++) {
            Interop.randomFile(root.resolve(i == 0 ? "main.bin" : "extra/part" + i + ".bin"), sizes[i], 7 + i);
        }
        return root;
    }

    private Path torrent(Path data, Torrent.Version v, long pieceLength, String tracker) throws Exception {
        Path file = dir.resolve("swarm.torrent");
        Files.write(file, TorrentCreator.forSource(data).version(v).pieceLength(pieceLength).tracker(tracker)
                .creationDate(null).create());
        return file;
    }

    private void assertSameData(Path original, Path copy) throws Exception {
        try (var walk = Files.walk(original)) {
            for (Path f : walk.filter(Files::isRegularFile).toList()) {
                assertArrayEquals(sha256(f), sha256(copy.resolve(original.relativize(f))), f.toString());
            }
        }
    }

    /** One libtorrent seeder, two Stampede and two libtorrent leechers, all through {@code trackerUrl}. */
    private void mixedSwarm(Path data, Path torrentFile) throws Exception {
        Torrent torrent = Torrent.read(torrentFile);
        BundleContext context = FrameworkUtil.getBundle(SwarmInteropTest.class).getBundleContext();
        java.util.Queue<org.osgi.service.event.Event> events = new java.util.concurrent.ConcurrentLinkedQueue<>();
        var registration = context.registerService(org.osgi.service.event.EventHandler.class, events::add,
                new java.util.Hashtable<>(java.util.Map.of(org.osgi.service.event.EventConstants.EVENT_TOPIC,
                        org.stampede.engine.EngineEvents.PREFIX + "*")));
        List<Engine> engines = new ArrayList<>();
        try (LibtorrentPeer seeder = LibtorrentPeer.start(torrentFile, data.getParent(), true, 200)) {
            List<TorrentHandle> ours = new ArrayList<>();
            for (int i = 0; i < 2; i++) {
                Engine e = engine("leecher" + i);
                engines.add(e);
                ours.add(e.add(torrent, dir.resolve("stampede-" + i), AddOptions.defaults()));
            }
            try (LibtorrentPeer lt1 = LibtorrentPeer.start(torrentFile, dir.resolve("lt-1"), false, 150);
                    LibtorrentPeer lt2 = LibtorrentPeer.start(torrentFile, dir.resolve("lt-2"), false, 150)) {
                for (TorrentHandle h : ours) {
                    h.completion().get(150, TimeUnit.SECONDS);
                }
                for (LibtorrentPeer lt : List.of(lt1, lt2)) {
                    JsonObject r = lt.result(150);
                    assertTrue(r.get("complete").getAsBoolean(), r::toString);
                    assertEquals(0, r.get("hashfails").getAsInt(), r::toString);
                }
            }
            for (int i = 0; i < 2; i++) {
                assertSameData(data, dir.resolve("stampede-" + i).resolve(data.getFileName()));
                // the default strategies, installed as bundles, made the decisions
                assertTrue(ours.get(i).decisions().getOrDefault("picker/rarest-first", 0L) > 0,
                        ours.get(i).decisions()::toString);
                assertEquals("rarest-first", ours.get(i).status().picker());
            }
            // the engine published its progress through EventAdmin (posted asynchronously: give it a moment)
            String hash = ours.get(0).infoHash();
            long deadline = System.nanoTime() + 10_000_000_000L;
            while (System.nanoTime() < deadline && events.stream().noneMatch(e -> e.getTopic().equals(
                    org.stampede.engine.EngineEvents.TORRENT_COMPLETED))) {
                Thread.sleep(20);
            }
            for (String topic : List.of(org.stampede.engine.EngineEvents.TORRENT_ADDED,
                    org.stampede.engine.EngineEvents.PEER_CONNECTED, org.stampede.engine.EngineEvents.PIECE_VERIFIED,
                    org.stampede.engine.EngineEvents.TORRENT_COMPLETED)) {
                assertTrue(events.stream().anyMatch(e -> e.getTopic().equals(topic)
                        && hash.equals(e.getProperty(org.stampede.engine.EngineEvents.INFO_HASH))), topic);
            }
        } finally {
            registration.unregister();
            engines.forEach(Engine::close);
        }
    }

    @Test
    void mixedSwarmThroughTheEmbeddedTrackerOverHttpCompletesSingleFile256KiBPieces() throws Exception {
        try (EmbeddedTracker tracker = EmbeddedTracker.start(EmbeddedTracker.Config.defaults())) {
            Path data = data(6 * 1024 * 1024 + 123);
            Path torrentFile = torrent(data, Torrent.Version.V1, 256 * 1024, tracker.httpAnnounceUrl().toString());
            mixedSwarm(data, torrentFile);
            assertCompletedAnnounced(tracker, torrentFile);
        }
    }

    @Test
    void mixedSwarmThroughTheEmbeddedTrackerOverUdpCompletesMultiFile4MiBPieces() throws Exception {
        try (EmbeddedTracker tracker = EmbeddedTracker.start(EmbeddedTracker.Config.defaults())) {
            Path data = data(9 * 1024 * 1024 + 1, 2 * 1024 * 1024 + 77, 5000);
            Path torrentFile = torrent(data, Torrent.Version.V1, 4 * 1024 * 1024, tracker.udpAnnounceUrl().toString());
            mixedSwarm(data, torrentFile);
            assertCompletedAnnounced(tracker, torrentFile);
        }
    }

    /**
     * The tracker counted {@code completed} announces from the leechers: at least two of the four (the libtorrent
     * leechers exit as soon as they finish, so only the Stampede ones are sure to have announced it).
     */
    private static void assertCompletedAnnounced(EmbeddedTracker tracker, Path torrentFile) throws Exception {
        byte[] hash = Torrent.read(torrentFile).infoHashV1().bytes();
        long deadline = System.nanoTime() + 15_000_000_000L;
        while (downloads(tracker, hash) < 2 && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
        assertTrue(downloads(tracker, hash) >= 2, () -> String.valueOf(tracker.stats(hash)));
    }

    private static int downloads(EmbeddedTracker tracker, byte[] hash) {
        EmbeddedTracker.SwarmStats stats = tracker.stats(hash);
        return stats == null ? 0 : stats.downloaded();
    }

    private void throughOpentracker(boolean udp, boolean libtorrentSeeds) throws Exception {
        Path data = data(5 * 1024 * 1024 + 999, 300_000);
        Path otDir = Files.createDirectories(dir.resolve("opentracker"));
        // the whitelist needs the info-hash, which needs the tracker URL: make the torrent with a placeholder
        // port first to learn nothing... so start opentracker on free ports with a whitelist written after
        Torrent probe = Torrent.parse(TorrentCreator.forSource(data).version(Torrent.Version.V1)
                .pieceLength(256 * 1024).creationDate(null).create());
        byte[] infoHash = probe.infoHashV1().bytes();
        try (Opentracker ot = Opentracker.start(otDir, List.of(infoHash))) {
            String url = udp ? ot.udpAnnounceUrl().toString() : ot.httpAnnounceUrl().toString();
            Path torrentFile = torrent(data, Torrent.Version.V1, 256 * 1024, url);
            Torrent torrent = Torrent.read(torrentFile);
            assertArrayEquals(infoHash, torrent.infoHashV1().bytes(), "trackers are outside the info dictionary");
            if (libtorrentSeeds) {
                try (LibtorrentPeer seeder = LibtorrentPeer.start(torrentFile, data.getParent(), true, 150);
                        Engine e = engine("leecher")) {
                    TorrentHandle h = e.add(torrent, dir.resolve("stampede"), AddOptions.defaults());
                    h.completion().get(120, TimeUnit.SECONDS);
                    assertSameData(data, dir.resolve("stampede").resolve(data.getFileName()));
                }
            } else {
                try (Engine e = engine("seeder")) {
                    TorrentHandle h = e.add(torrent, data.getParent(), AddOptions.defaults());
                    h.checked().get(60, TimeUnit.SECONDS);
                    try (LibtorrentPeer leecher = LibtorrentPeer.start(torrentFile, dir.resolve("lt"), false, 120)) {
                        JsonObject r = leecher.result(120);
                        assertTrue(r.get("complete").getAsBoolean(), r::toString);
                        assertEquals(0, r.get("hashfails").getAsInt(), r::toString);
                    }
                    assertTrue(h.status().uploaded() >= torrent.totalLength(), h.status()::toString);
                }
            }
        }
    }

    @Test
    void libtorrentSeedsStampedeDownloadsThroughOpentrackerOverHttp() throws Exception {
        throughOpentracker(false, true);
    }

    @Test
    void stampedeSeedsLibtorrentDownloadsThroughOpentrackerOverUdp() throws Exception {
        throughOpentracker(true, false);
    }

    @Test
    void libtorrentSeedsStampedeDownloadsThroughOpentrackerOverUdp() throws Exception {
        throughOpentracker(true, true);
    }

    @Test
    void stampedeSeedsLibtorrentDownloadsThroughOpentrackerOverHttp() throws Exception {
        throughOpentracker(false, false);
    }
}
