package org.stampede.engine.internal;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.stampede.api.ChokeDecision;
import org.stampede.api.Choker;
import org.stampede.api.PeerView;
import org.stampede.wire.Message;

/**
 * Choke rounds: when the choker (or the seed choker, once every piece is here) is asked, and how its decision is
 * applied: chokes and unchokes sent, rejected requests for the newly choked, each unchoked peer's upload share.
 * The timer says when a round is due; the round itself runs on the strategy task. Under the torrent's lock.
 */
final class ChokeRounds {
    private static final long DEFAULT_INTERVAL = 10_000;

    private final TorrentSession s;
    private final Decision decision = new Decision();
    private long lastRechoke;
    /** The choker's wish, asked on the strategy task after each round. */
    private long rechokeInterval = DEFAULT_INTERVAL;
    private boolean rechokeDue;

    ChokeRounds(TorrentSession session) {
        this.s = session;
    }

    /** The engine's side of {@link ChokeDecision}. */
    private final class Decision implements ChokeDecision {
        final Set<Integer> unchoke = new HashSet<>();
        /** Upload rates the choker gave unchoked peers (bytes per second), by peer id; others are served alike. */
        final Map<Integer, Long> rates = new HashMap<>();
        int optimistic = -1;

        @Override
        public int uploadSlots() {
            return s.engine.settings().uploadSlots();
        }

        @Override
        public long uploadLimit() {
            long t = s.upLimit.rate();
            long g = s.engine.uploadLimit().rate();
            return t > 0 && g > 0 ? Math.min(t, g) : Math.max(t, g) > 0 ? Math.max(t, g) : -1;
        }

        @Override
        public long uploadRate() {
            return s.up.rate(s.engine.nowMillis());
        }

        @Override
        public void unchoke(PeerView peer) {
            unchoke.add(peer.id());
            rates.remove(peer.id());
        }

        @Override
        public void unchoke(PeerView peer, long bytesPerSecond) {
            if (bytesPerSecond <= 0) {
                throw new IllegalArgumentException("an upload rate must be positive: " + bytesPerSecond);
            }
            unchoke.add(peer.id());
            rates.put(peer.id(), bytesPerSecond);
        }

        @Override
        public void unchokeOptimistically(PeerView peer) {
            unchoke.add(peer.id());
            optimistic = peer.id();
        }
    }

    /** The next timer tick starts a round (a slot came free, the torrent finished or resumed). */
    void soon() {
        lastRechoke = 0;
    }

    /** A peer became interested: with an upload slot free, a round at the next tick. */
    void peerInterested() {
        int unchoked = 0;
        for (PeerConnection p : s.peers.values()) {
            if (!p.amChoking) {
                unchoked++;
            }
        }
        if (unchoked < s.engine.settings().uploadSlots()) {
            soon();
        }
    }

    /** On the timer: a round is due when the choker's interval has passed; the strategy task runs it. */
    void tick(long now) {
        long interval = s.strategies.activeChoker().instance == null ? DEFAULT_INTERVAL : rechokeInterval;
        if (now - lastRechoke >= interval) {
            lastRechoke = now;
            rechokeDue = true;
            s.strategies.wake();
        }
    }

    /** On the strategy task: runs a round that is due; whether one was. */
    boolean rechokeIfDue() {
        if (!rechokeDue) {
            return false;
        }
        rechokeDue = false;
        rechoke();
        return true;
    }

    private void rechoke() {
        StrategySlot<Choker> slot = s.strategies.activeChoker();
        if (slot.instance == null) {
            return;
        }
        long now = s.engine.nowMillis();
        List<PeerConnection> interested = new ArrayList<>();
        for (PeerConnection p : s.peers.values()) {
            p.nowForRates = now;
            if (p.peerInterested) {
                interested.add(p);
            }
        }
        decision.unchoke.clear();
        decision.rates.clear();
        decision.optimistic = -1;
        long t0 = System.nanoTime();
        s.strategies.calling(slot);
        try {
            slot.instance.rechoke(s.state, interested, decision);
        } catch (RuntimeException | LinkageError ex) {
            s.strategies.failed(slot, ex);
            return;
        }
        s.strategies.returned(slot, t0);
        rechokeInterval = safeInterval(slot);
        s.engine.countDecision(s.infoHashHex, slot.kind, slot.name, 1);
        for (PeerConnection p : s.peers.values()) {
            boolean unchoke = decision.unchoke.contains(p.id) && p.peerInterested;
            p.optimistic = p.id == decision.optimistic;
            Long rate = decision.rates.get(p.id);
            p.upShare.setRate(unchoke && rate != null ? rate : 0); // 0: no rate of its own
            if (unchoke && p.amChoking) {
                p.amChoking = false;
                p.lastUnchokedAt = now;
                p.send(Message.Unchoke.INSTANCE);
            } else if (!unchoke && !p.amChoking) {
                p.amChoking = true;
                p.send(Message.Choke.INSTANCE);
                if (p.fast) {
                    for (PeerConnection.Wanted w : p.uploads) {
                        p.send(new Message.RejectRequest(w.piece(), w.begin(), w.length()));
                    }
                }
                p.uploads.clear();
            }
            p.downloadedAtRechoke = p.down.total();
            p.uploadedAtRechoke = p.up.total();
        }
    }

    /** On the strategy task, after a round: when the choker wants the next one, within 1 to 60 s. */
    private long safeInterval(StrategySlot<Choker> slot) {
        if (slot.instance == null) {
            return DEFAULT_INTERVAL;
        }
        try {
            return Math.max(1_000, Math.min(60_000, slot.instance.rechokeIntervalMillis()));
        } catch (RuntimeException | LinkageError ex) {
            s.strategies.failed(slot, ex);
            return DEFAULT_INTERVAL;
        }
    }
}
