package org.stampede.spi;

import java.nio.ByteBuffer;

import org.osgi.annotation.versioning.ConsumerType;

/**
 * One extension on one connection: receives the peer's messages of this extension. Called with the torrent's lock
 * held, from the connection's network thread; must not block.
 *
 * @since 0.1
 */
@ConsumerType
public interface ExtensionConnection {
    /**
     * A message of this extension arrived.
     *
     * @param payload the bytes after the extended message id; valid only during the call
     * @throws RuntimeException to have the peer disconnected as a protocol violation
     */
    void received(ByteBuffer payload);

    /** The connection closed, or the extension is being removed. */
    default void closed() {
    }
}
