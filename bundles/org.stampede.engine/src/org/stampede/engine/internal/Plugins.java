package org.stampede.engine.internal;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import org.stampede.spi.Extension;
import org.stampede.spi.PeerSource;
import org.stampede.spi.Transport;
import org.stampede.spi.TransportLayer;

/**
 * The plug-in services installed right now besides strategies: transports, transport layers, peer sources and
 * extensions, each with its ranking and bundle. Filled by the DS component from service events (or by hand outside
 * OSGi); engines listen for changes and act on them (listen on a new transport, close a departing one's
 * connections, start a new peer source for their torrents). Read when connections are made and torrents start,
 * never per block.
 */
final class Plugins {
    /** An installed plug-in service. */
    record Entry<T>(T service, String id, int ranking, String bundle, String version) {
    }

    /** Hears of plug-ins coming and going; called on the thread of the change, outside any lock of the registry. */
    interface Listener {
        default void transportsChanged() {
        }

        default void sourceAdded(Entry<PeerSource> source) {
        }

        default void sourceRemoved(Entry<PeerSource> source) {
        }

        default void extensionsChanged() {
        }

        default void trackerClientsChanged() {
        }
    }

    private static final Comparator<Entry<?>> BY_RANK = Comparator.<Entry<?>>comparingInt(Entry::ranking).reversed();

    // each list is immutable and replaced whole under the registry's lock, so readers never see one half-changed
    private volatile List<Entry<Transport>> transports = List.of();
    private volatile List<Entry<TransportLayer>> layers = List.of();
    private volatile List<Entry<PeerSource>> sources = List.of();
    private volatile List<Entry<Extension>> extensions = List.of();
    /** Tracker client factories, by scheme: listed by {@code plugins}, used through the engine's lookup. */
    private volatile List<Entry<Object>> trackerClients = List.of();
    private final List<Listener> listeners = new CopyOnWriteArrayList<>();

    /** A registry holding these transports, as a test or an embedding program builds it. */
    static Plugins of(Transport... ts) {
        Plugins p = new Plugins();
        for (Transport t : ts) {
            p.addTransport(t, 0, "?", "?");
        }
        return p;
    }

    void addListener(Listener l) {
        listeners.add(l);
    }

    void removeListener(Listener l) {
        listeners.remove(l);
    }

    private static <T> List<Entry<T>> with(List<Entry<T>> list, Entry<T> e) {
        List<Entry<T>> copy = new ArrayList<>(list);
        copy.add(e);
        copy.sort(BY_RANK); // stable: of equal rankings, the first installed stays first
        return List.copyOf(copy);
    }

    private static <T> Entry<T> find(List<Entry<T>> list, T service) {
        for (Entry<T> e : list) {
            if (e.service == service) {
                return e;
            }
        }
        return null;
    }

    private static <T> List<Entry<T>> without(List<Entry<T>> list, Entry<T> e) {
        List<Entry<T>> copy = new ArrayList<>(list);
        copy.remove(e);
        return List.copyOf(copy);
    }

    void addTransport(Transport t, int ranking, String bundle, String version) {
        synchronized (this) {
            transports = with(transports, new Entry<>(t, t.kind(), ranking, bundle, version));
        }
        listeners.forEach(Listener::transportsChanged);
    }

    void removeTransport(Transport t) {
        synchronized (this) {
            Entry<Transport> e = find(transports, t);
            if (e == null) {
                return;
            }
            transports = without(transports, e);
        }
        listeners.forEach(Listener::transportsChanged);
    }

    void addLayer(TransportLayer l, int ranking, String bundle, String version) {
        synchronized (this) {
            layers = with(layers, new Entry<>(l, l.name(), ranking, bundle, version));
        }
        listeners.forEach(Listener::transportsChanged);
    }

    void removeLayer(TransportLayer l) {
        synchronized (this) {
            Entry<TransportLayer> e = find(layers, l);
            if (e == null) {
                return;
            }
            layers = without(layers, e);
        }
        listeners.forEach(Listener::transportsChanged);
    }

    void addSource(PeerSource s, int ranking, String bundle, String version) {
        Entry<PeerSource> e = new Entry<>(s, s.name(), ranking, bundle, version);
        synchronized (this) {
            sources = with(sources, e);
        }
        listeners.forEach(l -> l.sourceAdded(e));
    }

    void removeSource(PeerSource s) {
        Entry<PeerSource> e;
        synchronized (this) {
            e = find(sources, s);
            if (e == null) {
                return;
            }
            sources = without(sources, e);
        }
        listeners.forEach(l -> l.sourceRemoved(e));
    }

    void addExtension(Extension x, int ranking, String bundle, String version) {
        synchronized (this) {
            extensions = with(extensions, new Entry<>(x, x.name(), ranking, bundle, version));
        }
        listeners.forEach(Listener::extensionsChanged);
    }

    void removeExtension(Extension x) {
        synchronized (this) {
            Entry<Extension> e = find(extensions, x);
            if (e == null) {
                return;
            }
            extensions = without(extensions, e);
        }
        listeners.forEach(Listener::extensionsChanged);
    }

    void addTrackerClient(Object factory, String scheme, String bundle, String version) {
        synchronized (this) {
            trackerClients = with(trackerClients, new Entry<>(factory, scheme, 0, bundle, version));
        }
        listeners.forEach(Listener::trackerClientsChanged);
    }

    void removeTrackerClient(Object factory) {
        synchronized (this) {
            List<Entry<Object>> copy = new ArrayList<>(trackerClients);
            copy.removeIf(e -> e.service == factory);
            trackerClients = List.copyOf(copy);
        }
        listeners.forEach(Listener::trackerClientsChanged);
    }

    List<Entry<Object>> trackerClients() {
        return trackerClients;
    }

    /** Transports, highest ranking first. */
    List<Entry<Transport>> transports() {
        return transports;
    }

    /** Transport layers, highest ranking (outermost) first. */
    List<Entry<TransportLayer>> layers() {
        return layers;
    }

    List<Entry<PeerSource>> sources() {
        return sources;
    }

    /** Extensions, highest ranking first; of two with one name, the first is used. */
    List<Entry<Extension>> extensions() {
        return extensions;
    }
}
