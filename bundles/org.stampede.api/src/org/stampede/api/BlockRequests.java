package org.stampede.api;

import org.osgi.annotation.versioning.ProviderType;

/**
 * Where a picker puts the blocks it chooses. The engine refuses a block it will not request from this peer (the
 * peer lacks the piece, the block is received, or it is already requested and the torrent is not in endgame);
 * a refused block costs nothing.
 *
 * @since 0.1
 */
@ProviderType
public interface BlockRequests {
    /** Offers a block; returns whether it was accepted as a request to the peer. */
    boolean request(int piece, int block);

    /** How many blocks have been accepted in this call. */
    int accepted();

    /** How many more the engine will accept in this call. */
    int remaining();
}
