package org.stampede.api.util;

import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.random.RandomGenerator;

import org.stampede.api.ChokeDecision;
import org.stampede.api.PeerView;

/**
 * The optimistic unchoke slot of mainline BitTorrent (BEP 3; Cohen 2003, "Optimistic Unchoking"): one peer is
 * unchoked regardless of what it gives us, so that we discover better partners and new peers get their first
 * pieces. The holder keeps the slot for {@value #ROTATION_MILLIS} ms (every third rechoke at the usual 10 s;
 * measured on the engine's clock, so extra rechokes, such as the engine's when a slot falls free, do not shorten
 * it), then it goes to a peer drawn at random from the choked ones, a peer connected less than a minute ago being
 * {@value #NEW_PEER_WEIGHT} times as likely as another, as BEP 3 describes. When the holder is gone, or earned a
 * regular slot, a new one is drawn at once.
 * <p>
 * The holder is the peer the engine reports as {@link PeerView#optimistic()}, so a replacement choker continues
 * the current rotation; only when the holder got the slot is kept here. One per choker instance; not thread-safe.
 *
 * @since 0.1
 */
public final class OptimisticUnchoke {
    /** How long a holder keeps the slot. */
    public static final long ROTATION_MILLIS = 30_000;
    /** A peer connected less than this long ago counts as new. */
    public static final long NEW_PEER_MILLIS = 60_000;
    /** How much likelier a new peer is to be drawn. */
    public static final int NEW_PEER_WEIGHT = 3;

    private final RandomGenerator random;
    /** The connection that holds the slot as far as this instance knows, and since when. */
    private int holderId = -1;
    private long holderConnectedAt;
    private long heldSince;

    /** @param random the choker's generator, seeded from {@code TorrentView.randomSeed()} */
    public OptimisticUnchoke(RandomGenerator random) {
        this.random = Objects.requireNonNull(random, "random");
    }

    /**
     * Puts this round's optimistic unchoke, if any, in {@code decision}.
     *
     * @param regular the peers given a regular slot this round; they are never the optimistic one
     */
    public void rechoke(long nowMillis, List<? extends PeerView> peers, Set<PeerView> regular, ChokeDecision decision) {
        PeerView holder = null;
        for (PeerView peer : peers) {
            if (peer.optimistic() && !regular.contains(peer)) {
                holder = peer;
                break;
            }
        }
        if (holder != null && (holder.id() != holderId || holder.connectedAtMillis() != holderConnectedAt)) {
            hold(holder, nowMillis); // given the slot by an earlier choker: its time starts now
        }
        if (holder == null || nowMillis - heldSince >= ROTATION_MILLIS) {
            PeerView next = draw(nowMillis, peers, regular);
            if (next != null) {
                holder = next;
                hold(next, nowMillis);
            }
        }
        if (holder != null) {
            decision.unchokeOptimistically(holder);
        }
    }

    private void hold(PeerView holder, long nowMillis) {
        holderId = holder.id();
        holderConnectedAt = holder.connectedAtMillis();
        heldSince = nowMillis;
    }

    private PeerView draw(long nowMillis, List<? extends PeerView> peers, Set<PeerView> regular) {
        long total = 0;
        for (PeerView peer : peers) {
            if (candidate(peer, regular)) {
                total += weight(nowMillis, peer);
            }
        }
        if (total == 0) {
            return null;
        }
        long ticket = random.nextLong(total);
        for (PeerView peer : peers) {
            if (candidate(peer, regular)) {
                ticket -= weight(nowMillis, peer);
                if (ticket < 0) {
                    return peer;
                }
            }
        }
        throw new IllegalStateException("peer list changed during a rechoke");
    }

    private static boolean candidate(PeerView peer, Set<PeerView> regular) {
        return peer.amChoking() && !peer.optimistic() && !regular.contains(peer);
    }

    private static int weight(long nowMillis, PeerView peer) {
        return nowMillis - peer.connectedAtMillis() < NEW_PEER_MILLIS ? NEW_PEER_WEIGHT : 1;
    }
}
