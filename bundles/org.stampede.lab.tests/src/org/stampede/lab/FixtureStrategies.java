package org.stampede.lab;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.SplittableRandom;

import org.stampede.api.BlockRequests;
import org.stampede.api.BlockState;
import org.stampede.api.ChokeDecision;
import org.stampede.api.Choker;
import org.stampede.api.ChokerFactory;
import org.stampede.api.PeerView;
import org.stampede.api.PiecePicker;
import org.stampede.api.PiecePickerFactory;
import org.stampede.api.PieceSet;
import org.stampede.api.StrategyKind;
import org.stampede.api.TorrentView;

/**
 * Test fixtures: small, plain strategies written against the API for the lab's tests (the strategy bundles export
 * nothing, so their classes are not visible here). Each instance draws from its own split of one
 * {@link SplittableRandom} seeded by the test, so runs with these strategies are reproducible; the lab creates
 * instances in a fixed order.
 * <ul>
 * <li>picker {@code rarest-first}: missing blocks of started pieces first, then new pieces by lowest availability
 * (ties at random), then in endgame the blocks requested elsewhere;</li>
 * <li>picker {@code random}: the same, except new pieces are taken in uniformly random order;</li>
 * <li>choker {@code tit-for-tat}: the {@code uploadSlots()} interested peers that sent us the most since the last
 * rechoke (snubbed ones excluded), plus one optimistic unchoke that moves every 30 s to a random other peer;</li>
 * <li>choker or seed-choker {@code unchoke-all}: every interested peer;</li>
 * <li>seed-choker {@code round-robin}: the {@code uploadSlots()} choked peers unchoked longest ago (never first),
 * so the slots rotate every rechoke.</li>
 * </ul>
 */
final class FixtureStrategies implements StrategySource {
    static final String RAREST = "rarest-first";
    static final String RANDOM = "random";
    static final String TIT_FOR_TAT = "tit-for-tat";
    static final String UNCHOKE_ALL = "unchoke-all";
    static final String ROUND_ROBIN = "round-robin";

    private final SplittableRandom root;

    FixtureStrategies(long seed) {
        this.root = new SplittableRandom(seed);
    }

    @Override
    public PiecePickerFactory picker(String name) {
        return switch (name) {
            case RAREST -> t -> new Picker(true, root.split());
            case RANDOM -> t -> new Picker(false, root.split());
            default -> null;
        };
    }

    @Override
    public ChokerFactory choker(String kind, String name) {
        if (StrategyKind.CHOKER.equals(kind) && TIT_FOR_TAT.equals(name)) {
            return t -> new TitForTat(root.split());
        }
        if (UNCHOKE_ALL.equals(name)) {
            return t -> (torrent, peers, decision) -> peers.forEach(decision::unchoke);
        }
        if (StrategyKind.SEED_CHOKER.equals(kind) && ROUND_ROBIN.equals(name)) {
            return t -> new RoundRobin();
        }
        return null;
    }

    @Override
    public String origin(String kind, String name) {
        return "test fixture";
    }

    /** Started pieces first, then new pieces rarest first or at random, then endgame. */
    static final class Picker implements PiecePicker {
        private final boolean rarest;
        private final SplittableRandom random;
        private long[] keys = new long[0];

        Picker(boolean rarest, SplittableRandom random) {
            this.rarest = rarest;
            this.random = random;
        }

        @Override
        public void pick(TorrentView t, PeerView peer, BlockRequests r) {
            if (peer.peerChoking()) {
                return;
            }
            PieceSet has = peer.pieces();
            PieceSet wanted = t.wanted();
            PieceSet partial = t.partial();
            for (int p = partial.nextSetBit(0); p >= 0; p = partial.nextSetBit(p + 1)) {
                if (has.contains(p) && wanted.contains(p) && offer(t, p, BlockState.MISSING, r)) {
                    return;
                }
            }
            if (keys.length < t.pieceCount()) {
                keys = new long[t.pieceCount()];
            }
            int n = 0;
            for (int p = wanted.nextSetBit(0); p >= 0; p = wanted.nextSetBit(p + 1)) {
                if (has.contains(p) && !partial.contains(p)) {
                    keys[n++] = p;
                }
            }
            for (int i = n - 1; i > 0; i--) { // shuffle, so that ties (or everything, for random) go at random
                int j = random.nextInt(i + 1);
                long k = keys[i];
                keys[i] = keys[j];
                keys[j] = k;
            }
            if (rarest) {
                for (int i = 0; i < n; i++) {
                    int p = (int) keys[i];
                    keys[i] = (long) t.availability(p) << 40 | (long) i << 20 | p;
                }
                Arrays.sort(keys, 0, n);
            }
            for (int i = 0; i < n; i++) {
                if (offer(t, (int) (keys[i] & 0xFFFFF), BlockState.MISSING, r)) {
                    return;
                }
            }
            if (t.endgame()) {
                for (int p = partial.nextSetBit(0); p >= 0; p = partial.nextSetBit(p + 1)) {
                    if (has.contains(p) && wanted.contains(p) && offer(t, p, BlockState.REQUESTED, r)) {
                        return;
                    }
                }
            }
        }

        /** Offers the piece's blocks in the state; returns whether the engine takes no more. */
        private static boolean offer(TorrentView t, int piece, BlockState state, BlockRequests r) {
            for (int b = 0; b < t.blockCount(piece); b++) {
                if (t.blockState(piece, b) == state) {
                    r.request(piece, b);
                    if (r.remaining() <= 0) {
                        return true;
                    }
                }
            }
            return false;
        }
    }

    /** Reciprocation by bytes received since the last rechoke, and one optimistic unchoke rotated every 30 s. */
    static final class TitForTat implements Choker {
        private final SplittableRandom random;
        private int optimisticId = -1;
        private long optimisticSince;

        TitForTat(SplittableRandom random) {
            this.random = random;
        }

        @Override
        public void rechoke(TorrentView t, List<? extends PeerView> peers, ChokeDecision d) {
            List<PeerView> ranked = new ArrayList<>();
            for (PeerView p : peers) {
                if (!p.snubbed()) {
                    ranked.add(p);
                }
            }
            ranked.sort(Comparator.comparingLong(PeerView::downloadedSinceRechoke).reversed()
                    .thenComparingInt(PeerView::id));
            int slots = d.uploadSlots() < 0 ? ranked.size() : Math.min(d.uploadSlots(), ranked.size());
            List<PeerView> others = new ArrayList<>(peers);
            for (int i = 0; i < slots; i++) {
                d.unchoke(ranked.get(i));
                others.remove(ranked.get(i));
            }
            PeerView holder = null;
            for (PeerView p : others) {
                if (p.id() == optimisticId) {
                    holder = p;
                }
            }
            if ((holder == null || t.nowMillis() - optimisticSince >= 30_000) && !others.isEmpty()) {
                holder = others.get(random.nextInt(others.size()));
                optimisticId = holder.id();
                optimisticSince = t.nowMillis();
            }
            if (holder != null) {
                d.unchokeOptimistically(holder);
            }
        }
    }

    /** Seeding: the choked peers unchoked longest ago (never first) take the slots, so the slots rotate. */
    static final class RoundRobin implements Choker {
        @Override
        public void rechoke(TorrentView t, List<? extends PeerView> peers, ChokeDecision d) {
            List<PeerView> ranked = new ArrayList<>(peers);
            ranked.sort(Comparator.comparing((PeerView p) -> !p.amChoking())
                    .thenComparingLong(PeerView::lastUnchokedAtMillis).thenComparingInt(PeerView::id));
            int slots = d.uploadSlots() < 0 ? ranked.size() : Math.min(d.uploadSlots(), ranked.size());
            for (int i = 0; i < slots; i++) {
                d.unchoke(ranked.get(i));
            }
        }
    }
}
