package org.stampede.spi;

import java.util.List;

import org.osgi.annotation.versioning.ProviderType;

/**
 * What a peer source or an extension may know of one torrent. Thread-safe; the figures are current when read.
 *
 * @since 0.1
 */
@ProviderType
public interface SwarmContext {
    /** The 20-byte info-hash peers and trackers know the torrent by (v1, or the truncated v2 one). */
    byte[] infoHash();

    /** The 32-byte v2 info-hash, or null for a v1-only torrent. */
    byte[] infoHashV2();

    /** Lower-case hex of {@link #infoHash()}. */
    String infoHashHex();

    String name();

    /** A private torrent (BEP 27): peers come only from its trackers; DHT, PEX and LSD must stay away. */
    boolean isPrivate();

    /** The torrent's trackers, tier by tier (BEP 12). */
    List<List<String>> trackers();

    /** Our peer id, 20 bytes. */
    byte[] peerId();

    /** The port peers reach us on. */
    int listenPort();

    /** Payload bytes sent to peers this session. */
    long uploaded();

    /** Payload bytes received from peers this session. */
    long downloaded();

    /** Bytes of wanted data still missing. */
    long left();

    /** Whether every wanted piece is verified. */
    boolean complete();

    /** The torrent's peer list, for sources that learn of peers outside {@link PeerSource#start}. */
    PeerSink peers();

    /** Logs a line under the torrent's name. */
    void log(String message);
}
