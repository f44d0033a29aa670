package org.stampede.ui.internal;

import java.lang.reflect.Field;
import java.lang.reflect.Method;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

import org.osgi.service.event.Event;
import org.osgi.service.event.EventAdmin;
import org.stampede.api.BlockRequests;
import org.stampede.api.BlockState;
import org.stampede.api.ChokeDecision;
import org.stampede.api.Choker;
import org.stampede.api.ChokerFactory;
import org.stampede.api.PeerView;
import org.stampede.api.PiecePicker;
import org.stampede.api.PiecePickerFactory;
import org.stampede.api.StrategyKind;
import org.stampede.api.StrategyName;
import org.stampede.api.TorrentView;
import org.stampede.engine.EngineFactory;
import org.stampede.engine.internal.EngineFactoryComponent;
import org.stampede.spi.Transport;
import org.stampede.tracker.TrackerClientFactory;
import org.stampede.transport.tcp.TcpTransport;
import org.stampede.tracker.internal.HttpTrackerClientFactory;

/**
 * The real engine factory outside a framework. Nobody binds its DS references there, so this calls its bind
 * methods and sets its EventAdmin field (package-private DS members) by reflection: two simple pickers and an
 * unchoke-all choker of its own (the strategy bundles are not visible to this fragment), the HTTP tracker client,
 * the TCP transport (one for the test run; its threads are daemons),
 * and an EventAdmin that hands every engine event to {@code events}, as {@code ClientSessionComponent} passes them
 * to the session in a framework.
 */
public final class TestEngines {
    private TestEngines() {
    }

    public static EngineFactory factory(Consumer<Event> events) throws ReflectiveOperationException {
        EngineFactoryComponent c = new EngineFactoryComponent();
        Method picker = EngineFactoryComponent.class.getDeclaredMethod("addPicker", PiecePickerFactory.class,
                Map.class);
        Method choker = EngineFactoryComponent.class.getDeclaredMethod("addChoker", ChokerFactory.class, Map.class);
        Method trackers = EngineFactoryComponent.class.getDeclaredMethod("addTracker", TrackerClientFactory.class);
        Field admin = EngineFactoryComponent.class.getDeclaredField("eventAdmin");
        picker.setAccessible(true);
        choker.setAccessible(true);
        trackers.setAccessible(true);
        admin.setAccessible(true);
        picker.invoke(c, (PiecePickerFactory) t -> new InOrder(false), Map.of(StrategyName.NAME, "in-order"));
        picker.invoke(c, (PiecePickerFactory) t -> new InOrder(true), Map.of(StrategyName.NAME, "reverse-order"));
        choker.invoke(c, (ChokerFactory) t -> new UnchokeAll(), Map.of(StrategyName.NAME, "unchoke-all",
                StrategyKind.NAME, StrategyKind.CHOKER));
        choker.invoke(c, (ChokerFactory) t -> new UnchokeAll(), Map.of(StrategyName.NAME, "unchoke-all",
                StrategyKind.NAME, StrategyKind.SEED_CHOKER));
        trackers.invoke(c, new HttpTrackerClientFactory());
        Method transport = EngineFactoryComponent.class.getDeclaredMethod("addTransport", Transport.class, Map.class);
        transport.setAccessible(true);
        transport.invoke(c, new TcpTransport(), Map.of());
        admin.set(c, new EventAdmin() {
            @Override
            public void postEvent(Event event) {
                events.accept(event);
            }

            @Override
            public void sendEvent(Event event) {
                events.accept(event);
            }
        });
        return c;
    }

    /** Requests the lowest (or, reversed, the highest) missing blocks the peer has; in endgame, requested ones too. */
    static final class InOrder implements PiecePicker {
        private final boolean reversed;

        InOrder(boolean reversed) {
            this.reversed = reversed;
        }

        @Override
        public void pick(TorrentView t, PeerView peer, BlockRequests out) {
            int n = t.pieceCount();
            for (int i = 0; i < n && out.remaining() > 0; i++) {
                int p = reversed ? n - 1 - i : i;
                if (!t.wanted().contains(p) || !peer.pieces().contains(p)) {
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
}
