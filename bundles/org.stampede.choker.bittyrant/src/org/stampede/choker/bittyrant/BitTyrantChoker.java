package org.stampede.choker.bittyrant;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.stampede.api.ChokeDecision;
import org.stampede.api.Choker;
import org.stampede.api.PeerView;
import org.stampede.api.TorrentView;

/**
 * The unchoke algorithm of BitTyrant (Piatek, Isdal, Anderson, Krishnamurthy, Venkataramani, "Do incentives build
 * robustness in BitTorrent?", NSDI 2007, section 4): a strategic client that spends its upload where it buys the
 * most download. For every peer p it keeps two estimates, d<sub>p</sub>, the rate p sends us when it unchokes us,
 * and u<sub>p</sub>, the rate we must send p for p to reciprocate; it unchokes the peers with the best
 * d<sub>p</sub>/u<sub>p</sub> until their u<sub>p</sub> add up to our upload capacity, and learns from each round:
 * <ul>
 * <li><b>Reciprocation.</b> p reciprocated in a round when it sent us payload
 * ({@link PeerView#downloadedSinceRechoke()} above 0; the API reports bytes, not unchoke history, and a peer that
 * unchokes us but sends nothing is worth nothing to us). Then d<sub>p</sub> becomes the observed rate.</li>
 * <li><b>Updates of u<sub>p</sub></b>, for each peer we unchoked in the last round: not reciprocated,
 * u<sub>p</sub> &larr; (1 + &delta;) u<sub>p</sub>; reciprocated in each of the last r rounds, u<sub>p</sub> &larr;
 * (1 &minus; &gamma;) u<sub>p</sub>; with the paper's &delta; = {@value #DELTA}, &gamma; = {@value #GAMMA}, r =
 * {@value #R}. u<sub>p</sub> stays within [{@value #MIN_RATE} B/s, {@value #MAX_RATE} B/s].</li>
 * <li><b>Initial estimates.</b> A new peer starts with u<sub>p</sub> = d<sub>p</sub> = our capacity split
 * equally over a reference client's active set of {@value #ACTIVE_SET} (4 regular + 1 optimistic unchoke), at
 * least {@value #MIN_RATE} B/s: the paper starts from the equal-split rate, above which reciprocation becomes
 * likely. Until p has reciprocated once, d<sub>p</sub> is re-estimated each round, as the paper does, from the rate
 * at which p announces pieces ({@link PeerView#pieces()} counted since we first saw it, times the piece length):
 * that is p's download rate, which a tit-for-tat peer matches with its upload, spread over its
 * {@value #ACTIVE_SET} unchokes. A peer whose pieces we do not want ({@link PeerView#amInterested()} false) has
 * d<sub>p</sub> = 0.</li>
 * <li><b>Capacity.</b> {@link ChokeDecision#uploadLimit()} when there is one; otherwise the highest
 * {@link ChokeDecision#uploadRate()} seen, plus &delta; of headroom so that the active set can grow, and at least
 * {@value #DEFAULT_CAPACITY} B/s (1 Mbit/s, the client of the paper's evaluation).</li>
 * <li><b>Decision.</b> Peers in order of d<sub>p</sub>/u<sub>p</sub> (then the higher d<sub>p</sub>, then those
 * unchoked now, then by id) are unchoked while the sum of their u<sub>p</sub> stays within the capacity; the first
 * peer always. There is no optimistic unchoke (the paper's algorithm has none: new peers are tried through their
 * initial estimates) and {@link ChokeDecision#uploadSlots()} is not used, except that 0 means no uploads at
 * all.</li>
 * <li><b>Rates.</b> When the capacity is known (an upload limit), each unchoked peer is given u<sub>p</sub> as its
 * upload rate ({@link ChokeDecision#unchoke(PeerView, long)}, whole bytes per second rounded down, at most the
 * capacity): as in the paper, BitTyrant sends each peer what buys its reciprocation and no more. When the capacity
 * is only estimated, the peers are unchoked without a rate and served alike: the estimate comes from the measured
 * upload, which could never exceed the sum of the rates given, so rates would hold the upload to the estimate and
 * the estimate to the upload (at the {@value #DEFAULT_CAPACITY} B/s floor with few peers, however fast the
 * link).</li>
 * </ul>
 * A round is a rechoke interval ({@link #rechokeIntervalMillis()}, 10 s, on the engine's clock): the engine also
 * rechokes early (when a peer becomes interested and a slot is free), and such a rechoke re-decides with the current
 * estimates but learns nothing, the payload received in it counting towards the round, so that estimates move once
 * per round as in the paper, not once per event. A rechoke sorts the peers, O(n log n); the estimates of a peer are
 * dropped
 * {@value #FORGET_ROUNDS} rechokes after it was last in the list.
 */
final class BitTyrantChoker implements Choker {
    /** Growth of u<sub>p</sub> when p did not reciprocate. */
    static final double DELTA = 0.2;
    /** Shrinking of u<sub>p</sub> when p reciprocated {@value #R} rounds in a row. */
    static final double GAMMA = 0.1;
    /** Rounds of reciprocation before u<sub>p</sub> shrinks. */
    static final int R = 3;
    /** The active set of the reference client: 4 regular unchokes and 1 optimistic. */
    static final int ACTIVE_SET = 5;
    /** Upload capacity assumed without a limit or a higher measurement, bytes per second. */
    static final long DEFAULT_CAPACITY = 128 * 1024;
    /** Bounds of u<sub>p</sub>, bytes per second. */
    static final double MIN_RATE = 1024;
    static final double MAX_RATE = 1L << 40;
    /** Rechokes after which the estimates of a peer no longer in the list are dropped. */
    static final int FORGET_ROUNDS = 6;

    /** What this choker knows of a connection. */
    static final class Estimate {
        final long connectedAt;
        double d;
        double u;
        /** d comes from a reciprocated round, not from announcements. */
        boolean observed;
        /** Rounds in a row that the peer reciprocated. */
        int streak;
        /** Payload received from the peer since the round began (summed over early rechokes). */
        long roundBytes;
        /** The peer's piece count when first seen, and when; the base of the announcement rate. */
        final int firstPieces;
        final long firstSeenAt;
        long seenInRound;

        Estimate(long connectedAt, double initial, int pieces, long now) {
            this.connectedAt = connectedAt;
            this.d = initial;
            this.u = initial;
            this.firstPieces = pieces;
            this.firstSeenAt = now;
        }
    }

    private final Map<Integer, Estimate> estimates = new HashMap<>();
    private final List<PeerView> ranked = new ArrayList<>();
    private final Comparator<PeerView> order = this::compare;
    /** Rechokes so far, for dropping old estimates. */
    private long round;
    /** When the current learning round began; none yet. */
    private long roundStartMillis = Long.MIN_VALUE;
    private long peakUploadRate;

    @Override
    public void rechoke(TorrentView torrent, List<? extends PeerView> peers, ChokeDecision decision) {
        round++;
        long now = torrent.nowMillis();
        // a round ends after a rechoke interval; the engine's early rechokes only re-decide
        boolean roundEnds = roundStartMillis == Long.MIN_VALUE || now - roundStartMillis >= rechokeIntervalMillis()
                || now < roundStartMillis;
        long elapsed = roundStartMillis == Long.MIN_VALUE ? rechokeIntervalMillis()
                : Math.max(1, now - roundStartMillis);
        double capacity = capacity(decision);
        boolean capacityKnown = decision.uploadLimit() > 0;
        long pieceLength = torrent.pieceCount() > 0 ? Math.max(1, torrent.pieceLength(0)) : TorrentView.BLOCK_SIZE;
        try {
            for (PeerView peer : peers) {
                Estimate e = estimate(peer, capacity, now);
                e.roundBytes += Math.max(0, peer.downloadedSinceRechoke());
                if (roundEnds) {
                    learn(e, peer, now, elapsed, pieceLength);
                    e.roundBytes = 0;
                }
            }
            if (roundEnds) {
                roundStartMillis = now;
            }
            estimates.values().removeIf(e -> round - e.seenInRound > FORGET_ROUNDS);
            if (decision.uploadSlots() == 0) {
                return;
            }
            ranked.addAll(peers);
            ranked.sort(order);
            double committed = 0;
            for (PeerView peer : ranked) {
                double u = estimates.get(peer.id()).u;
                if (committed > 0 && committed + u > capacity) {
                    break;
                }
                if (capacityKnown) {
                    decision.unchoke(peer, rate(u, capacity));
                } else {
                    decision.unchoke(peer); // an estimated capacity sizes the active set, but caps nobody
                }
                committed += u;
            }
        } finally {
            ranked.clear(); // views are valid only during the call
        }
    }

    /** The upload capacity to share this round, bytes per second. */
    double capacity(ChokeDecision decision) {
        long limit = decision.uploadLimit();
        if (limit > 0) {
            return limit;
        }
        peakUploadRate = Math.max(peakUploadRate, decision.uploadRate());
        return Math.max(DEFAULT_CAPACITY, peakUploadRate * (1 + DELTA));
    }

    /** The upload rate given to a peer that needs {@code u}: u in whole bytes per second, at most the capacity. */
    static long rate(double u, double capacity) {
        return Math.max(1, (long) Math.min(u, capacity));
    }

    /** The estimates of this connection, new if there are none or those there are belong to an earlier one. */
    private Estimate estimate(PeerView peer, double capacity, long now) {
        Estimate e = estimates.get(peer.id());
        if (e == null || e.connectedAt != peer.connectedAtMillis()) {
            e = new Estimate(peer.connectedAtMillis(), Math.max(MIN_RATE, capacity / ACTIVE_SET),
                    peer.pieces().count(), now);
            estimates.put(peer.id(), e);
        }
        e.seenInRound = round;
        return e;
    }

    /** The end-of-round updates of the paper, for one peer; the round lasted {@code elapsed} ms. */
    private static void learn(Estimate e, PeerView peer, long now, long elapsed, long pieceLength) {
        boolean reciprocated = e.roundBytes > 0;
        if (reciprocated) {
            e.streak++;
            e.d = e.roundBytes * 1000.0 / elapsed;
            e.observed = true;
        } else {
            e.streak = 0;
            if (!e.observed && now > e.firstSeenAt) {
                int gained = peer.pieces().count() - e.firstPieces;
                if (gained > 0) {
                    e.d = (double) gained * pieceLength * 1000.0 / (now - e.firstSeenAt) / ACTIVE_SET;
                }
            }
        }
        if (!peer.amInterested()) {
            e.d = 0;
        }
        if (!peer.amChoking()) { // we unchoked it (at the last rechoke of the round that just ended)
            if (!reciprocated) {
                e.u *= 1 + DELTA;
            } else if (e.streak >= R) {
                e.u *= 1 - GAMMA;
            }
            e.u = Math.min(MAX_RATE, Math.max(MIN_RATE, e.u));
        }
    }

    /** Best d/u first, then the higher d, then peers unchoked now, then by id. */
    private int compare(PeerView a, PeerView b) {
        Estimate ea = estimates.get(a.id());
        Estimate eb = estimates.get(b.id());
        int c = Double.compare(eb.d / eb.u, ea.d / ea.u);
        if (c == 0) {
            c = Double.compare(eb.d, ea.d);
        }
        if (c == 0) {
            c = Boolean.compare(a.amChoking(), b.amChoking());
        }
        return c != 0 ? c : Integer.compare(a.id(), b.id());
    }

    /** The estimates of a connection, or null; for tests. */
    Estimate estimateOf(int id) {
        return estimates.get(id);
    }

    /** How many connections this choker keeps estimates of. */
    int estimateCount() {
        return estimates.size();
    }
}
