package org.stampede.integration.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Hashtable;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.FrameworkUtil;
import org.osgi.framework.ServiceReference;
import org.osgi.service.cm.Configuration;
import org.osgi.service.cm.ConfigurationAdmin;
import org.osgi.service.metatype.AttributeDefinition;
import org.osgi.service.metatype.MetaTypeInformation;
import org.osgi.service.metatype.MetaTypeService;
import org.osgi.service.metatype.ObjectClassDefinition;
import org.osgi.util.tracker.ServiceTracker;
import org.stampede.api.StrategyKind;
import org.stampede.engine.AddOptions;
import org.stampede.engine.Engine;
import org.stampede.engine.EngineConfiguration;
import org.stampede.engine.EngineFactory;
import org.stampede.engine.EngineSettings;
import org.stampede.engine.StrategyEvent;
import org.stampede.engine.TorrentHandle;
import org.stampede.metainfo.Torrent;
import org.stampede.metainfo.TorrentCreator;
import org.stampede.testing.interop.Interop;

/**
 * Strategy and engine selection through ConfigurationAdmin in a running framework: the session defaults (PID
 * {@code org.stampede.engine}, described by Metatype) reach engines made afterwards, and a torrent's switched strategy
 * is stored in its {@code org.stampede.torrent} configuration and applied when the torrent is added again to a new
 * engine (a restart of the client).
 */
@Timeout(value = 120, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class EngineConfigurationTest {
    /** The runtime services the engine bundle works with; the test runtime installs them but starts none. */
    static final List<String> RUNTIME = List.of("org.apache.felix.scr", "org.eclipse.equinox.event",
            "org.apache.felix.configadmin", "org.apache.felix.metatype");

    private static ServiceTracker<EngineConfiguration, EngineConfiguration> configurations;
    private static EngineFactory factory;
    private static ConfigurationAdmin admin;
    private static MetaTypeService metatype;

    @TempDir
    Path dir;

    private static BundleContext context() {
        return FrameworkUtil.getBundle(EngineConfigurationTest.class).getBundleContext();
    }

    /** Starts SCR, EventAdmin, ConfigurationAdmin, Metatype and the Stampede bundles. */
    static void startFramework() throws Exception {
        BundleContext context = context();
        for (Bundle b : context.getBundles()) {
            if (RUNTIME.contains(b.getSymbolicName())) {
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
    }

    private static <T> T await(Class<T> type) throws InterruptedException {
        ServiceTracker<T, T> t = new ServiceTracker<>(context(), type, null);
        t.open();
        T service = t.waitForService(20_000);
        assertNotNull(service, type.getSimpleName() + " is registered");
        return service;
    }

    @BeforeAll
    static void framework() throws Exception {
        startFramework();
        factory = await(EngineFactory.class);
        admin = await(ConfigurationAdmin.class);
        metatype = await(MetaTypeService.class);
        configurations = new ServiceTracker<>(context(), EngineConfiguration.class, null);
        configurations.open();
    }

    /** The configuration service now (SCR may replace the component when its configuration is deleted). */
    private static EngineConfiguration configuration() throws InterruptedException {
        EngineConfiguration c = configurations.waitForService(20_000);
        assertNotNull(c, "EngineConfiguration is registered");
        return c;
    }

    /**
     * Deletes the session configuration and every per-torrent selection, where ConfigurationAdmin is running: tests
     * that add the same torrent again start from the defaults.
     */
    static void forgetStoredConfiguration() throws Exception {
        BundleContext context = context();
        ServiceReference<ConfigurationAdmin> ref = context.getServiceReference(ConfigurationAdmin.class);
        ConfigurationAdmin a = ref == null ? null : context.getService(ref);
        if (a == null) {
            return;
        }
        try {
            Configuration[] all = a.listConfigurations("(|(service.pid=" + EngineConfiguration.PID
                    + ")(service.factoryPid=" + EngineConfiguration.TORRENT_FACTORY_PID + "))");
            for (Configuration c : all == null ? new Configuration[0] : all) {
                c.delete();
            }
        } finally {
            context.ungetService(ref);
        }
    }

    @BeforeEach
    @AfterEach
    void forget() throws Exception {
        forgetStoredConfiguration();
        awaitTrue(() -> settingsNow().equals(EngineSettings.defaults()), "the defaults are back");
    }

    private static EngineSettings settingsNow() {
        try {
            return configuration().settings();
        } catch (InterruptedException e) {
            throw new AssertionError(e);
        }
    }

    private static void awaitTrue(BooleanSupplier condition, String what) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out waiting until " + what);
            }
            Thread.sleep(20);
        }
    }

    private Torrent torrent() throws Exception {
        Path data = dir.resolve("seed/config.bin");
        Interop.randomFile(data, 600_000, 41);
        return Torrent.parse(TorrentCreator.forSource(data).version(Torrent.Version.V1).pieceLength(64 * 1024)
                .creationDate(null).create());
    }

    private Engine engine(EngineSettings settings, String name) throws Exception {
        return factory.create(settings.withBind(InetAddress.getLoopbackAddress(), 0)
                .withStateDir(dir.resolve("state-" + name)));
    }

    private TorrentHandle seed(Engine engine, Torrent torrent) throws Exception {
        TorrentHandle h = engine.add(torrent, dir.resolve("seed"), AddOptions.defaults());
        h.checked().get(30, TimeUnit.SECONDS);
        return h;
    }

    @Test
    void sessionPickerSetThroughConfigurationAdminIsUsedByAnEngineCreatedAfterwards() throws Exception {
        Configuration c = admin.getConfiguration(EngineConfiguration.PID, null);
        c.update(new Hashtable<>(Map.of(EngineConfiguration.PICKER, "sequential")));
        awaitTrue(() -> "sequential".equals(settingsNow().defaultPicker()), "SCR delivers the configuration");
        try (Engine engine = engine(configuration().settings(), "session")) {
            assertEquals("sequential", seed(engine, torrent()).status().picker());
        }
    }

    @Test
    void switchedPickerIsStoredForTheTorrentAndAppliedAfterARestart() throws Exception {
        Torrent torrent = torrent();
        String infoHash;
        try (Engine first = engine(EngineSettings.defaults(), "first")) {
            TorrentHandle h = seed(first, torrent);
            assertEquals("rarest-first", h.status().picker());
            h.switchStrategy(StrategyKind.PICKER, "sequential");
            infoHash = h.infoHash();
        }
        Configuration[] stored = admin.listConfigurations("(&(service.factoryPid="
                + EngineConfiguration.TORRENT_FACTORY_PID + ")(infoHash=" + infoHash + "))");
        assertNotNull(stored, "the torrent has a configuration");
        assertEquals(1, stored.length);
        assertEquals("sequential", stored[0].getProperties().get(EngineConfiguration.PICKER));

        try (Engine second = engine(EngineSettings.defaults(), "second")) {
            TorrentHandle h = seed(second, torrent);
            assertEquals("sequential", h.status().picker());
            StrategyEvent start = second.strategyEvents().stream()
                    .filter(e -> e.kind().equals(StrategyKind.PICKER)).findFirst().orElseThrow();
            assertEquals("start (stored selection)", start.reason());
        }
    }

    @Test
    void sessionSettingsStoredThroughTheServiceAreCheckedAndTyped() throws Exception {
        configuration().update(Map.of(EngineConfiguration.LISTEN_PORT, "7000"));
        assertEquals(7000, admin.getConfiguration(EngineConfiguration.PID, null).getProperties()
                .get(EngineConfiguration.LISTEN_PORT));
        assertThrows(IllegalArgumentException.class,
                () -> configuration().update(Map.of(EngineConfiguration.LISTEN_PORT, "seventy")));
        awaitTrue(() -> settingsNow().listenPort() == 7000, "SCR delivers the configuration");
    }

    @Test
    void metatypeDescribesEveryAttributeOfTheEngineConfiguration() {
        Bundle engine = FrameworkUtil.getBundle(EngineFactory.class);
        MetaTypeInformation info = metatype.getMetaTypeInformation(engine);
        assertNotNull(info, "the engine bundle has metatype information");
        assertTrue(Arrays.asList(info.getPids()).contains(EngineConfiguration.PID), Arrays.toString(info.getPids()));
        ObjectClassDefinition ocd = info.getObjectClassDefinition(EngineConfiguration.PID, null);
        AttributeDefinition[] ads = ocd.getAttributeDefinitions(ObjectClassDefinition.ALL);
        assertEquals(List.of("picker", "choker", "seedChoker", "listenPort", "maxPeersPerTorrent", "maxPeers",
                "uploadSlots", "downloadLimit", "uploadLimit", "downloadFolder", "activeDownloads", "activeSeeds"),
                Arrays.stream(ads).map(AttributeDefinition::getID).toList());
        for (AttributeDefinition ad : ads) {
            assertFalse(ad.getName() == null || ad.getName().isBlank(), ad.getID() + " has a name");
            assertFalse(ad.getDescription() == null || ad.getDescription().isBlank(), ad.getID() + " has a description");
        }
        assertEquals("rarest-first", ads[0].getDefaultValue()[0]);
        assertEquals(AttributeDefinition.INTEGER, ads[3].getType());
        assertEquals("3", ads[10].getDefaultValue()[0], "libtorrent's active_downloads");
        assertEquals("5", ads[11].getDefaultValue()[0], "libtorrent's active_seeds");
    }
}
