package org.stampede.api.testing;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

import org.stampede.api.ChokeDecision;
import org.stampede.api.PeerView;

/** The {@link ChokeDecision} a choker gets for one round: it reports the given settings and records the unchokes. */
public final class RecordedDecision implements ChokeDecision {
    private final int slots;
    private final long uploadLimit;
    private final long uploadRate;
    private final List<PeerView> unchoked = new ArrayList<>();
    private final List<PeerView> optimistic = new ArrayList<>();
    private final java.util.Map<PeerView, Long> rates = new java.util.IdentityHashMap<>();

    /**
     * A decision with {@code slots} upload slots, an upload limit of {@code uploadLimit} bytes per second (-1 for
     * none) and our measured upload rate {@code uploadRate}.
     */
    public RecordedDecision(int slots, long uploadLimit, long uploadRate) {
        this.slots = slots;
        this.uploadLimit = uploadLimit;
        this.uploadRate = uploadRate;
    }

    /** A decision with {@code slots} upload slots, no upload limit and no upload so far. */
    public RecordedDecision(int slots) {
        this(slots, -1, 0);
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
        rates.remove(peer);
    }

    /** Records the unchoke and the peer's upload rate, refusing a rate that is not positive, as the engine does. */
    @Override
    public void unchoke(PeerView peer, long bytesPerSecond) {
        if (bytesPerSecond <= 0) {
            throw new IllegalArgumentException("an upload rate must be positive: " + bytesPerSecond);
        }
        unchoked.add(peer);
        rates.put(peer, bytesPerSecond);
    }

    /**
     * The upload rate the choker gave {@code peer} with {@link #unchoke(PeerView, long)} (its last unchoke counts),
     * or -1 when it gave none.
     *
     * @since 0.2
     */
    public long rate(PeerView peer) {
        Long r = rates.get(peer);
        return r == null ? -1 : r;
    }

    @Override
    public void unchokeOptimistically(PeerView peer) {
        optimistic.add(peer);
    }

    /** The peers unchoked in regular slots, in the order the choker unchoked them (repeats kept). */
    public List<PeerView> unchoked() {
        return Collections.unmodifiableList(unchoked);
    }

    /** The peers unchoked optimistically, in order (repeats kept). */
    public List<PeerView> optimistic() {
        return Collections.unmodifiableList(optimistic);
    }

    /** Every peer unchoked this round, the regular ones first, then the optimistic ones. */
    public List<PeerView> allUnchoked() {
        List<PeerView> all = new ArrayList<>(unchoked);
        all.addAll(optimistic);
        return all;
    }

    /**
     * The one optimistic unchoke of the round, or null when there is none.
     *
     * @throws IllegalStateException when the choker unchoked more than one peer optimistically
     */
    public PeerView optimisticPeer() {
        if (optimistic.size() > 1) {
            throw new IllegalStateException("more than one optimistic unchoke: " + optimistic);
        }
        return optimistic.isEmpty() ? null : optimistic.get(0);
    }

    @Override
    public String toString() {
        return "unchoked " + unchoked + ", optimistic " + optimistic;
    }
}
