package org.stampede.api;

import org.osgi.annotation.versioning.ConsumerType;

/**
 * Chooses which blocks to request from a peer: one instance per torrent, made by a {@link PiecePickerFactory}.
 * Endgame is the engine's: when every missing wanted block is requested, {@link TorrentView#endgame()} is true
 * and the engine accepts blocks already requested from other peers, cancelling the duplicates when one arrives.
 *
 * @since 0.1
 */
@ConsumerType
public interface PiecePicker {
    /**
     * Offers blocks to request from {@code peer} to {@code requests} until it accepts no more
     * ({@link BlockRequests#remaining()} is 0) or the picker has nothing more to offer. Called when the peer
     * unchokes us, has new pieces, or has room in its request queue.
     */
    void pick(TorrentView torrent, PeerView peer, BlockRequests requests);

    /** A piece passed its hash check. */
    default void pieceVerified(TorrentView torrent, int piece) {
    }

    /** A piece failed its hash check; its blocks are missing again. */
    default void pieceFailed(TorrentView torrent, int piece) {
    }

    /** The instance is being replaced or its torrent removed. */
    default void close() {
    }
}
