package org.stampede.integration.tests;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.FrameworkUtil;
import org.stampede.api.StrategyKind;
import org.stampede.engine.AddOptions;
import org.stampede.engine.Engine;
import org.stampede.engine.EngineSettings;
import org.stampede.engine.PeerStatus;
import org.stampede.engine.StrategyEvent;
import org.stampede.engine.TorrentHandle;
import org.stampede.metainfo.Torrent;
import org.stampede.metainfo.TorrentCreator;
import org.stampede.testing.interop.Interop;

/**
 * Strategies changing under a running transfer from a real libtorrent seeder: switched, uninstalled, reinstalled,
 * and deliberately broken ones. The connection stays up throughout, the download completes with the original data,
 * and the engine's own records say which strategy decided when.
 */
@Timeout(value = 240, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class HotSwapTest {
    @TempDir
    Path dir;

    @BeforeAll
    static void framework() throws Exception {
        SwarmInteropTest.framework();
    }

    /** Every test adds the same torrent; a strategy switched in one is stored for it, and must not carry over. */
    @BeforeEach
    void forgetStoredStrategies() throws Exception {
        EngineConfigurationTest.forgetStoredConfiguration();
    }

    private static BundleContext context() {
        return FrameworkUtil.getBundle(HotSwapTest.class).getBundleContext();
    }

    private static Bundle bundle(String name) {
        return Arrays.stream(context().getBundles()).filter(b -> b.getSymbolicName().equals(name)).findFirst()
                .orElseThrow(() -> new AssertionError(name + " is not installed"));
    }

    /** A libtorrent seeder held to about 3 MB/s, so that the download lasts several seconds. */
    private static LibtorrentSeeder seed(Path torrentFile, Path data) throws Exception {
        return LibtorrentSeeder.start(torrentFile, data, 3_000_000);
    }

    private static Set<String> connected(TorrentHandle h) {
        return h.peers().stream().map(PeerStatus::address).collect(Collectors.toSet());
    }

    private static void awaitPieces(TorrentHandle h, int pieces) throws InterruptedException {
        long deadline = System.nanoTime() + 60_000_000_000L;
        while (h.status().have() < pieces && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
        assertTrue(h.status().have() >= pieces, h.status()::toString);
    }

    private static void awaitPicker(TorrentHandle h, String name) throws InterruptedException {
        long deadline = System.nanoTime() + 30_000_000_000L;
        while (!name.equals(h.status().picker()) && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
        assertEquals(name, h.status().picker());
    }

    private Path data() throws Exception {
        Path data = dir.resolve("origin/swap.bin");
        Interop.randomFile(data, 24L * 1024 * 1024 + 5, 99);
        return data;
    }

    private Path torrent(Path data) throws Exception {
        return v1Torrent(data, dir.resolve("swap.torrent"));
    }

    /** Writes a v1 torrent of {@code data} with 256 KiB pieces to {@code file}. */
    static Path v1Torrent(Path data, Path file) throws Exception {
        Files.write(file, TorrentCreator.forSource(data).version(Torrent.Version.V1).pieceLength(256 * 1024)
                .creationDate(null).create());
        return file;
    }

    private Engine engine() throws Exception {
        return SwarmInteropTest.factory.create(EngineSettings.defaults()
                .withBind(InetAddress.getLoopbackAddress(), 0).withStateDir(dir.resolve("state")));
    }

    static void assertSameData(Path original, Path copy) throws Exception {
        MessageDigest md = MessageDigest.getInstance("SHA-256");
        assertArrayEquals(md.digest(Files.readAllBytes(original)), md.digest(Files.readAllBytes(copy)));
    }

    private static boolean offered(Engine engine, String name) {
        return engine.strategies().stream().anyMatch(s -> s.name().equals(name));
    }

    private static void awaitOffered(Engine engine, String name, boolean wanted) throws InterruptedException {
        long deadline = System.nanoTime() + 20_000_000_000L;
        while (offered(engine, name) != wanted && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
        assertEquals(wanted, offered(engine, name), name + (wanted ? " is offered" : " is gone"));
    }

    @Test
    void pickerInstalledFromItsJarSwitchedToAndUninstalledMidTransferWithoutDroppingTheConnection()
            throws Exception {
        Path data = data();
        Path torrentFile = torrent(data);
        Torrent torrent = Torrent.read(torrentFile);
        // the picker bundle starts out not installed; the test installs it from its jar like a user would
        bundle("org.stampede.picker.random").uninstall();
        Path jar = Interop.repo().resolve(
                "bundles/org.stampede.picker.random/target/org.stampede.picker.random-0.1.0-SNAPSHOT.jar");
        assertTrue(Files.isRegularFile(jar), jar::toString);
        Bundle choker = bundle("org.stampede.choker.ratebased");
        try (LibtorrentSeeder seeder = seed(torrentFile, data); Engine engine = engine()) {
            awaitOffered(engine, "random-first-then-rarest", false);
            TorrentHandle h = engine.add(torrent, dir.resolve("download"), AddOptions.defaults());
            h.checked().get(30, TimeUnit.SECONDS);
            h.connect(new InetSocketAddress("127.0.0.1", seeder.port()));
            awaitPieces(h, 4);
            Set<String> before = connected(h);
            assertEquals(1, before.size(), before::toString);

            Bundle picker = context().installBundle(jar.toUri().toString());
            picker.start(Bundle.START_ACTIVATION_POLICY);
            awaitOffered(engine, "random-first-then-rarest", true);
            h.switchStrategy(StrategyKind.PICKER, "random-first-then-rarest");
            h.switchStrategy(StrategyKind.CHOKER, "rate-based");
            assertEquals("random-first-then-rarest", h.status().picker());
            awaitPieces(h, h.status().have() + 4);
            assertEquals(before, connected(h), "connections survive the install and the switches");

            picker.uninstall(); // the bundles go away: their torrents fall back to the defaults
            choker.uninstall();
            awaitPicker(h, "rarest-first");
            assertEquals(before, connected(h), "connections survive the uninstalls");

            h.completion().get(120, TimeUnit.SECONDS);
            assertSameData(data, dir.resolve("download/swap.bin"));

            List<StrategyEvent> pickers = engine.strategyEvents().stream()
                    .filter(e -> e.infoHash().equals(h.infoHash()) && e.kind().equals(StrategyKind.PICKER)).toList();
            assertEquals(List.of("rarest-first", "random-first-then-rarest", "rarest-first"),
                    pickers.stream().map(StrategyEvent::name).toList(), pickers::toString);
            assertEquals(List.of("start", "switch"), pickers.subList(0, 2).stream().map(StrategyEvent::reason).toList());
            assertTrue(pickers.get(2).reason().contains("uninstalled"), pickers::toString);
            List<StrategyEvent> chokers = engine.strategyEvents().stream()
                    .filter(e -> e.infoHash().equals(h.infoHash()) && e.kind().equals(StrategyKind.CHOKER)).toList();
            assertEquals(List.of("tit-for-tat", "rate-based", "tit-for-tat"),
                    chokers.stream().map(StrategyEvent::name).toList(), chokers::toString);
            // and from the engine's counters, both pickers decided for this torrent
            assertTrue(h.decisions().getOrDefault("picker/random-first-then-rarest", 0L) > 0, h.decisions()::toString);
            assertTrue(h.decisions().getOrDefault("picker/rarest-first", 0L) > 0, h.decisions()::toString);
        }
    }

    private void brokenPickerFallsBack(String faulty, String why) throws Exception {
        Path data = data();
        Path torrentFile = torrent(data);
        Torrent torrent = Torrent.read(torrentFile);
        try (LibtorrentSeeder seeder = seed(torrentFile, data); Engine engine = engine()) {
            TorrentHandle h = engine.add(torrent, dir.resolve("download"), AddOptions.defaults());
            h.checked().get(30, TimeUnit.SECONDS);
            h.connect(new InetSocketAddress("127.0.0.1", seeder.port()));
            awaitPieces(h, 4);
            Set<String> before = connected(h);
            h.switchStrategy(StrategyKind.PICKER, faulty);
            awaitPicker(h, "rarest-first");
            assertEquals(before, connected(h), "the broken strategy cost no connection");
            h.completion().get(120, TimeUnit.SECONDS);
            assertSameData(data, dir.resolve("download/swap.bin"));
            StrategyEvent last = engine.strategyEvents().stream()
                    .filter(e -> e.kind().equals(StrategyKind.PICKER)).reduce((a, b) -> b).orElseThrow();
            assertEquals("rarest-first", last.name());
            assertTrue(last.reason().startsWith("fallback from " + faulty) && last.reason().contains(why),
                    last::toString);
        }
    }

    @Test
    void pickerThatThrowsIsIsolatedAndTheTorrentFallsBackToTheDefault() throws Exception {
        brokenPickerFallsBack("faulty-throws", "deliberate failure");
    }

    @Test
    void pickerThatOverrunsItsTimeBudgetIsIsolatedAndTheTorrentFallsBackToTheDefault() throws Exception {
        brokenPickerFallsBack("faulty-slow", "time budget");
    }
}
