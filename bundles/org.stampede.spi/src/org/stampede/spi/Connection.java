package org.stampede.spi;

import java.net.InetSocketAddress;
import java.nio.ByteBuffer;

import org.osgi.annotation.versioning.ConsumerType;

/**
 * One open byte stream to a peer, made by a {@link Transport}. Every method may be called from any thread and
 * returns without blocking.
 *
 * @since 0.1
 */
@ConsumerType
public interface Connection {
    InetSocketAddress remoteAddress();

    /** Whether we dialed it. */
    boolean outgoing();

    /** The transport's {@link Transport#kind()}. */
    String kind();

    /** Whether the bytes are encrypted on the way (a {@link TransportLayer} says so). */
    default boolean encrypted() {
        return false;
    }

    /**
     * Queues {@code data} (position to limit) for sending. The connection owns the buffer until it runs
     * {@code written} (when the bytes are written, or dropped because the connection closed); the caller must not
     * change those bytes before then.
     *
     * @param written run once, on any thread, or null
     */
    void write(ByteBuffer data, Runnable written);

    /** Bytes queued and not yet written: the engine stops serving a peer whose queue is long. */
    long queuedBytes();

    /** Stops delivering received bytes (a download rate limit) until {@link #resumeReading()}. */
    void suspendReading();

    void resumeReading();

    /** Closes the connection; its handler hears {@link ConnectionHandler#closed} with this reason. Idempotent. */
    void close(String reason);

    boolean isOpen();
}
