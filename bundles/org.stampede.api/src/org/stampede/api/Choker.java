package org.stampede.api;

import java.util.List;

import org.osgi.annotation.versioning.ConsumerType;

/**
 * Decides which peers may download from us: one instance per torrent, made by a {@link ChokerFactory}. Like
 * libtorrent's choker it should behave as a function of the peers, the settings and its own small state (such as
 * whose turn the optimistic unchoke is).
 *
 * @since 0.1
 */
@ConsumerType
public interface Choker {
    /** How often the engine calls {@link #rechoke}, in milliseconds. */
    default long rechokeIntervalMillis() {
        return 10_000;
    }

    /**
     * Decides the unchoked set for the next round. {@code peers} are the torrent's connected peers that are
     * interested in us; the engine chokes every peer not put in {@code decision}.
     */
    void rechoke(TorrentView torrent, List<? extends PeerView> peers, ChokeDecision decision);

    /** The instance is being replaced or its torrent removed. */
    default void close() {
    }
}
