package org.stampede.spi;

import java.util.concurrent.CompletableFuture;

import org.osgi.annotation.versioning.ConsumerType;

/**
 * Finds peers for torrents: trackers, the DHT, LSD. Registered as an OSGi service; the engine starts it for each
 * torrent that runs (private torrents only get sources that {@link #allowsPrivate()}) and stops it when the torrent
 * pauses or is removed, or when the source's bundle goes away.
 *
 * @since 0.1
 */
@ConsumerType
public interface PeerSource {

    /** Short name: {@code tracker}, {@code dht}, {@code lsd}. */
    String name();

    /** Whether the source may be used for private torrents (BEP 27): only trackers may. */
    default boolean allowsPrivate() {
        return false;
    }

    /**
     * Starts looking for peers of {@code torrent}, feeding them to {@code sink}. Must return quickly: lookups run on
     * the source's own threads.
     *
     * @return the running lookup, which the engine tells of the torrent's progress and stops
     */
    Lookup start(SwarmContext torrent, PeerSink sink);

    /** One torrent's lookup. */
    @ConsumerType
    interface Lookup {
        /** The torrent has every wanted piece now (a tracker announces {@code completed}). */
        default void completed() {
        }

        /** The user asked for more peers now (a re-announce). */
        default void refresh() {
        }

        /**
         * Stops looking (a tracker announces {@code stopped}).
         *
         * @return completes when done; the engine waits a bounded time for it
         */
        CompletableFuture<Void> stop();
    }
}
