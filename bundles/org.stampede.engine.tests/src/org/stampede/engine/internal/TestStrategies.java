package org.stampede.engine.internal;

import java.util.List;

import org.stampede.api.BlockRequests;
import org.stampede.api.BlockState;
import org.stampede.api.ChokeDecision;
import org.stampede.api.Choker;
import org.stampede.api.ChokerFactory;
import org.stampede.api.PeerView;
import org.stampede.api.PiecePicker;
import org.stampede.api.PiecePickerFactory;
import org.stampede.api.StrategyKind;
import org.stampede.api.TorrentView;

/**
 * Test fixtures: the simplest correct strategies, so engine tests run without the strategy bundles (which DS
 * provides in a running framework). In-order picking and unchoke-everyone are real, documented behaviours.
 */
final class TestStrategies {
    private TestStrategies() {
    }

    /** Offers the lowest missing blocks the peer has; in endgame, blocks requested elsewhere too. */
    static final class InOrder implements PiecePicker {
        int picks;

        @Override
        public void pick(TorrentView t, PeerView peer, BlockRequests out) {
            picks++;
            for (int p = t.wanted().nextSetBit(0); p >= 0 && out.remaining() > 0; p = t.wanted().nextSetBit(p + 1)) {
                if (!peer.pieces().contains(p)) {
                    continue;
                }
                for (int b = 0; b < t.blockCount(p) && out.remaining() > 0; b++) {
                    BlockState s = t.blockState(p, b);
                    if (s == BlockState.MISSING || s == BlockState.REQUESTED && t.endgame()) {
                        out.request(p, b);
                    }
                }
            }
        }
    }

    /** Unchokes every interested peer. */
    static final class UnchokeAll implements Choker {
        @Override
        public long rechokeIntervalMillis() {
            return 1000;
        }

        @Override
        public void rechoke(TorrentView t, List<? extends PeerView> peers, ChokeDecision d) {
            peers.forEach(d::unchoke);
        }
    }

    /**
     * The test strategies plus a picker {@code name} that offers, lowest piece first, every block of a wanted piece
     * the peer has whose state passes {@code offer}: the engine decides which it asks for.
     */
    static StrategyRegistry withBlockPicker(String name, java.util.function.Predicate<org.stampede.api.BlockState> offer) {
        StrategyRegistry r = registry();
        PiecePickerFactory picker = x -> (torrent, peer, out) -> {
            for (int p = torrent.wanted().nextSetBit(0); p >= 0 && out.remaining() > 0;
                    p = torrent.wanted().nextSetBit(p + 1)) {
                for (int b = 0; b < torrent.blockCount(p) && out.remaining() > 0; b++) {
                    if (peer.pieces().contains(p) && offer.test(torrent.blockState(p, b))) {
                        out.request(p, b);
                    }
                }
            }
        };
        r.add(new StrategyRegistry.Entry(StrategyKind.PICKER, name, picker, "test", "0", "test"));
        return r;
    }

    static StrategyRegistry registry() {
        StrategyRegistry r = new StrategyRegistry();
        PiecePickerFactory picker = t -> new InOrder();
        ChokerFactory choker = t -> new UnchokeAll();
        r.add(new StrategyRegistry.Entry(StrategyKind.PICKER, "in-order", picker, "test", "0", "test"));
        r.add(new StrategyRegistry.Entry(StrategyKind.CHOKER, "unchoke-all", choker, "test", "0", "test"));
        r.add(new StrategyRegistry.Entry(StrategyKind.SEED_CHOKER, "unchoke-all", choker, "test", "0", "test"));
        return r;
    }
}
