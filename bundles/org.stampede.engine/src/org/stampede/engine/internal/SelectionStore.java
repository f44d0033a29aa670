package org.stampede.engine.internal;

import java.util.Map;

/**
 * Where the strategies chosen for each torrent are remembered between runs: ConfigurationAdmin in a framework
 * ({@link EngineConfigurationComponent}), nowhere outside one ({@link #NONE}). Called when a torrent starts and
 * when a strategy is chosen for it, never on a per-block path; implementations do not throw.
 */
public interface SelectionStore {
    /** Remembers nothing. */
    SelectionStore NONE = new SelectionStore() {
        @Override
        public Map<String, String> load(String infoHash) {
            return Map.of();
        }

        @Override
        public void save(String infoHash, String kind, String name) {
            // nothing to remember it in
        }
    };

    /** The stored strategy names of a torrent by kind ({@code picker}, {@code choker}, {@code seed-choker}). */
    Map<String, String> load(String infoHash);

    /** Remembers the strategy of one kind for a torrent. */
    void save(String infoHash, String kind, String name);
}
