package org.stampede.engine;

import java.net.InetSocketAddress;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

import org.stampede.metainfo.Torrent;

/** One torrent of an engine. Thread-safe. */
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

    /** Connects to a peer (in addition to those the trackers give). */
    void connect(InetSocketAddress peer);

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
