package org.stampede.choker.seed;

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
 * Seeding by upload speed, the seed rule of BEP 3 and of early mainline BitTorrent (Cohen 2003, "Upload Only": a
 * peer with the complete file ranks peers by its upload rate to them, having no download rate to go by) and
 * libtorrent's {@code fastest_upload} seed choker: the {@link ChokeDecision#uploadSlots()} regular slots go to
 * the peers we sent the most to since the last rechoke (then the fastest by upload rate, then the one that has
 * waited longest since its last unchoke), plus one {@link OptimisticUnchoke optimistic unchoke} so that new peers
 * get a chance. It spreads pieces quickly to fast peers but lets a fast peer hold a slot for as long as it stays
 * fast.
 * <p>
 * A negative slot count means no limit; zero means no uploads. A rechoke sorts the peers, O(n log n).
 */
final class FastestUploadChoker implements Choker {
    private final OptimisticUnchoke optimistic;
    private final List<PeerView> ranked = new ArrayList<>();
    private final Set<PeerView> regular = Collections.newSetFromMap(new IdentityHashMap<>());

    FastestUploadChoker(OptimisticUnchoke optimistic) {
        this.optimistic = optimistic;
    }

    @Override
    public void rechoke(TorrentView torrent, List<? extends PeerView> peers, ChokeDecision decision) {
        int slots = decision.uploadSlots();
        if (slots == 0) {
            return;
        }
        try {
            ranked.addAll(peers);
            ranked.sort(FastestUploadChoker::compare);
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

    /** Whom we upload to fastest comes first. */
    static int compare(PeerView a, PeerView b) {
        int c = Long.compare(b.uploadedSinceRechoke(), a.uploadedSinceRechoke());
        if (c == 0) {
            c = Long.compare(b.uploadRate(), a.uploadRate());
        }
        if (c == 0) {
            c = Long.compare(a.lastUnchokedAtMillis(), b.lastUnchokedAtMillis());
        }
        return c != 0 ? c : Integer.compare(a.id(), b.id());
    }
}
