package org.stampede.api;

import java.net.InetSocketAddress;

import org.osgi.annotation.versioning.ProviderType;

/**
 * What a strategy may know of one connected peer of a torrent, read-only and current at the time of the call.
 *
 * @since 0.1
 */
@ProviderType
public interface PeerView {
    /** A number for this connection, unique within the torrent while it lasts. */
    int id();

    InetSocketAddress address();

    /** The peer's client as named by its peer id or extension handshake, e.g. "libtorrent 2.0.8". */
    String client();

    /** The pieces the peer has. */
    PieceSet pieces();

    boolean isSeed();

    /** We are choking the peer (it may not request from us). */
    boolean amChoking();

    /** We are interested in what the peer has. */
    boolean amInterested();

    /** The peer is choking us. */
    boolean peerChoking();

    /** The peer is interested in what we have. */
    boolean peerInterested();

    /** The peer has sent us nothing we requested for a while (anti-snubbing). */
    boolean snubbed();

    /** This peer holds the optimistic unchoke slot. */
    boolean optimistic();

    /** Payload bytes per second from the peer, averaged over the last few seconds. */
    long downloadRate();

    /** Payload bytes per second to the peer, averaged over the last few seconds. */
    long uploadRate();

    /** Payload bytes received from the peer since it connected. */
    long downloaded();

    /** Payload bytes sent to the peer since it connected. */
    long uploaded();

    /** Payload bytes received from the peer since the last rechoke. */
    long downloadedSinceRechoke();

    /** Payload bytes sent to the peer since the last rechoke. */
    long uploadedSinceRechoke();

    /** When the connection was made, on the engine's clock ({@link TorrentView#nowMillis()}). */
    long connectedAtMillis();

    /** When we last unchoked the peer, or -1. */
    long lastUnchokedAtMillis();

    /** Our requests to the peer that are not yet answered. */
    int outstandingRequests();

    /** Whether the peer speaks the Fast extension (BEP 6). */
    boolean supportsFast();

    /** Pieces the peer lets us request while it chokes us (BEP 6 allowed fast). */
    PieceSet allowedFast();
}
