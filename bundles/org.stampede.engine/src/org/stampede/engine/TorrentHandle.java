package org.stampede.engine;

import java.net.InetSocketAddress;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

import org.stampede.metainfo.Torrent;

/** One torrent of an engine. Thread-safe. */
public interface TorrentHandle {
    Torrent torrent();

    /** Lower-case hex of the v1 info-hash (or the truncated v2 one), as peers and trackers see it. */
    String infoHash();

    TorrentStatus status();

    List<PeerStatus> peers();

    /** Connects to a peer (in addition to those the trackers give). */
    void connect(InetSocketAddress peer);

    /**
     * Switches the piece picker ({@code picker}) or a choker ({@code choker}, {@code seed-choker}) of this torrent
     * to the installed strategy {@code name}, keeping every connection and request in flight.
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

    /** How many decisions each strategy made for this torrent, by "kind/name". */
    Map<String, Long> decisions();

    /** Completes when the data on disk has been checked (from resume data or by hashing). */
    CompletableFuture<Void> checked();

    /** Completes when every wanted piece is verified on disk. */
    CompletableFuture<Void> completion();

    /** Stops: announces {@code stopped}, closes connections, flushes, saves resume data, closes files. */
    CompletableFuture<Void> stop();
}
