package org.stampede.integration.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.util.Collection;
import java.util.Hashtable;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.osgi.framework.BundleContext;
import org.osgi.framework.FrameworkUtil;
import org.osgi.framework.ServiceReference;
import org.osgi.service.cm.Configuration;
import org.osgi.service.cm.ConfigurationAdmin;
import org.osgi.util.tracker.ServiceTracker;
import org.stampede.engine.AddOptions;
import org.stampede.engine.Engine;
import org.stampede.engine.EngineSettings;
import org.stampede.engine.PeerStatus;
import org.stampede.engine.PluginInfo;
import org.stampede.engine.TorrentHandle;
import org.stampede.metainfo.Torrent;
import org.stampede.testing.interop.Interop;
import org.stampede.testing.plugins.EchoExtension;
import org.stampede.testing.plugins.FixedPeerSource;
import org.stampede.testing.plugins.MemoryTransport;
import org.stampede.testing.plugins.XorLayer;

/**
 * Transports, transport layers, extensions and peer sources installed and removed while torrents run, in a real
 * framework through Declarative Services: the test plug-ins of {@code org.stampede.testing.plugins} come and go
 * with their configurations, as a bundle's services do when it is installed or uninstalled.
 */
@Timeout(value = 240, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class PluginServicesTest {
    private static final String MEMORY = "org.stampede.testing.plugins.memory";
    private static final String XOR = "org.stampede.testing.plugins.xor";
    private static final String ECHO = "org.stampede.testing.plugins.echo";
    private static final String PEERS = "org.stampede.testing.plugins.peers";

    private static ConfigurationAdmin admin;

    @TempDir
    Path dir;

    @BeforeAll
    static void framework() throws Exception {
        SwarmInteropTest.framework();
        ServiceTracker<ConfigurationAdmin, ConfigurationAdmin> t = new ServiceTracker<>(context(),
                ConfigurationAdmin.class, null);
        t.open();
        admin = t.waitForService(20_000);
        assertNotNull(admin, "ConfigurationAdmin is running");
    }

    /** Every test plug-in goes away again: the next test (and every other test class) runs without them. */
    @AfterEach
    void removePlugins() throws Exception {
        for (String pid : List.of(MEMORY, XOR, ECHO, PEERS)) {
            Configuration c = admin.getConfiguration(pid, "?");
            c.delete();
        }
    }

    private static BundleContext context() {
        return FrameworkUtil.getBundle(PluginServicesTest.class).getBundleContext();
    }

    private static void install(String pid, Map<String, Object> properties) throws Exception {
        admin.getConfiguration(pid, "?").update(new Hashtable<>(properties));
    }

    private static void uninstall(String pid) throws Exception {
        admin.getConfiguration(pid, "?").delete();
    }

    private static void await(BooleanSupplier condition, String what) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out waiting until " + what);
            }
            Thread.sleep(20);
        }
    }

    /** Installs the XOR layer and waits until both engines wrap their transports in it. */
    private static void installXor(Engine seeder, Engine leecher) throws Exception {
        install(XOR, Map.of("installed", "by the test"));
        await(() -> offers(leecher, PluginInfo.TRANSPORT_LAYER, XorLayer.NAME)
                && offers(seeder, PluginInfo.TRANSPORT_LAYER, XorLayer.NAME), "both engines have the layer");
    }

    private static boolean offers(Engine e, String kind, String id) {
        return e.plugins().stream().anyMatch(p -> p.kind().equals(kind) && p.id().equals(id)
                && p.state().equals("active"));
    }

    private Engine engine(String name) throws Exception {
        return SwarmInteropTest.factory.create(EngineSettings.defaults()
                .withBind(InetAddress.getLoopbackAddress(), 0).withStateDir(dir.resolve("state-" + name)));
    }

    private Path data(long size) throws Exception {
        Path data = dir.resolve("origin/plug.bin");
        Interop.randomFile(data, size, 5);
        return data;
    }

    private Path torrentFile(Path data) throws Exception {
        return HotSwapTest.v1Torrent(data, dir.resolve("plug.torrent"));
    }

    private static String address(Engine e) {
        InetSocketAddress a = e.listenAddress();
        return a.getAddress().getHostAddress() + ":" + a.getPort();
    }

    private static Optional<PeerStatus> peer(TorrentHandle h, String address) {
        return h.peers().stream().filter(p -> p.address().equals(address)).findFirst();
    }


    @Test
    void everyPluginServiceIsListedWithItsKindAndBundleAndEachEngineIsAService() throws Exception {
        try (Engine e = engine("list")) {
            List<PluginInfo> plugins = e.plugins();
            assertTrue(plugins.contains(new PluginInfo("tcp", PluginInfo.TRANSPORT, "org.stampede.transport.tcp",
                    plugins.stream().filter(p -> p.id().equals("tcp")).findFirst().orElseThrow().version(),
                    "active")), plugins::toString);
            assertTrue(offers(e, PluginInfo.PEER_SOURCE, "tracker"), plugins::toString);
            assertTrue(offers(e, PluginInfo.TRACKER_CLIENT, "udp"), plugins::toString);
            assertTrue(offers(e, PluginInfo.TRACKER_CLIENT, "http"), plugins::toString);
            assertTrue(offers(e, "picker", "rarest-first"), plugins::toString);
            Collection<ServiceReference<Engine>> refs = context().getServiceReferences(Engine.class,
                    "(stampede.listenPort=" + e.listenAddress().getPort() + ")");
            assertEquals(1, refs.size(), "the engine is registered as a service while it runs");
        }
        assertEquals(0, context().getServiceReferences(Engine.class, null).stream()
                .filter(r -> r.getBundle() != null).count(), "and unregistered when closed");
    }

    @Test
    void aTransportInstalledMidTransferIsDialedFirstAndItsRemovalClosesOnlyItsOwnConnections() throws Exception {
        Path data = data(16L * 1024 * 1024 + 7);
        Path torrentFile = torrentFile(data);
        Torrent torrent = Torrent.read(torrentFile);
        try (LibtorrentSeeder lt = LibtorrentSeeder.start(torrentFile, data, 1_500_000);
                Engine seeder = engine("seed"); Engine leecher = engine("leech")) {
            seeder.add(torrent, data.getParent(), AddOptions.defaults().withLimits(0, 1_500_000)).checked()
                    .get(30, TimeUnit.SECONDS);
            TorrentHandle h = leecher.add(torrent, dir.resolve("download"), AddOptions.defaults());
            h.checked().get(30, TimeUnit.SECONDS);

            install(MEMORY, Map.of("installed", "by the test"));
            await(() -> offers(leecher, PluginInfo.TRANSPORT, MemoryTransport.KIND)
                    && offers(seeder, PluginInfo.TRANSPORT, MemoryTransport.KIND), "both engines listen on mem");
            String stampede = address(seeder);
            String libtorrent = "127.0.0.1:" + lt.port();
            h.connect(seeder.listenAddress());
            h.connect(new InetSocketAddress("127.0.0.1", lt.port()));
            await(() -> peer(h, stampede).isPresent() && peer(h, libtorrent).isPresent(), "both peers connected");
            assertEquals(MemoryTransport.KIND, peer(h, stampede).orElseThrow().transport(),
                    "the higher-ranked transport is dialed first");
            assertEquals("tcp", peer(h, libtorrent).orElseThrow().transport(), "mem cannot reach libtorrent: TCP");
            await(() -> h.status().have() >= 8, "some pieces");
            long fromLibtorrent = peer(h, libtorrent).orElseThrow().downloaded();

            uninstall(MEMORY);
            await(() -> !offers(leecher, PluginInfo.TRANSPORT, MemoryTransport.KIND), "mem is gone");
            await(() -> peer(h, stampede).isEmpty(), "the mem connection closed");
            PeerStatus still = peer(h, libtorrent).orElseThrow(() -> new AssertionError("the TCP peer was dropped"));
            assertTrue(still.downloaded() >= fromLibtorrent, "the same TCP connection goes on: " + still);

            h.connect(seeder.listenAddress());
            await(() -> peer(h, stampede).map(p -> p.transport().equals("tcp")).orElse(false),
                    "the Stampede seeder is reached again, over TCP now");
            h.completion().get(120, TimeUnit.SECONDS);
            HotSwapTest.assertSameData(data, dir.resolve("download/plug.bin"));
        }
    }

    @Test
    void aTransportLayerInstalledAtRunTimeWrapsTheConnectionsOfBothEnds() throws Exception {
        Path data = data(4L * 1024 * 1024 + 3);
        Torrent torrent = Torrent.read(torrentFile(data));
        try (Engine seeder = engine("seed"); Engine leecher = engine("leech")) {
            installXor(seeder, leecher);
            seeder.add(torrent, data.getParent(), AddOptions.defaults()).checked().get(30, TimeUnit.SECONDS);
            TorrentHandle h = leecher.add(torrent, dir.resolve("download"), AddOptions.defaults());
            h.checked().get(30, TimeUnit.SECONDS);
            h.connect(seeder.listenAddress());
            await(() -> peer(h, address(seeder)).isPresent(), "connected through the layer");
            PeerStatus p = peer(h, address(seeder)).orElseThrow();
            assertTrue(p.encrypted(), p::toString);
            assertEquals("tcp", p.transport(), "a layer keeps its transport's kind");
            h.completion().get(120, TimeUnit.SECONDS);
            HotSwapTest.assertSameData(data, dir.resolve("download/plug.bin"));
        }
    }

    @Test
    void uninstallingATransportLayerClosesTheConnectionsThroughItAndThePeerIsReachedWithoutIt() throws Exception {
        Path data = data(8L * 1024 * 1024 + 3);
        Torrent torrent = Torrent.read(torrentFile(data));
        try (Engine seeder = engine("seed"); Engine leecher = engine("leech")) {
            installXor(seeder, leecher);
            seeder.add(torrent, data.getParent(), AddOptions.defaults().withLimits(0, 1_000_000)).checked()
                    .get(30, TimeUnit.SECONDS);
            TorrentHandle h = leecher.add(torrent, dir.resolve("download"), AddOptions.defaults());
            h.checked().get(30, TimeUnit.SECONDS);
            h.connect(seeder.listenAddress());
            await(() -> peer(h, address(seeder)).map(PeerStatus::encrypted).orElse(false), "connected through xor");
            await(() -> h.status().have() >= 2, "some pieces through the layer");

            uninstall(XOR);
            await(() -> !offers(leecher, PluginInfo.TRANSPORT_LAYER, XorLayer.NAME), "the layer is gone");
            await(() -> peer(h, address(seeder)).map(p -> !p.encrypted()).orElse(true),
                    "no connection through the departed layer is left");
            assertTrue(h.status().have() < torrent.pieceCount(), "closed by the uninstall, not by completion: "
                    + h.status());
            h.connect(seeder.listenAddress());
            await(() -> peer(h, address(seeder)).map(p -> !p.encrypted()).orElse(false), "reached again, plain");
            h.completion().get(120, TimeUnit.SECONDS);
            HotSwapTest.assertSameData(data, dir.resolve("download/plug.bin"));
        }
    }

    @Test
    void anExtensionIsOfferedByItsNameAndExchangesMessagesWithAPeerThatHasItToo() throws Exception {
        Path data = data(1024 * 1024);
        Torrent torrent = Torrent.read(torrentFile(data));
        EchoExtension.received().clear();
        EchoExtension.closed().clear();
        install(ECHO, Map.of("installed", "by the test"));
        try (Engine seeder = engine("seed"); Engine leecher = engine("leech")) {
            await(() -> offers(leecher, PluginInfo.EXTENSION, EchoExtension.NAME), "the extension is installed");
            seeder.add(torrent, data.getParent(), AddOptions.defaults()).checked().get(30, TimeUnit.SECONDS);
            TorrentHandle h = leecher.add(torrent, dir.resolve("download"), AddOptions.defaults().withLimits(0, 0));
            h.checked().get(30, TimeUnit.SECONDS);
            h.connect(seeder.listenAddress());
            String hash = h.infoHash();
            await(() -> EchoExtension.received().contains(hash + ": hello from " + seeder.listenAddress().getPort())
                    && EchoExtension.received().contains(hash + ": hello from " + leecher.listenAddress().getPort()),
                    "each side got the other's greeting: " + EchoExtension.received());
            uninstall(ECHO);
            await(() -> EchoExtension.closed().size() >= 2, "both connections' handlers are closed on removal");
            h.completion().get(60, TimeUnit.SECONDS);
        }
    }

    @Test
    void aPeerSourceFindsTheSeederAndAFloodOfAddressesStaysWithinThePeerListBound() throws Exception {
        Path data = data(2L * 1024 * 1024);
        Torrent torrent = Torrent.read(torrentFile(data));
        assertTrue(torrent.trackers().isEmpty(), "no tracker: the peer source is the only way to the seeder");
        try (Engine seeder = engine("seed"); Engine leecher = engine("leech")) {
            seeder.add(torrent, data.getParent(), AddOptions.defaults()).checked().get(30, TimeUnit.SECONDS);
            int started = FixedPeerSource.started();
            install(PEERS, Map.of("peers", address(seeder), "flood", "20000"));
            await(() -> offers(leecher, PluginInfo.PEER_SOURCE, FixedPeerSource.NAME), "the source is installed");
            TorrentHandle h = leecher.add(torrent, dir.resolve("download"), AddOptions.defaults());
            h.checked().get(30, TimeUnit.SECONDS);
            await(() -> FixedPeerSource.started() > started, "the source was started for the torrent");
            assertTrue(h.knownPeers() <= 4000, "the list stays within its bound: " + h.knownPeers());
            h.completion().get(120, TimeUnit.SECONDS);
            HotSwapTest.assertSameData(data, dir.resolve("download/plug.bin"));
            int stopped = FixedPeerSource.stopped();
            uninstall(PEERS);
            await(() -> FixedPeerSource.stopped() > stopped, "the torrents' lookups stop when the source goes");
        }
    }
}
