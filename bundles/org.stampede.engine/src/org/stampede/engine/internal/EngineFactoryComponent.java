package org.stampede.engine.internal;

import java.io.IOException;
import java.net.URI;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import org.osgi.framework.Bundle;
import org.osgi.framework.FrameworkUtil;
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
import org.stampede.tracker.TrackerClient;
import org.stampede.tracker.TrackerClientFactory;

/**
 * The engine bundle's service: keeps the installed strategies and tracker clients current from service events
 * (dynamic, greedy references, so a new or better strategy is taken at once and a departing one is let go) and
 * makes engines that use them. Strategies are resolved here, when they come and go, never on a per-block path.
 */
@Component(service = EngineFactory.class)
public final class EngineFactoryComponent implements EngineFactory {
    private final StrategyRegistry registry = new StrategyRegistry();
    private final Map<String, TrackerClientFactory> trackers = new ConcurrentHashMap<>();

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

    @Override
    public Engine create(EngineSettings settings) throws IOException {
        return new EngineImpl(settings, registry, this::trackerFor, (topic, properties) -> {
            EventAdmin admin = eventAdmin;
            if (admin != null) {
                admin.postEvent(new Event(topic, properties));
            }
        }, currentSelections);
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
        for (String scheme : factory.schemes()) {
            trackers.put(scheme.toLowerCase(Locale.ROOT), factory);
        }
    }

    void removeTracker(TrackerClientFactory factory) {
        trackers.values().removeIf(f -> f == factory);
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
        return new StrategyRegistry.Entry(kind, name(props), factory, b == null ? "?" : b.getSymbolicName(),
                b == null ? "?" : b.getVersion().toString(), description == null ? "" : description.toString());
    }
}
