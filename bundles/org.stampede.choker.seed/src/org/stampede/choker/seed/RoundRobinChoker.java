package org.stampede.choker.seed;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.stampede.api.ChokeDecision;
import org.stampede.api.Choker;
import org.stampede.api.PeerView;
import org.stampede.api.TorrentView;

/**
 * Round-robin seeding, modelled on libtorrent's {@code round_robin} seed choker (its default) and close to the
 * seed state of the newer mainline choke algorithm, which Legout et al. (2006) found to share a seed's service
 * evenly: the upload slots rotate so that every interested peer gets a turn, whatever its speed.
 * <p>
 * A peer keeps its slot until its turn is <em>done</em>: it has been unchoked for at least one rechoke interval
 * (10 s, on the engine's clock, so that extra rechokes do not cut a turn short) and we have sent it at least
 * {@code pieceQuota} pieces' worth since it was unchoked. Each round the peers are ranked, and the
 * {@link ChokeDecision#uploadSlots()} first unchoked:
 * <ol>
 * <li>peers whose turn is not done (unchoked ones mid-turn, and every choked peer) before those whose turn is
 * done, which go to the back;</li>
 * <li>then the peer we sent the most to in the last round (only unchoked peers count, so the status quo holds
 * while a turn is under way);</li>
 * <li>then the peer that has waited longest since it was last unchoked (never unchoked first); peers unchoked in
 * the same round keep the order in which they got their turns, so the queue stays first in, first out (without
 * this, a tie broken by id would give low ids more turns); then the one connected longest, then by id.</li>
 * </ol>
 * libtorrent ends a turn after a minute and 20 pieces by default ({@code seeding_piece_quota}); here the quota is
 * a constructor argument (1 piece by default) and the minimum time one rechoke interval. The bytes sent since the
 * unchoke are counted here from {@link PeerView#uploaded()}, as the API reports only those since the last rechoke.
 * <p>
 * A negative slot count means no limit; zero means no uploads. A rechoke sorts the peers, O(n log n), and keeps
 * one small record per interested peer (dropped when the peer leaves the list).
 */
final class RoundRobinChoker implements Choker {
    /** Pieces' worth a peer receives in its turn by default. */
    static final int DEFAULT_PIECE_QUOTA = 1;

    /** What this choker remembers of a connection. */
    private static final class Record {
        final long connectedAt;
        /** When its last turn started, in the order turns were handed out; 0 before its first turn here. */
        long ticket;
        boolean inTurn;
        /** When the current turn started, on the engine's clock. */
        long turnStartMillis;
        /** Bytes sent to the peer before the current turn. */
        long uploadedBefore;
        long seenInRound;

        Record(long connectedAt) {
            this.connectedAt = connectedAt;
        }
    }

    /** A peer and what the ranking needs of it. */
    private record Ranked(PeerView peer, Record record, boolean done, long lastRound) {
    }

    private final int pieceQuota;
    private final Map<Integer, Record> records = new HashMap<>();
    private final List<Ranked> ranked = new ArrayList<>();
    private long round;
    private long nextTicket;

    RoundRobinChoker(int pieceQuota) {
        if (pieceQuota < 1) {
            throw new IllegalArgumentException("piece quota must be at least 1: " + pieceQuota);
        }
        this.pieceQuota = pieceQuota;
    }

    @Override
    public void rechoke(TorrentView torrent, List<? extends PeerView> peers, ChokeDecision decision) {
        round++;
        long now = torrent.nowMillis();
        long pieceLength = torrent.pieceCount() > 0 ? torrent.pieceLength(0) : TorrentView.BLOCK_SIZE;
        long quota = pieceQuota * pieceLength;
        try {
            for (PeerView peer : peers) {
                Record record = record(peer);
                record.seenInRound = round;
                boolean done = false;
                if (peer.amChoking()) {
                    record.inTurn = false;
                } else {
                    if (!record.inTurn) {
                        // unchoked before this instance saw it: count from the engine's unchoke, and the bytes
                        // from the last rechoke (all this instance can know)
                        record.inTurn = true;
                        record.turnStartMillis = peer.lastUnchokedAtMillis() >= 0 ? peer.lastUnchokedAtMillis()
                                : now - rechokeIntervalMillis();
                        record.uploadedBefore = peer.uploaded() - peer.uploadedSinceRechoke();
                    }
                    done = now - record.turnStartMillis >= rechokeIntervalMillis()
                            && peer.uploaded() - record.uploadedBefore >= quota;
                }
                ranked.add(new Ranked(peer, record, done, peer.amChoking() ? 0 : peer.uploadedSinceRechoke()));
            }
            ranked.sort(RoundRobinChoker::compare);
            int slots = decision.uploadSlots();
            int n = slots < 0 ? ranked.size() : Math.min(slots, ranked.size());
            for (int i = 0; i < n; i++) {
                Ranked r = ranked.get(i);
                decision.unchoke(r.peer());
                if (r.peer().amChoking()) {
                    r.record().inTurn = true;
                    r.record().turnStartMillis = now;
                    r.record().uploadedBefore = r.peer().uploaded();
                    r.record().ticket = ++nextTicket;
                }
            }
            records.values().removeIf(r -> r.seenInRound != round);
        } finally {
            ranked.clear(); // views are valid only during the call
        }
    }

    /** The record of this connection, new if there is none or the one there is of an earlier connection. */
    private Record record(PeerView peer) {
        Record record = records.get(peer.id());
        if (record == null || record.connectedAt != peer.connectedAtMillis()) {
            record = new Record(peer.connectedAtMillis());
            records.put(peer.id(), record);
        }
        return record;
    }

    private static int compare(Ranked a, Ranked b) {
        int c = Boolean.compare(a.done(), b.done());
        if (c == 0) {
            c = Long.compare(b.lastRound(), a.lastRound());
        }
        if (c == 0) {
            c = Long.compare(a.peer().lastUnchokedAtMillis(), b.peer().lastUnchokedAtMillis());
        }
        if (c == 0) {
            c = Long.compare(a.record().ticket, b.record().ticket);
        }
        if (c == 0) {
            c = Long.compare(a.peer().connectedAtMillis(), b.peer().connectedAtMillis());
        }
        return c != 0 ? c : Integer.compare(a.peer().id(), b.peer().id());
    }
}
