package org.stampede.api;

import org.osgi.annotation.versioning.ProviderType;

/**
 * What a strategy may know of one torrent, read-only and current at the time of the call. Backed by the engine's
 * own state, so reading it allocates nothing.
 *
 * @since 0.1
 */
@ProviderType
public interface TorrentView {
    /** Size of a block, the unit of requests: 16 KiB. */
    int BLOCK_SIZE = 16 * 1024;

    /** Lower-case hex v1 info-hash (or truncated v2), for logs and per-torrent configuration. */
    String infoHash();

    int pieceCount();

    /** Length of piece {@code piece} in bytes (the last one may be shorter). */
    int pieceLength(int piece);

    /** Number of blocks in piece {@code piece}. */
    int blockCount(int piece);

    /** Pieces we have and have verified. */
    PieceSet have();

    /** Pieces we want: priority above zero and not yet had. */
    PieceSet wanted();

    /** Priority of a piece: 0 = skip, 1 = normal (default) up to 7 = highest (from file and piece priorities). */
    int priority(int piece);

    /** How many connected peers have the piece. */
    int availability(int piece);

    /** Pieces with at least one block requested or received but not yet verified. */
    PieceSet partial();

    BlockState blockState(int piece, int block);

    /** How many peers a block is currently requested from (more than one only in endgame). */
    int requestCount(int piece, int block);

    /** Whether the torrent is in endgame: every missing block of the wanted pieces is requested. */
    boolean endgame();

    /** Whether we have every wanted piece (seeding or finished). */
    boolean complete();

    /**
     * Streaming: the deadline of a piece in milliseconds from now, or -1 when it has none. Set by a player
     * reading the torrent while it downloads; sequential pickers order by it.
     */
    long deadline(int piece);

    /** The engine's clock in milliseconds (virtual time in the strategy lab). */
    long nowMillis();

    /**
     * The seed for this torrent's strategy randomness (ties, optimistic unchokes). The engine draws it at random
     * for each torrent, so that clients of one swarm do not all draw alike; the strategy lab derives it from the
     * run's seed and the simulated peer, so that a run repeats exactly. Strategies seed their generator with it
     * once, in their factory's {@code create}.
     */
    default long randomSeed() {
        return infoHash().hashCode();
    }
}
