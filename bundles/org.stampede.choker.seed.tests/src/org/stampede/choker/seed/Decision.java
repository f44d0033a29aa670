package org.stampede.choker.seed;

import java.util.ArrayList;
import java.util.List;

import org.stampede.api.ChokeDecision;
import org.stampede.api.PeerView;

/** Records a choker's decision for one round. */
final class Decision implements ChokeDecision {
    private final int slots;
    final List<PeerView> unchoked = new ArrayList<>();
    final List<PeerView> optimistic = new ArrayList<>();

    Decision(int slots) {
        this.slots = slots;
    }

    @Override
    public int uploadSlots() {
        return slots;
    }

    @Override
    public long uploadLimit() {
        return -1;
    }

    @Override
    public long uploadRate() {
        return 0;
    }

    @Override
    public void unchoke(PeerView peer) {
        unchoked.add(peer);
    }

    @Override
    public void unchokeOptimistically(PeerView peer) {
        optimistic.add(peer);
    }

    /** The one optimistic unchoke of the round, or null. */
    PeerView optimisticPeer() {
        if (optimistic.size() > 1) {
            throw new AssertionError("more than one optimistic unchoke: " + optimistic);
        }
        return optimistic.isEmpty() ? null : optimistic.get(0);
    }
}
