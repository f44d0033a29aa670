package org.stampede.engine.internal;

import java.util.Map;

/** Where the engine's events go: EventAdmin in a framework, nowhere (or a test's list) outside. */
@FunctionalInterface
interface EventSink {
    EventSink NONE = (topic, properties) -> {
    };

    /** Must not block: called with a torrent's lock held. */
    void post(String topic, Map<String, Object> properties);
}
