package org.stampede.engine;

/**
 * The EventAdmin topics the engine posts (asynchronously) for the UI and the command line to observe. Every event
 * carries {@link #INFO_HASH}; state events carry {@link #STATE}, piece events {@link #PIECE}, strategy events
 * {@link #KIND} and {@link #STRATEGY}, peer events {@link #PEER}.
 */
public final class EngineEvents {
    /** Prefix of every topic; subscribe to {@code org/stampede/engine/*} for all. */
    public static final String PREFIX = "org/stampede/engine/";
    public static final String TORRENT_ADDED = PREFIX + "torrent/ADDED";
    public static final String TORRENT_STATE = PREFIX + "torrent/STATE";
    public static final String TORRENT_COMPLETED = PREFIX + "torrent/COMPLETED";
    public static final String TORRENT_REMOVED = PREFIX + "torrent/REMOVED";
    public static final String PIECE_VERIFIED = PREFIX + "piece/VERIFIED";
    public static final String PIECE_FAILED = PREFIX + "piece/FAILED";
    public static final String PEER_CONNECTED = PREFIX + "peer/CONNECTED";
    public static final String PEER_DISCONNECTED = PREFIX + "peer/DISCONNECTED";
    public static final String STRATEGY_CHANGED = PREFIX + "strategy/CHANGED";
    /**
     * Posted about once a second for each torrent that is not stopped, so that views of rates and progress update
     * from events rather than by polling; carries {@link #DOWNLOAD_RATE}, {@link #UPLOAD_RATE}, {@link #BYTES_DONE},
     * {@link #BYTES_WANTED} and {@link #PEERS}.
     */
    public static final String TORRENT_STATS = PREFIX + "torrent/STATS";

    public static final String INFO_HASH = "infoHash";
    public static final String STATE = "state";
    public static final String PIECE = "piece";
    public static final String PEER = "peer";
    /** On peer events: the peer's client, as its peer id names it. */
    public static final String CLIENT = "client";
    public static final String KIND = "kind";
    public static final String STRATEGY = "strategy";
    public static final String REASON = "reason";
    /** On stats events: payload bytes per second received (a Long). */
    public static final String DOWNLOAD_RATE = "downloadRate";
    /** On stats events: payload bytes per second sent (a Long). */
    public static final String UPLOAD_RATE = "uploadRate";
    /** On stats events: bytes of the wanted data verified (a Long). */
    public static final String BYTES_DONE = "bytesDone";
    /** On stats events: bytes of data wanted in all (a Long). */
    public static final String BYTES_WANTED = "bytesWanted";
    /** On stats events: connected peers (an Integer). */
    public static final String PEERS = "peers";

    private EngineEvents() {
    }
}
