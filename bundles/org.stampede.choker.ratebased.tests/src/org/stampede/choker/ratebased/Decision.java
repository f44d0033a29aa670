package org.stampede.choker.ratebased;

import java.util.ArrayList;
import java.util.List;

import org.stampede.api.ChokeDecision;
import org.stampede.api.PeerView;

/** Records a choker's decision for one round. */
final class Decision implements ChokeDecision {
    private final int slots;
    private final long uploadLimit;
    private final long uploadRate;
    final List<PeerView> unchoked = new ArrayList<>();
    final List<PeerView> optimistic = new ArrayList<>();

    Decision(int slots, long uploadLimit, long uploadRate) {
        this.slots = slots;
        this.uploadLimit = uploadLimit;
        this.uploadRate = uploadRate;
    }

    @Override
    public int uploadSlots() {
        return slots;
    }

    @Override
    public long uploadLimit() {
        return uploadLimit;
    }

    @Override
    public long uploadRate() {
        return uploadRate;
    }

    @Override
    public void unchoke(PeerView peer) {
        unchoked.add(peer);
    }

    @Override
    public void unchokeOptimistically(PeerView peer) {
        optimistic.add(peer);
    }

    /** Every peer unchoked this round, regular or optimistic. */
    List<PeerView> all() {
        List<PeerView> all = new ArrayList<>(unchoked);
        all.addAll(optimistic);
        return all;
    }

    /** The one optimistic unchoke of the round, or null. */
    PeerView optimisticPeer() {
        if (optimistic.size() > 1) {
            throw new AssertionError("more than one optimistic unchoke: " + optimistic);
        }
        return optimistic.isEmpty() ? null : optimistic.get(0);
    }
}
