package org.stampede.api;

import org.osgi.annotation.versioning.ConsumerType;

/**
 * A choking strategy, registered as an OSGi service with a {@link StrategyName} and a {@link StrategyKind}
 * ({@link StrategyKind#CHOKER} while downloading, {@link StrategyKind#SEED_CHOKER} while seeding).
 *
 * @since 0.1
 */
@ConsumerType
public interface ChokerFactory {
    Choker create(TorrentView torrent);
}
