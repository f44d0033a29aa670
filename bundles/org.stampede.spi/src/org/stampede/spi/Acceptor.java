package org.stampede.spi;

import java.net.InetSocketAddress;

import org.osgi.annotation.versioning.ProviderType;

/**
 * The engine's side of a {@link Transport.Listener}: decides on each incoming connection before any byte of it is
 * read.
 *
 * @since 0.1
 */
@ProviderType
public interface Acceptor {
    /**
     * A peer at {@code remote} connects.
     *
     * @return the handler of the new connection, or null to refuse it (the transport closes it at once)
     */
    ConnectionHandler accept(InetSocketAddress remote);
}
