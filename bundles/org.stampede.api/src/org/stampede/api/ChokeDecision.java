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

    /** Unchokes a peer in a regular slot. */
    void unchoke(PeerView peer);

    /** Unchokes a peer in the optimistic slot (shown to the user and to other strategies as such). */
    void unchokeOptimistically(PeerView peer);
}
