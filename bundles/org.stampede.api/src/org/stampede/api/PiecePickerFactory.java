package org.stampede.api;

import org.osgi.annotation.versioning.ConsumerType;

/**
 * A piece-picking strategy, registered as an OSGi service with a {@link StrategyName} property. The engine calls
 * {@link #create} once per torrent that uses the strategy.
 *
 * @since 0.1
 */
@ConsumerType
public interface PiecePickerFactory {
    PiecePicker create(TorrentView torrent);
}
