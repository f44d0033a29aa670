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

    /**
     * Priority of a piece: 0 = skip, 1 = normal (default) up to 7 = highest. It is the piece's own priority where
     * the user set one, else the highest {@link #filePriority} of the files with bytes in it (at least 1 while one
     * of them is wanted, 0 when they are all skipped). {@link PiecePicker#priorityChanged} tells of a change.
     */
    int priority(int piece);

    /** How many connected peers have the piece. {@link PiecePicker#availabilityChanged} tells of a change. */
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
     * Streaming: the deadline of a piece in milliseconds from now (0 once it is due), or -1 when it has none. Set by
     * a player reading the torrent while it downloads; sequential pickers order by it. A piece we have has none.
     * {@link PiecePicker#deadlineChanged} tells when one is set, moved or cleared.
     */
    long deadline(int piece);

    // ---------------------------------------------------------------- files

    /**
     * How many files the torrent has, in the torrent's order: file {@code i} here is file {@code i} of the
     * torrent's file list, of {@code TorrentHandle.setFilePriority} and of the Files view. A single-file torrent
     * has one. BEP 47 padding files are counted, with priority 0, and never returned by {@link #fileOf}.
     *
     * @since 0.3
     */
    int fileCount();

    /**
     * The length of a file in bytes (0 for an empty file).
     *
     * @since 0.3
     */
    long fileLength(int file);

    /**
     * The first piece holding a byte of the file. For an empty file, the piece at which it would begin (at most
     * {@link #pieceCount()}), and then {@code fileEndPiece(file) == fileFirstPiece(file)}.
     *
     * @since 0.3
     */
    int fileFirstPiece(int file);

    /**
     * One past the last piece holding a byte of the file: the file's pieces are
     * {@code [fileFirstPiece(file), fileEndPiece(file))}. Consecutive files share a piece where one ends inside it
     * (v1 torrents without padding); in v2 torrents every file begins a piece of its own.
     *
     * @since 0.3
     */
    int fileEndPiece(int file);

    /**
     * A file's priority as the user set it: 0 = skip, 1 = normal (default) up to 7 = highest; 0 for a padding file.
     * See {@link #priority} for how it makes its pieces' priorities.
     *
     * @since 0.3
     */
    int filePriority(int file);

    /**
     * The file a piece begins in: the lowest-numbered file, other than a padding file, with a byte in the piece; -1
     * for a piece that holds only padding.
     *
     * @since 0.3
     */
    int fileOf(int piece);

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
