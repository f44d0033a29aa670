package org.stampede.cli.internal;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

import org.stampede.engine.PluginInfo;
import org.stampede.engine.StrategyInfo;

/** A fake client for the control channel tests: two torrents, a few strategies, bundles in a map. */
final class ControlFakes {
    static final String TOKEN = "0123456789abcdef".repeat(4);
    static final String HASH_A = "aaaa" + "0".repeat(36);
    static final String HASH_B = "aabb" + "1".repeat(36);

    private ControlFakes() {
    }

    /** Torrents and strategies in memory; a switch changes the torrent's slot and the strategies' users. */
    static class Target implements ControlTarget {
        final List<Torrent> torrents = new CopyOnWriteArrayList<>();
        final List<StrategyInfo> strategies = new CopyOnWriteArrayList<>();
        final List<String> switches = new CopyOnWriteArrayList<>();
        final java.util.Set<String> paused = ConcurrentHashMap.newKeySet();
        final List<PluginInfo> plugins = new CopyOnWriteArrayList<>(List.of(new PluginInfo("tcp",
                PluginInfo.TRANSPORT, "org.stampede.transport.tcp", "0.1.0", "active"), new PluginInfo("tracker",
                        PluginInfo.PEER_SOURCE, "org.stampede.engine", "0.1.0", "active")));

        Target() {
            torrents.add(new Torrent("alpha", HASH_A, "downloading", 0.25, "rarest-first", "tit-for-tat",
                    "round-robin", null));
            torrents.add(new Torrent("beta", HASH_B, "seeding", 1.0, "rarest-first", "tit-for-tat", "round-robin",
                    null));
            strategies.add(new StrategyInfo("picker", "rarest-first", "org.stampede.picker.rarest", "0.1.0",
                    "rarest first", List.of(HASH_A, HASH_B)));
            strategies.add(new StrategyInfo("picker", "sequential", "org.stampede.picker.sequential", "0.1.0",
                    "in order", List.of()));
            strategies.add(new StrategyInfo("choker", "tit-for-tat", "org.stampede.choker.titfortat", "0.1.0",
                    "tit for tat", List.of(HASH_A, HASH_B)));
            strategies.add(new StrategyInfo("seed-choker", "round-robin", "org.stampede.choker.seed", "0.1.0",
                    "round robin", List.of(HASH_A, HASH_B)));
        }

        @Override
        public List<Torrent> torrents() {
            return List.copyOf(torrents);
        }

        @Override
        public List<StrategyInfo> strategies() {
            return List.copyOf(strategies);
        }

        @Override
        public void switchStrategy(String infoHash, String kind, String id) {
            switches.add(infoHash + " " + kind + " " + id);
            for (int i = 0; i < torrents.size(); i++) {
                Torrent t = torrents.get(i);
                if (t.infoHash().equals(infoHash) && kind.equals("picker")) {
                    torrents.set(i, new Torrent(t.name(), t.infoHash(), t.state(), t.progress(), id, t.choker(),
                            t.seedChoker(), t.error()));
                }
            }
        }

        @Override
        public List<PluginInfo> plugins() {
            return List.copyOf(plugins);
        }

        private void known(String infoHash) {
            if (torrents.stream().noneMatch(t -> t.infoHash().equals(infoHash))) {
                throw new IllegalArgumentException("torrent " + infoHash + " is not running");
            }
        }

        @Override
        public boolean pause(String infoHash) {
            known(infoHash);
            return paused.add(infoHash);
        }

        @Override
        public boolean resume(String infoHash) {
            known(infoHash);
            return paused.remove(infoHash);
        }
    }

    /**
     * Bundles by id; {@code install} of a jar named {@code *.strategies.jar} "registers" one picker in the target,
     * any other jar fails as not a bundle. A persisted install is "copied" to {@link #PERSISTED}/NAME; uninstalling
     * it records that jar in {@link #removedJars}.
     */
    static final class Bundles implements BundleControl {
        static final Path PERSISTED = Path.of("/data/stampede/plugins");
        final Map<Long, BundleRef> installed = new ConcurrentHashMap<>();
        final List<Long> uninstalled = new CopyOnWriteArrayList<>();
        final List<Path> removedJars = new CopyOnWriteArrayList<>();
        private final Target target;
        private long nextId = 40;

        Bundles(Target target) {
            this.target = target;
            installed.put(3L, new BundleRef(3, "org.stampede.engine", "0.1.0", false, false));
            installed.put(7L, new BundleRef(7, "org.stampede.picker.sequential", "0.1.0", true, false));
        }

        @Override
        public synchronized BundleRef install(Path jar, boolean persist) throws BundleControlException {
            String file = jar.getFileName().toString();
            if (!file.endsWith(".strategies.jar")) {
                throw new BundleControlException(jar + ": not an OSGi bundle");
            }
            String bsn = file.substring(0, file.length() - ".strategies.jar".length());
            BundleRef b = new BundleRef(nextId++, bsn, "1.2.3", true, true,
                    persist ? PERSISTED.resolve(bsn + "_1.2.3.jar") : null);
            installed.put(b.id(), b);
            target.strategies.add(new StrategyInfo("picker", bsn + "-picker", bsn, "1.2.3", "installed", List.of()));
            target.plugins.add(new PluginInfo(bsn + "-picker", "picker", bsn, "1.2.3", "standby"));
            return b;
        }

        @Override
        public Optional<BundleRef> find(String idOrSymbolicName) {
            List<BundleRef> found = new ArrayList<>();
            for (BundleRef b : installed.values()) {
                if (String.valueOf(b.id()).equals(idOrSymbolicName) || b.symbolicName().equals(idOrSymbolicName)) {
                    found.add(b);
                }
            }
            return found.stream().findFirst();
        }

        @Override
        public boolean uninstall(BundleRef bundle) {
            installed.remove(bundle.id());
            uninstalled.add(bundle.id());
            if (bundle.persisted() != null) {
                removedJars.add(bundle.persisted());
            }
            target.strategies.removeIf(s -> s.bundle().equals(bundle.symbolicName()));
            target.plugins.removeIf(p -> p.bundle().equals(bundle.symbolicName()));
            return true;
        }

        @Override
        public boolean isPersisted(String symbolicName, String version) {
            return installed.values().stream().anyMatch(b -> b.symbolicName().equals(symbolicName)
                    && b.version().equals(version) && b.persisted() != null);
        }
    }
}
