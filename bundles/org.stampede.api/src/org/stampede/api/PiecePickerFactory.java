package org.stampede.api;

/**
 * A piece-picking strategy, registered as an OSGi service with a {@link StrategyName} property. The engine calls
 * {@link #create} once per torrent that uses the strategy.
 */
public interface PiecePickerFactory {
    PiecePicker create(TorrentView torrent);
}
