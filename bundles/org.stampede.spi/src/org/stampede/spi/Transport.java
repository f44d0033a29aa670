package org.stampede.spi;

import java.io.IOException;
import java.net.InetSocketAddress;

import org.osgi.annotation.versioning.ConsumerType;

/**
 * A way to reach peers: TCP, uTP, an in-memory pipe for tests. Registered as an OSGi service; the engine listens
 * on it once per engine and dials through it. Implementations are thread-safe.
 *
 * @since 0.1
 */
@ConsumerType
public interface Transport {

    /** Short name shown for each connection (the Peers view, {@code control status}): {@code tcp}, {@code utp}. */
    String kind();

    /**
     * Starts accepting connections at {@code local}. A port of 0 lets the transport choose; the engine passes the
     * port of its first listener to the others, so every transport listens on the same port number.
     *
     * @return the listener; closing it stops accepting and leaves open connections alone
     * @throws IOException when the address cannot be used
     */
    Listener listen(InetSocketAddress local, Acceptor acceptor) throws IOException;

    /**
     * Dials {@code remote} without blocking. The handler hears {@link ConnectionHandler#opened} once connected and,
     * in every case, {@link ConnectionHandler#closed} exactly once (without {@code opened} when the dial failed).
     */
    void dial(InetSocketAddress remote, ConnectionHandler handler);

    /** Whether this transport can reach {@code remote} at all (an address family it has no socket for: false). */
    default boolean canDial(InetSocketAddress remote) {
        return true;
    }

    /** A listening endpoint of a transport. */
    @ConsumerType
    interface Listener extends AutoCloseable {
        /** Where it listens, with the port it chose. */
        InetSocketAddress localAddress();

        /** Stops accepting; idempotent. */
        @Override
        void close();
    }
}
