package org.stampede.engine;

import java.net.InetSocketAddress;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

import org.osgi.annotation.versioning.ProviderType;
import org.stampede.metainfo.Torrent;

/** One torrent of an engine. Thread-safe. */
@ProviderType
public interface TorrentHandle {
    /** {@link #pieces} state of a piece we do not have and nobody is fetching. */
    byte PIECE_MISSING = 0;
    /** {@link #pieces} state of a piece with blocks requested or received but not yet verified. */
    byte PIECE_DOWNLOADING = 1;
    /** {@link #pieces} state of a piece verified on disk. */
    byte PIECE_HAVE = 2;

    Torrent torrent();

    /** Lower-case hex of the v1 info-hash (or the truncated v2 one), as peers and trackers see it. */
    String infoHash();

    TorrentStatus status();

    List<PeerStatus> peers();

    /** Adds a peer to the torrent's peer list (origin manual), to be connected to when there is room. */
    void connect(InetSocketAddress peer);

    /**
     * Pauses: closes every connection, stops the peer sources (trackers hear {@code stopped}) and saves resume data,
     * but keeps the torrent, its files and what it has verified, so that {@link #resume()} goes on without a
     * recheck. A torrent still checking pauses when its check is done. The state is
     * {@link TorrentStatus.State#PAUSED}.
     *
     * @return false when it was already paused (or stopped): nothing changed
     * @since 0.1
     */
    boolean pause();

    /**
     * Resumes a paused torrent: peer sources start again and peers are connected, or, when the queue has no free
     * slot, it waits in state {@link TorrentStatus.State#QUEUED} and starts by itself when one frees up.
     *
     * @return false when it was not paused: nothing changed
     * @since 0.1
     */
    boolean resume();

    /** Whether the torrent is paused (or will pause when its check is done). */
    boolean isPaused();

    /** Asks every peer source for more peers now (a tracker re-announces, within its minimum interval). */
    void reannounce();

    /** Addresses in the torrent's peer list (bounded), connected or not. */
    int knownPeers();

    /**
     * Switches the piece picker ({@code picker}) or a choker ({@code choker}, {@code seed-choker}) of this torrent
     * to the installed strategy {@code name}, keeping every connection and request in flight. The choice is stored
     * for the torrent where ConfigurationAdmin is installed (see {@link EngineConfiguration}), so that the torrent's
     * next run starts with it.
     *
     * @throws IllegalArgumentException when no such strategy is installed
     */
    void switchStrategy(String kind, String name);

    /**
     * Sets a file's priority: 0 skips it (its pieces are not wanted unless they hold bytes of a wanted file), 1 is
     * normal, up to 7. Takes effect at once: requests follow the new wanted pieces, and a torrent whose remaining
     * pieces are all skipped completes.
     *
     * @param fileIndex index in {@code torrent().files()}
     */
    void setFilePriority(int fileIndex, int priority);

    /** A file's priority as {@link #setFilePriority} last set it (1 unless set). */
    int filePriority(int fileIndex);

    /**
     * Sets a piece's own priority, 0 (skip) to 7, over its files' ({@code -1} goes back to the files'). A piece's
     * priority is otherwise the highest of its files' (at least 1 where any wanted file has bytes in it); piece
     * pickers see it as {@code TorrentView.priority}. A piece whose files are all skipped stays skipped whatever its
     * own priority (its bytes have nowhere to go); it takes that priority once one of its files is wanted.
     *
     * @throws IllegalArgumentException for a piece or priority out of range
     * @since 0.1
     */
    void setPiecePriority(int piece, int priority);

    /** A piece's priority now, 0 to 7, as pickers see it. */
    int piecePriority(int piece);

    /**
     * Sets a piece's deadline, {@code millis} from now (0: as soon as possible; negative clears it), for streaming:
     * pickers see it as {@code TorrentView.deadline}, and blocks of a piece within two seconds of its deadline may
     * be requested from a second peer, the slower copy cancelled when the first arrives. A verified piece keeps
     * none.
     *
     * @throws IllegalArgumentException for a piece out of range
     * @since 0.1
     */
    void setPieceDeadline(int piece, long millis);

    /**
     * Copies out the verified bytes of each file (padding files count as done when their pieces are), without
     * allocating.
     *
     * @param bytesDone filled in {@code torrent().files()} order; at least that long
     * @return the number of files
     * @throws IllegalArgumentException if the array is too short
     */
    int fileProgress(long[] bytesDone);

    /**
     * Copies out the piece map without allocating: each piece's state ({@link #PIECE_MISSING},
     * {@link #PIECE_DOWNLOADING}, {@link #PIECE_HAVE}) and its availability (how many connected peers have it).
     *
     * @param states       filled with piece states, or null; at least {@code torrent().pieceCount()} long
     * @param availability filled with piece availabilities, or null; as long
     * @return the number of pieces
     * @throws IllegalArgumentException if an array is too short
     */
    int pieces(byte[] states, int[] availability);

    /** Each tracker of the torrent, tier by tier, in the torrent's order; empty when it has none. */
    List<TrackerStatus> trackers();

    /** How many decisions each strategy made for this torrent, by "kind/name". */
    Map<String, Long> decisions();

    /** Completes when the data on disk has been checked (from resume data or by hashing). */
    CompletableFuture<Void> checked();

    /** Completes when every wanted piece is verified on disk. */
    CompletableFuture<Void> completion();

    /** Stops: announces {@code stopped}, closes connections, flushes, saves resume data, closes files. */
    CompletableFuture<Void> stop();
}
