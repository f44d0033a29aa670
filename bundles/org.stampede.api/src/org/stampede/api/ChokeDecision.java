package org.stampede.api;

import org.osgi.annotation.versioning.ProviderType;

/**
 * Where a choker puts its decision for the next round; every peer it does not unchoke is choked.
 *
 * @since 0.1
 */
@ProviderType
public interface ChokeDecision {
    /** The configured number of regular upload slots (a choker may use fewer or, if rate-based, more). */
    int uploadSlots();

    /** The upload rate limit in bytes per second, or -1 when there is none. */
    long uploadLimit();

    /** Our total upload rate in bytes per second, averaged over the last few seconds. */
    long uploadRate();

    /** Unchokes a peer in a regular slot; the engine serves it like every other unchoked peer. */
    void unchoke(PeerView peer);

    /**
     * Unchokes a peer in a regular slot and gives it an upload rate of its own until the next rechoke: the engine
     * sends it no more than {@code bytesPerSecond} (the torrent's and the session's limits still apply). This is how
     * a proportional-share choker (PropShare) or one that sizes each peer's share (BitTyrant) says how much each
     * unchoked peer gets; {@link #unchoke(PeerView)} leaves it to the engine.
     *
     * @param bytesPerSecond the peer's upload rate, more than 0
     * @throws IllegalArgumentException if {@code bytesPerSecond} is not positive
     * @since 0.2
     */
    void unchoke(PeerView peer, long bytesPerSecond);

    /** Unchokes a peer in the optimistic slot (shown to the user and to other strategies as such). */
    void unchokeOptimistically(PeerView peer);
}
