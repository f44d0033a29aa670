package org.stampede.spi;

/**
 * Where a peer's address came from. The peer list keeps every origin an address was heard from; when it is full it
 * evicts addresses from the least trusted origins first ({@link #PEX} and {@link #DHT} before {@link #TRACKER}).
 *
 * @since 0.1
 */
public enum PeerOrigin {
    /** A tracker's announce reply. */
    TRACKER,
    /** The DHT (BEP 5). */
    DHT,
    /** Peer exchange (BEP 11): unverified, from another peer. */
    PEX,
    /** Local service discovery (BEP 14). */
    LSD,
    /** Given by the user or a program (the command line's --peer, the control channel). */
    MANUAL,
    /** The peer connected to us. */
    INCOMING,
    /** Any other source a plug-in has. */
    OTHER;

    /** This origin as a bit of a set of origins. */
    public int bit() {
        return 1 << ordinal();
    }
}
