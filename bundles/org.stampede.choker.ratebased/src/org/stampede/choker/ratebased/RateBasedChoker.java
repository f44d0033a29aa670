package org.stampede.choker.ratebased;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Set;

import org.stampede.api.ChokeDecision;
import org.stampede.api.Choker;
import org.stampede.api.PeerView;
import org.stampede.api.TorrentView;
import org.stampede.api.util.OptimisticUnchoke;

/**
 * Rate-based choking, after libtorrent's {@code rate_based_choker} ({@code src/choker.cpp}, {@code unchoke_sort}):
 * the number of regular upload slots is not configured but found each round from the upload rates we achieved, so
 * that uploads are spread over as many peers as the link can serve well, and no more.
 * <p>
 * <b>Slot count.</b> The rate we sent each interested peer in the last round ({@link PeerView#uploadedSinceRechoke()}
 * over the time since this choker's last rechoke) is sorted from the fastest down. The first peer must have been
 * sent at least {@value #INITIAL_THRESHOLD} B/s, and each further peer {@value #THRESHOLD_STEP} B/s more than the one
 * before it; the slot count is the number of peers that pass, plus one. So the count grows by one a round while
 * every unchoked peer takes its rising share, and it shrinks as soon as the peers at the bottom fall below theirs
 * (because the link is full). With no uploads at all there is one slot.
 * <p>
 * <b>Who gets them.</b> As in tit-for-tat: the peers that sent us the most payload since the last rechoke (then the
 * higher download rate, then those that hold a regular slot now, then by connection id); snubbed peers get no
 * regular slot. One {@link OptimisticUnchoke optimistic unchoke} more rotates every 30 s, as libtorrent does next to
 * every choker.
 * <p>
 * {@link ChokeDecision#uploadSlots()} is not used, except that 0 still means no uploads at all. A rechoke sorts the
 * peers, O(n log n); the per-peer rates are sorted in an array owned by the instance.
 */
final class RateBasedChoker implements Choker {
    /** libtorrent's {@code rate_choker_initial_threshold}: the rate the fastest peer must reach, bytes per second. */
    static final long INITIAL_THRESHOLD = 1024;
    /** How much more each further peer must reach, bytes per second (libtorrent: 2 KiB/s). */
    static final long THRESHOLD_STEP = 2048;

    private final OptimisticUnchoke optimistic;
    private final List<PeerView> ranked = new ArrayList<>();
    private final Set<PeerView> regular = Collections.newSetFromMap(new IdentityHashMap<>());
    private long[] rates = new long[16];
    /** When this instance last rechoked, on the engine's clock; none yet. */
    private long lastRechokeMillis = Long.MIN_VALUE;

    RateBasedChoker(OptimisticUnchoke optimistic) {
        this.optimistic = optimistic;
    }

    @Override
    public void rechoke(TorrentView torrent, List<? extends PeerView> peers, ChokeDecision decision) {
        long now = torrent.nowMillis();
        long elapsed = lastRechokeMillis == Long.MIN_VALUE ? rechokeIntervalMillis()
                : Math.max(1, now - lastRechokeMillis);
        lastRechokeMillis = now;
        if (decision.uploadSlots() == 0) {
            return;
        }
        int slots = slotCount(peers, elapsed);
        try {
            for (PeerView peer : peers) {
                if (!peer.snubbed()) {
                    ranked.add(peer);
                }
            }
            ranked.sort(RateBasedChoker::compare);
            int n = Math.min(slots, ranked.size());
            for (int i = 0; i < n; i++) {
                PeerView peer = ranked.get(i);
                decision.unchoke(peer);
                regular.add(peer);
            }
            optimistic.rechoke(now, peers, regular, decision);
        } finally {
            ranked.clear(); // views are valid only during the call
            regular.clear();
        }
    }

    /** The number of regular slots for the next round, from the upload rates of the last {@code elapsed} ms. */
    int slotCount(List<? extends PeerView> peers, long elapsed) {
        int n = peers.size();
        if (rates.length < n) {
            rates = new long[Math.max(n, rates.length * 2)];
        }
        for (int i = 0; i < n; i++) {
            rates[i] = rate(peers.get(i).uploadedSinceRechoke(), elapsed);
        }
        Arrays.sort(rates, 0, n);
        int slots = 0;
        long threshold = INITIAL_THRESHOLD;
        for (int i = n - 1; i >= 0 && rates[i] >= threshold; i--) {
            slots++;
            threshold += THRESHOLD_STEP;
        }
        return slots + 1;
    }

    /** Bytes per second, without overflow for any byte count a peer can report. */
    private static long rate(long bytes, long elapsedMillis) {
        long b = Math.max(0, bytes);
        return b <= Long.MAX_VALUE / 1000 ? b * 1000 / elapsedMillis : b / elapsedMillis * 1000;
    }

    /** Who deserves a regular slot more comes first. */
    static int compare(PeerView a, PeerView b) {
        int c = Long.compare(b.downloadedSinceRechoke(), a.downloadedSinceRechoke());
        if (c == 0) {
            c = Long.compare(b.downloadRate(), a.downloadRate());
        }
        if (c == 0) {
            c = Boolean.compare(a.amChoking() || a.optimistic(), b.amChoking() || b.optimistic());
        }
        return c != 0 ? c : Integer.compare(a.id(), b.id());
    }
}
