package org.stampede.testing.contract;

import java.util.Set;

import org.stampede.api.TorrentView;

/**
 * One implementation of the strategy API's views, driven by {@link StrategyViewContract}: a torrent of
 * {@link StrategyViewContract#PIECES} pieces of {@link StrategyViewContract#PIECE_LENGTH} bytes, laid out as
 * {@link StrategyViewContract#FILES} where the implementation has files, whose picker is made by the contract's
 * factory. Each operation does what the implementation does when it really happens (a peer's bitfield message, a
 * piece downloaded and checked, the user's priority), then lets the strategy side run as the implementation
 * would on its own: the engine's strategy task runs where the test says ({@link #settle()}), the lab tells its
 * pickers at the end of each event, the test fakes when told.
 */
public interface ContractFixture extends AutoCloseable {
    /** What an implementation does beyond the common part; the contract's tests of the rest are skipped. */
    enum Capability {
        /** More than one file (the lab's content is one file). */
        FILES,
        /** File and piece priorities set by the user (the lab's pieces all have priority 1). */
        PRIORITIES,
        /** Piece deadlines (the lab has none). */
        DEADLINES,
        /** Pieces that fail their hash check (the lab has none). */
        HASH_FAILURES
    }

    /** A connected peer, as the fixture knows it. */
    interface Peer {
    }

    /** The view the picker is handed. */
    TorrentView view();

    Set<Capability> capabilities();

    /** The lengths of the files the torrent has: {@link StrategyViewContract#FILES}, or one file without FILES. */
    long[] fileLengths();

    /** A peer connects and sends its bitfield of these pieces (none: an empty bitfield). */
    Peer connect(int... pieces);

    /** A connected peer announces a piece ({@code have}). */
    void have(Peer peer, int piece);

    /** A connected peer goes away. */
    void disconnect(Peer peer);

    /**
     * The peer unchokes us (if it has not yet) and the strategy side runs: the picker is asked for blocks from it;
     * the blocks of {@code piece} it requests arrive, and the piece is checked: good when {@code good} (it is
     * verified), else not (it fails; only with {@link Capability#HASH_FAILURES}). Returns once the check is done.
     */
    void download(Peer from, int piece, boolean good) throws Exception;

    /** The peer unchokes us (if it has not yet) and the picker is asked for blocks from it. */
    void pick(Peer peer);

    /** Sets a piece's own priority, 0 to 7, or -1 to go back to its files' ({@link Capability#PRIORITIES}). */
    void piecePriority(int piece, int priority);

    /** Sets a file's priority, 0 to 7 ({@link Capability#PRIORITIES}). */
    void filePriority(int file, int priority);

    /** Sets a piece's deadline in milliseconds from now, or clears it with -1 ({@link Capability#DEADLINES}). */
    void deadline(int piece, long millis);

    /** Lets the strategy side catch up: what is pending is told now. */
    void settle();
}
