package org.stampede.engine.internal;

import java.net.InetAddress;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;

/**
 * Who sent the blocks of each piece in progress, and what happens to them when a piece fails its hash check. A lone
 * source is banned at once. Of several sources nobody can tell which lied, and banning them all after a few failures
 * would ban honest peers that shared pieces with a liar; instead each goes on parole: it downloads only pieces nobody
 * else is downloading, and nobody joins it there, so its next piece has it as its only source and a liar is banned by
 * the next piece it spoils. Under the torrent's lock.
 */
final class HashFailurePolicy {
    private final TorrentSession s;
    private final Map<Integer, Set<InetAddress>> contributors = new HashMap<>();
    /**
     * Per piece, the peer on parole downloading it alone, or null; the array is made when a first peer goes on
     * parole, so torrents without bad data pay nothing for it.
     */
    private PeerConnection[] paroleOwner;

    HashFailurePolicy(TorrentSession session) {
        this.s = session;
    }

    /** A block of {@code piece} came from {@code from}. */
    void contributed(int piece, InetAddress from) {
        Set<InetAddress> set = contributors.get(piece);
        if (set == null) {
            contributors.put(piece, set = new HashSet<>());
        }
        set.add(from);
    }

    /** The piece was checked (or lost): who sent it, or null; its parole ends. */
    Set<InetAddress> settle(int piece) {
        if (paroleOwner != null) {
            paroleOwner[piece] = null;
        }
        return contributors.remove(piece);
    }

    /** Whether {@code p} may be asked for a block of {@code piece}. A piece stays a parolee's while it asks for it. */
    boolean allows(PeerConnection p, int piece) {
        if (paroleOwner == null) {
            return true;
        }
        PeerConnection owner = paroleOwner[piece];
        if (owner != null && owner.pendingIn(piece) == 0) {
            paroleOwner[piece] = owner = null; // it stopped working on the piece: choked, timed out
        }
        if (owner != null) {
            return owner == p;
        }
        if (!p.onParole()) {
            return true;
        }
        if (s.state.requestedBlocks(piece) > p.pendingIn(piece)) {
            return false; // others are downloading it
        }
        paroleOwner[piece] = p;
        return true;
    }

    /** The peer left: the pieces it held on parole are free. */
    void peerGone(PeerConnection p) {
        if (paroleOwner != null && p.onParole()) {
            for (int i = 0; i < paroleOwner.length; i++) {
                if (paroleOwner[i] == p) {
                    paroleOwner[i] = null;
                }
            }
        }
    }

    /** A piece failed its hash check; {@code sources} sent its blocks. */
    void blame(Set<InetAddress> sources) {
        for (PeerConnection p : new ArrayList<>(s.peers.values())) {
            InetAddress a = p.address().getAddress();
            if (sources.contains(a)) {
                p.hashFailures++;
                if (sources.size() == 1) {
                    s.engine.ban(a, "sent data that failed the hash check");
                    p.channel.close("banned: bad data");
                } else if (paroleOwner == null) {
                    paroleOwner = new PeerConnection[s.state.pieceCount()];
                }
            }
        }
    }
}
