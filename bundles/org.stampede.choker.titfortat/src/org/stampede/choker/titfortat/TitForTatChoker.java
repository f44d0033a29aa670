package org.stampede.choker.titfortat;

import java.util.ArrayList;
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
 * Tit-for-tat choking while downloading, as in mainline BitTorrent (BEP 3; Cohen 2003, "Choking Algorithms";
 * Legout et al. 2006, leecher state): every rechoke gives the {@link ChokeDecision#uploadSlots()} regular slots to
 * the interested peers that sent us the most payload since the last rechoke (then the fastest by download rate),
 * except snubbed peers (anti-snubbing: a peer that has sent us nothing we asked for in a while gets uploads only as
 * an optimistic unchoke), plus one {@link OptimisticUnchoke optimistic unchoke}.
 * <p>
 * Ties keep the peers that hold a regular slot now (fewer choke/unchoke messages), then go by connection id; the
 * optimistic holder earns a regular slot only by what it sends us. A negative slot count means no limit (every
 * peer that is not snubbed); zero means no uploads at all, not even an optimistic unchoke. A rechoke sorts the
 * peers, O(n log n).
 */
final class TitForTatChoker implements Choker {
    private final OptimisticUnchoke optimistic;
    private final List<PeerView> ranked = new ArrayList<>();
    private final Set<PeerView> regular = Collections.newSetFromMap(new IdentityHashMap<>());

    TitForTatChoker(OptimisticUnchoke optimistic) {
        this.optimistic = optimistic;
    }

    @Override
    public void rechoke(TorrentView torrent, List<? extends PeerView> peers, ChokeDecision decision) {
        int slots = decision.uploadSlots();
        if (slots == 0) {
            return;
        }
        try {
            for (PeerView peer : peers) {
                if (!peer.snubbed()) {
                    ranked.add(peer);
                }
            }
            ranked.sort(TitForTatChoker::compare);
            int n = slots < 0 ? ranked.size() : Math.min(slots, ranked.size());
            for (int i = 0; i < n; i++) {
                PeerView peer = ranked.get(i);
                decision.unchoke(peer);
                regular.add(peer);
            }
            optimistic.rechoke(torrent.nowMillis(), peers, regular, decision);
        } finally {
            ranked.clear(); // views are valid only during the call
            regular.clear();
        }
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
