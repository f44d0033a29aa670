package org.stampede.choker.antileech;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;

import org.stampede.api.ChokeDecision;
import org.stampede.api.Choker;
import org.stampede.api.PeerView;
import org.stampede.api.TorrentView;

/**
 * Anti-leech seeding, after libtorrent's {@code anti_leech} seed choker ({@code src/choker.cpp},
 * {@code anti_leech_score}), which follows Chow et al., "Improving BitTorrent: A Simple Approach" (IPTPS 2008): a
 * seed serves first the peers that have just started, so that they get something to trade, and those about to
 * finish, so that they become seeds, and last the peers halfway through, who can get what they miss from the other
 * leechers. Each round:
 * <ul>
 * <li><b>Score.</b> A peer's progress is the larger of its pieces times the piece length and the bytes we have sent
 * it (which it cannot hide by not announcing); its score is the distance of that progress from half the torrent,
 * 0 at 50% up to 1000 at 0% and 100%: {@code |2 have - total| * 1000 / total}.</li>
 * <li><b>Regular slots.</b> The {@link ChokeDecision#uploadSlots()} peers with the highest score are unchoked;
 * equal scores go to the peer that has waited longest since we last saw it unchoked, then by connection id. As a
 * peer receives from us its score falls towards the middle, so slots move on by themselves.</li>
 * <li><b>Rotation slot.</b> So that nobody starves (a peer near 50% could otherwise wait for the whole seeding), one
 * more peer is unchoked as the optimistic unchoke: of the peers without a regular slot, the one that has waited
 * longest, in first-in, first-out order of the time it was last seen unchoked (or connected; a peer unchoked until
 * now has waited least, so choked peers come first); it keeps the slot for {@value #ROTATION_MILLIS} ms on
 * the engine's clock, as libtorrent's optimistic unchoke, which also goes to the peer that waited longest. With n
 * interested peers every one is unchoked at least once in n rotations.</li>
 * </ul>
 * {@code uploadSlots()} of 0 means no uploads at all, a negative value no limit (everyone unchoked). The holder of
 * the rotation slot is the peer the engine reports as {@link PeerView#optimistic()}, so a choker swapped in continues
 * it. A rechoke sorts the peers, O(n log n), and keeps a small record per interested peer, dropped when the peer
 * leaves the list.
 */
final class AntiLeechChoker implements Choker {
    /** How long the rotation slot is held. */
    static final long ROTATION_MILLIS = 30_000;
    /** The score at 0% and 100%. */
    static final int MAX_SCORE = 1000;

    /** What this choker remembers of a connection. */
    private static final class Record {
        final long connectedAt;
        /** The last time the peer was seen unchoked, or when it connected; the start of its wait. */
        long waitingSince;
        long seenInRound;

        Record(long connectedAt, long waitingSince) {
            this.connectedAt = connectedAt;
            this.waitingSince = waitingSince;
        }
    }

    private final Map<Integer, Record> records = new HashMap<>();
    private final Map<PeerView, Integer> scores = new IdentityHashMap<>();
    private final List<PeerView> ranked = new ArrayList<>();
    private long round;
    private int holderId = -1;
    private long holderConnectedAt;
    private long heldSince;

    @Override
    public void rechoke(TorrentView torrent, List<? extends PeerView> peers, ChokeDecision decision) {
        round++;
        long now = torrent.nowMillis();
        long total = totalLength(torrent);
        long pieceLength = torrent.pieceCount() > 0 ? torrent.pieceLength(0) : 0;
        try {
            for (PeerView peer : peers) {
                Record r = record(peer, now);
                if (!peer.amChoking()) {
                    r.waitingSince = now;
                }
                scores.put(peer, score(peer, pieceLength, total));
                ranked.add(peer);
            }
            records.values().removeIf(r -> r.seenInRound != round);
            int slots = decision.uploadSlots();
            if (slots == 0) {
                return;
            }
            ranked.sort(this::compare);
            int n = slots < 0 ? ranked.size() : Math.min(slots, ranked.size());
            for (int i = 0; i < n; i++) {
                decision.unchoke(ranked.get(i));
            }
            PeerView rotation = rotation(now, peers, n);
            if (rotation != null) {
                decision.unchokeOptimistically(rotation);
            }
        } finally {
            ranked.clear(); // views are valid only during the call
            scores.clear();
        }
    }

    /** The holder of the rotation slot for this round; {@code regular} first peers of {@link #ranked} are taken. */
    private PeerView rotation(long now, List<? extends PeerView> peers, int regular) {
        PeerView holder = null;
        for (PeerView peer : peers) {
            if (peer.optimistic() && ranked.indexOf(peer) >= regular) {
                holder = peer;
                break;
            }
        }
        if (holder != null && (holder.id() != holderId || holder.connectedAtMillis() != holderConnectedAt)) {
            hold(holder, now); // given the slot by an earlier choker: its time starts now
        }
        if (holder == null || now - heldSince >= ROTATION_MILLIS) {
            PeerView next = null;
            for (int i = regular; i < ranked.size(); i++) {
                PeerView peer = ranked.get(i);
                if (next == null || waitedLonger(peer, next)) {
                    next = peer;
                }
            }
            if (next != null) {
                holder = next;
                hold(next, now);
            }
        }
        return holder;
    }

    private void hold(PeerView holder, long now) {
        holderId = holder.id();
        holderConnectedAt = holder.connectedAtMillis();
        heldSince = now;
    }

    /** Whether {@code a} has waited longer than {@code b}; equal waits go to the lower id. */
    private boolean waitedLonger(PeerView a, PeerView b) {
        int c = Long.compare(records.get(a.id()).waitingSince, records.get(b.id()).waitingSince);
        return c < 0 || c == 0 && a.id() < b.id();
    }

    /** The higher score first, then the longer wait, then the lower id. */
    private int compare(PeerView a, PeerView b) {
        int c = Integer.compare(scores.get(b), scores.get(a));
        if (c != 0) {
            return c;
        }
        return waitedLonger(a, b) ? -1 : waitedLonger(b, a) ? 1 : 0;
    }

    /** The distance of the peer's progress from half the torrent, 0 (at 50%) to {@value #MAX_SCORE}. */
    static int score(PeerView peer, long pieceLength, long total) {
        if (total <= 0) {
            return 0;
        }
        long have = Math.max(Math.max(0, peer.uploaded()), (long) peer.pieces().count() * pieceLength);
        have = Math.min(have, total);
        return (int) (Math.abs(2 * have - total) * MAX_SCORE / total);
    }

    private static long totalLength(TorrentView torrent) {
        int n = torrent.pieceCount();
        return n == 0 ? 0 : (long) (n - 1) * torrent.pieceLength(0) + torrent.pieceLength(n - 1);
    }

    /** The record of this connection, new if there is none or the one there is of an earlier connection. */
    private Record record(PeerView peer, long now) {
        Record r = records.get(peer.id());
        if (r == null || r.connectedAt != peer.connectedAtMillis()) {
            long since = Math.max(peer.connectedAtMillis(), peer.lastUnchokedAtMillis());
            r = new Record(peer.connectedAtMillis(), Math.min(since, now));
            records.put(peer.id(), r);
        }
        r.seenInRound = round;
        return r;
    }
}
