package org.stampede.engine.internal;

/**
 * Which connected peer makes room when a torrent is full. A peer that has been connected a while and never
 * exchanged a block with us, or none for {@link #IDLE_PAYLOAD_MS} (either way), is worth less than a newcomer, who
 * might. Peers that trade are never turned over, so a flood of handshakes can only rotate the useless slots among
 * themselves. As libtorrent does (its {@code peer_turnover}, and the peer it drops for an incoming one at the
 * connection limit), least useful first: neither side interested, then never traded, then the longest without a
 * block.
 */
final class PeerTurnover {
    /** A peer this young is not turned over: it has not had the time to be useful. Tests shorten it. */
    static volatile long graceMillis = 10_000;
    /** A peer that traded blocks but none for this long may make room for a newcomer. */
    static final long IDLE_PAYLOAD_MS = 60_000;

    private PeerTurnover() {
    }

    /** Under the torrent's lock: the peer to drop for a newcomer, or null when every peer is worth keeping. */
    static PeerConnection victim(Iterable<PeerConnection> peers, long now) {
        PeerConnection best = null;
        for (PeerConnection p : peers) {
            if (now - p.connectedAt < graceMillis || traded(p) && now - lastPayload(p) < IDLE_PAYLOAD_MS) {
                continue;
            }
            if (best == null || worse(p, best)) {
                best = p;
            }
        }
        return best;
    }

    /** Whether a block ever went either way. */
    static boolean traded(PeerConnection p) {
        return p.down.total() > 0 || p.up.total() > 0;
    }

    /** When a block last went either way (its connection time when none ever did). */
    static long lastPayload(PeerConnection p) {
        long down = p.down.total() > 0 ? p.lastReceivedBlockAt : p.connectedAt;
        return Math.max(down, p.lastSentBlockAt);
    }

    private static boolean worse(PeerConnection a, PeerConnection b) {
        boolean aIdle = !a.amInterested && !a.peerInterested;
        boolean bIdle = !b.amInterested && !b.peerInterested;
        if (aIdle != bIdle) {
            return aIdle;
        }
        if (traded(a) != traded(b)) {
            return !traded(a);
        }
        return lastPayload(a) < lastPayload(b);
    }
}
