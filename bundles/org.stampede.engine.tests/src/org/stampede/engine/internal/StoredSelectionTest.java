package org.stampede.engine.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.stampede.api.PiecePickerFactory;
import org.stampede.api.StrategyKind;
import org.stampede.engine.AddOptions;
import org.stampede.engine.StrategyEvent;
import org.stampede.engine.TorrentHandle;
import org.stampede.metainfo.Torrent;
import org.stampede.metainfo.TorrentCreator;
import org.stampede.testing.interop.Interop;

/**
 * The engine's side of per-torrent strategy selection: a torrent starts with its stored choice (or the default, saying
 * so, when that strategy is not installed), and a user's choice is stored again while the engine's own fallbacks are
 * not. The store is an in-memory stand-in for ConfigurationAdmin.
 */
@Timeout(value = 60, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class StoredSelectionTest {
    @TempDir
    Path dir;

    /** Remembers in a map, and records every save. */
    static final class MemoryStore implements SelectionStore {
        final Map<String, Map<String, String>> stored = new ConcurrentHashMap<>();
        final List<String> saves = new CopyOnWriteArrayList<>();

        @Override
        public Map<String, String> load(String infoHash) {
            return Map.copyOf(stored.getOrDefault(infoHash, Map.of()));
        }

        @Override
        public void save(String infoHash, String kind, String name) {
            saves.add(kind + "=" + name);
            stored.computeIfAbsent(infoHash, k -> new ConcurrentHashMap<>()).put(kind, name);
        }
    }

    private final MemoryStore store = new MemoryStore();
    private final StrategyRegistry registry = TestStrategies.registry();
    private final PiecePickerFactory other = t -> new TestStrategies.InOrder();

    private Torrent torrent() throws Exception {
        Path data = dir.resolve("seed/data.bin");
        Interop.randomFile(data, 300_000, 5);
        return Torrent.parse(TorrentCreator.forSource(data).version(Torrent.Version.V1).pieceLength(64 * 1024)
                .creationDate(null).create());
    }

    private static String infoHash(Torrent t) {
        return java.util.HexFormat.of().formatHex(t.infoHashV1().bytes());
    }

    private EngineImpl engine() throws Exception {
        registry.add(new StrategyRegistry.Entry(StrategyKind.PICKER, "other-order", other, "test", "0", "test"));
        return TestEngines.create(LoopbackSwarmTest.settings(dir.resolve("state")), registry, u -> null, EventSink.NONE,
                store);
    }

    private static TorrentHandle started(EngineImpl e, Torrent t, Path dir, AddOptions o) throws Exception {
        TorrentHandle h = e.add(t, dir, o);
        h.checked().get(30, TimeUnit.SECONDS);
        return h;
    }

    private static List<StrategyEvent> pickerEvents(EngineImpl e) {
        return e.strategyEvents().stream().filter(ev -> ev.kind().equals(StrategyKind.PICKER)).toList();
    }

    @Test
    void torrentStartsWithItsStoredPicker() throws Exception {
        Torrent t = torrent();
        store.stored.put(infoHash(t), Map.of(StrategyKind.PICKER, "other-order"));
        try (EngineImpl e = engine()) {
            TorrentHandle h = started(e, t, dir.resolve("seed"), AddOptions.defaults());
            assertEquals("other-order", h.status().picker());
            assertEquals("start (stored selection)", pickerEvents(e).get(0).reason());
        }
    }

    @Test
    void storedPickerThatIsNotInstalledGivesTheDefaultWithAnEventSayingSo() throws Exception {
        Torrent t = torrent();
        store.stored.put(infoHash(t), Map.of(StrategyKind.PICKER, "gone"));
        try (EngineImpl e = engine()) {
            TorrentHandle h = started(e, t, dir.resolve("seed"), AddOptions.defaults());
            assertEquals("in-order", h.status().picker());
            StrategyEvent first = pickerEvents(e).get(0);
            assertEquals("in-order", first.name());
            assertTrue(first.reason().contains("'gone' is not installed"), first::toString);
            assertEquals(List.of(), store.saves, "the stored choice stays for when the strategy is back");
        }
    }

    @Test
    void switchingAStrategyStoresItForTheTorrent() throws Exception {
        Torrent t = torrent();
        try (EngineImpl e = engine()) {
            TorrentHandle h = started(e, t, dir.resolve("seed"), AddOptions.defaults());
            h.switchStrategy(StrategyKind.PICKER, "other-order");
            assertEquals(Map.of(StrategyKind.PICKER, "other-order"), store.load(infoHash(t)));
        }
    }

    @Test
    void strategyNamedWhenAddingIsStoredForTheTorrent() throws Exception {
        Torrent t = torrent();
        try (EngineImpl e = engine()) {
            started(e, t, dir.resolve("seed"), AddOptions.defaults().withStrategies("other-order", null));
            assertEquals(List.of("picker=other-order"), store.saves);
        }
    }

    @Test
    void torrentAddedWithDefaultsStoresNothing() throws Exception {
        Torrent t = torrent();
        try (EngineImpl e = engine()) {
            started(e, t, dir.resolve("seed"), AddOptions.defaults());
            assertEquals(List.of(), store.saves);
        }
    }

    @Test
    void strategyNamedWhenAddingThatIsNotInstalledPutsTheTorrentInErrorAndStoresNothing() throws Exception {
        Torrent t = torrent();
        try (EngineImpl e = engine()) {
            TorrentHandle h = e.add(t, dir.resolve("seed"), AddOptions.defaults().withStrategies("nope", null));
            java.util.concurrent.ExecutionException failed = assertThrows(
                    java.util.concurrent.ExecutionException.class, () -> h.checked().get(30, TimeUnit.SECONDS));
            assertTrue(failed.getCause().getMessage().contains("'nope'"), failed::toString);
            assertEquals(org.stampede.engine.TorrentStatus.State.ERROR, h.status().state());
            assertEquals(List.of(), store.saves);
        }
    }

    @Test
    void fallbackWhenAStrategyIsUninstalledIsNotStored() throws Exception {
        Torrent t = torrent();
        try (EngineImpl e = engine()) {
            TorrentHandle h = started(e, t, dir.resolve("seed"), AddOptions.defaults());
            h.switchStrategy(StrategyKind.PICKER, "other-order");
            registry.remove(StrategyKind.PICKER, "other-order", other);
            assertEquals("in-order", h.status().picker());
            assertEquals(List.of("picker=other-order"), store.saves);
        }
    }
}
