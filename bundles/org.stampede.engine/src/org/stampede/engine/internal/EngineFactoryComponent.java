package org.stampede.engine.internal;

import java.io.IOException;
import java.net.URI;
import java.util.Dictionary;
import java.util.Hashtable;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.Constants;
import org.osgi.framework.FrameworkUtil;
import org.osgi.framework.ServiceRegistration;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.component.annotations.ReferencePolicyOption;
import org.osgi.service.event.Event;
import org.osgi.service.event.EventAdmin;
import org.stampede.api.ChokerFactory;
import org.stampede.api.PiecePickerFactory;
import org.stampede.api.StrategyDescription;
import org.stampede.api.StrategyKind;
import org.stampede.api.StrategyName;
import org.stampede.engine.Engine;
import org.stampede.engine.EngineFactory;
import org.stampede.engine.EngineSettings;
import org.stampede.spi.Extension;
import org.stampede.spi.PeerSource;
import org.stampede.spi.Transport;
import org.stampede.spi.TransportLayer;
import org.stampede.tracker.TrackerClient;
import org.stampede.tracker.TrackerClientFactory;

/**
 * The engine bundle's service: keeps the installed strategies, transports, transport layers, peer sources,
 * extensions and tracker clients current from service events (dynamic, greedy references, so a new or better one is
 * taken at once and a departing one is let go) and makes engines that use them. Plug-ins are resolved here, when
 * they come and go, never on a per-block path. Each engine it makes is registered as an {@link Engine} service while
 * it runs, so that other bundles can reach the session and its torrents.
 */
@Component(service = EngineFactory.class)
public final class EngineFactoryComponent implements EngineFactory {
    /** How long {@link #create} waits for a first transport when none is installed yet (bundles starting). */
    static final long TRANSPORT_WAIT_MILLIS = 10_000;

    private final StrategyRegistry registry = new StrategyRegistry();
    private final Plugins plugins = new Plugins();
    private final Map<String, TrackerClientFactory> trackers = new ConcurrentHashMap<>();
    private BundleContext context;

    /** Engine state changes go out through EventAdmin when one is installed (the UI listens). */
    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    volatile EventAdmin eventAdmin;

    /**
     * The per-torrent strategy selections, kept in ConfigurationAdmin by {@link EngineConfigurationComponent} when
     * ConfigurationAdmin is installed; without it nothing is remembered.
     */
    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    volatile SelectionStore selections;

    private final SelectionStore currentSelections = new SelectionStore() {
        @Override
        public Map<String, String> load(String infoHash) {
            SelectionStore s = selections;
            return s == null ? Map.of() : s.load(infoHash);
        }

        @Override
        public void save(String infoHash, String kind, String name) {
            SelectionStore s = selections;
            if (s != null) {
                s.save(infoHash, kind, name);
            }
        }
    };

    @Activate
    void activate(BundleContext bundleContext) {
        this.context = bundleContext;
    }

    @Override
    public Engine create(EngineSettings settings) throws IOException {
        awaitTransport();
        EngineImpl engine = new EngineImpl(settings, registry, plugins, this::trackerFor, (topic, properties) -> {
            EventAdmin admin = eventAdmin;
            if (admin != null) {
                admin.postEvent(new Event(topic, properties));
            }
        }, currentSelections);
        BundleContext bc = context;
        if (bc != null) {
            Dictionary<String, Object> props = new Hashtable<>();
            props.put("stampede.listenPort", engine.listenAddress().getPort());
            try {
                ServiceRegistration<Engine> reg = bc.registerService(Engine.class, engine, props);
                engine.onClose(() -> {
                    try {
                        reg.unregister();
                    } catch (IllegalStateException e) {
                        // already gone with the bundle
                    }
                });
            } catch (IllegalStateException e) {
                // the bundle is stopping: the engine still works, unlisted
            }
        }
        return engine;
    }

    /** Bundles start in no fixed order: gives a transport being activated a bounded time to arrive. */
    private void awaitTransport() {
        long deadline = System.nanoTime() + TRANSPORT_WAIT_MILLIS * 1_000_000;
        while (plugins.transports().isEmpty() && System.nanoTime() < deadline) {
            try {
                Thread.sleep(10);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    private TrackerClient trackerFor(URI url) {
        String scheme = url.getScheme() == null ? "" : url.getScheme().toLowerCase(Locale.ROOT);
        TrackerClientFactory f = trackers.get(scheme);
        return f == null ? null : f.create(url);
    }

    @Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    void addPicker(PiecePickerFactory factory, Map<String, Object> props) {
        registry.add(entry(StrategyKind.PICKER, factory, props));
    }

    void removePicker(PiecePickerFactory factory, Map<String, Object> props) {
        registry.remove(StrategyKind.PICKER, name(props), factory);
    }

    @Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    void addChoker(ChokerFactory factory, Map<String, Object> props) {
        registry.add(entry(kind(props), factory, props));
    }

    void removeChoker(ChokerFactory factory, Map<String, Object> props) {
        registry.remove(kind(props), name(props), factory);
    }

    @Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    void addTracker(TrackerClientFactory factory) {
        Bundle b = FrameworkUtil.getBundle(factory.getClass());
        for (String scheme : factory.schemes()) {
            trackers.put(scheme.toLowerCase(Locale.ROOT), factory);
            plugins.addTrackerClient(factory, scheme.toLowerCase(Locale.ROOT), bundleName(b), bundleVersion(b));
        }
    }

    void removeTracker(TrackerClientFactory factory) {
        trackers.values().removeIf(f -> f == factory);
        plugins.removeTrackerClient(factory);
    }

    @Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    void addTransport(Transport t, Map<String, Object> props) {
        Bundle b = FrameworkUtil.getBundle(t.getClass());
        plugins.addTransport(t, ranking(props), bundleName(b), bundleVersion(b));
    }

    void removeTransport(Transport t) {
        plugins.removeTransport(t);
    }

    @Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    void addLayer(TransportLayer l, Map<String, Object> props) {
        Bundle b = FrameworkUtil.getBundle(l.getClass());
        plugins.addLayer(l, ranking(props), bundleName(b), bundleVersion(b));
    }

    void removeLayer(TransportLayer l) {
        plugins.removeLayer(l);
    }

    @Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    void addSource(PeerSource s, Map<String, Object> props) {
        Bundle b = FrameworkUtil.getBundle(s.getClass());
        plugins.addSource(s, ranking(props), bundleName(b), bundleVersion(b));
    }

    void removeSource(PeerSource s) {
        plugins.removeSource(s);
    }

    @Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    void addExtension(Extension x, Map<String, Object> props) {
        Bundle b = FrameworkUtil.getBundle(x.getClass());
        plugins.addExtension(x, ranking(props), bundleName(b), bundleVersion(b));
    }

    void removeExtension(Extension x) {
        plugins.removeExtension(x);
    }

    private static int ranking(Map<String, Object> props) {
        return props.get(Constants.SERVICE_RANKING) instanceof Integer i ? i : 0;
    }

    private static String bundleName(Bundle b) {
        return b == null ? "?" : b.getSymbolicName();
    }

    private static String bundleVersion(Bundle b) {
        return b == null ? "?" : b.getVersion().toString();
    }

    private static String name(Map<String, Object> props) {
        return String.valueOf(props.get(StrategyName.NAME));
    }

    private static String kind(Map<String, Object> props) {
        Object k = props.get(StrategyKind.NAME);
        return k == null ? StrategyKind.CHOKER : String.valueOf(k);
    }

    private static StrategyRegistry.Entry entry(String kind, Object factory, Map<String, Object> props) {
        Bundle b = FrameworkUtil.getBundle(factory.getClass());
        Object description = props.get(StrategyDescription.NAME);
        return new StrategyRegistry.Entry(kind, name(props), factory, bundleName(b), bundleVersion(b),
                description == null ? "" : description.toString());
    }
}
