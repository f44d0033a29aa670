package org.stampede.api;

/**
 * A choking strategy, registered as an OSGi service with a {@link StrategyName} and a {@link StrategyKind}
 * ({@link StrategyKind#CHOKER} while downloading, {@link StrategyKind#SEED_CHOKER} while seeding).
 */
public interface ChokerFactory {
    Choker create(TorrentView torrent);
}
