package org.stampede.engine.internal;

import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;

import org.stampede.api.ChokerFactory;
import org.stampede.api.PiecePickerFactory;
import org.stampede.api.StrategyKind;

/**
 * The strategies installed right now, by kind and name; filled by the DS component from service events (or by
 * hand outside OSGi). Looked up only when a torrent starts or switches, never per block.
 */
final class StrategyRegistry {
    /** What is known of an installed strategy. */
    record Entry(String kind, String name, Object factory, String bundle, String version, String description) {
    }

    private final Map<String, Entry> entries = new ConcurrentHashMap<>();
    private final List<Consumer<Entry>> removalListeners = new CopyOnWriteArrayList<>();

    private static String key(String kind, String name) {
        return kind + "/" + name;
    }

    void add(Entry e) {
        if (StrategyKind.PICKER.equals(e.kind) && !(e.factory instanceof PiecePickerFactory)
                || !StrategyKind.PICKER.equals(e.kind) && !(e.factory instanceof ChokerFactory)) {
            throw new IllegalArgumentException(e.name + ": a " + e.kind + " must be a "
                    + (StrategyKind.PICKER.equals(e.kind) ? "PiecePickerFactory" : "ChokerFactory"));
        }
        entries.put(key(e.kind, e.name), e);
    }

    /** Removes a strategy whose service went away; torrents using it fall back to the default. */
    void remove(String kind, String name, Object factory) {
        Entry e = entries.get(key(kind, name));
        if (e != null && e.factory == factory && entries.remove(key(kind, name), e)) {
            removalListeners.forEach(l -> l.accept(e));
        }
    }

    void onRemoval(Consumer<Entry> listener) {
        removalListeners.add(listener);
    }

    void removeListener(Consumer<Entry> listener) {
        removalListeners.remove(listener);
    }

    Entry get(String kind, String name) {
        return entries.get(key(kind, name));
    }

    List<Entry> all() {
        return entries.values().stream()
                .sorted((a, b) -> (a.kind + a.name).compareTo(b.kind + b.name)).toList();
    }
}
