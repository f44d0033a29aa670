package org.stampede.engine.internal;

import java.io.IOException;
import java.net.URI;
import java.util.function.Function;

import org.stampede.engine.EngineSettings;
import org.stampede.tracker.TrackerClient;
import org.stampede.transport.tcp.TcpTransport;

/**
 * Engines outside a framework, as the tests build them: the strategies given, TCP as the one transport (its own
 * instance, closed with the engine), the trackers given.
 */
final class TestEngines {
    private TestEngines() {
    }

    static EngineImpl create(EngineSettings settings, StrategyRegistry strategies,
            Function<URI, TrackerClient> trackers) throws IOException {
        return create(settings, strategies, trackers, EventSink.NONE, SelectionStore.NONE);
    }

    static EngineImpl create(EngineSettings settings, StrategyRegistry strategies,
            Function<URI, TrackerClient> trackers, EventSink events) throws IOException {
        return create(settings, strategies, trackers, events, SelectionStore.NONE);
    }

    static EngineImpl create(EngineSettings settings, StrategyRegistry strategies,
            Function<URI, TrackerClient> trackers, EventSink events, SelectionStore selections) throws IOException {
        TcpTransport tcp = new TcpTransport();
        EngineImpl engine;
        try {
            engine = new EngineImpl(settings, strategies, Plugins.of(tcp), trackers, events, selections);
        } catch (IOException | RuntimeException e) {
            tcp.close();
            throw e;
        }
        engine.onClose(tcp::close);
        return engine;
    }

    /** An engine with these plug-ins (the test owns and closes them). */
    static EngineImpl create(EngineSettings settings, StrategyRegistry strategies, Plugins plugins)
            throws IOException {
        return new EngineImpl(settings, strategies, plugins, u -> null, EventSink.NONE, SelectionStore.NONE);
    }
}
