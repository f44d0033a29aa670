package org.stampede.spi;

import java.net.InetSocketAddress;
import java.nio.ByteBuffer;

import org.osgi.annotation.versioning.ProviderType;
import org.stampede.wire.ExtensionHandshake;

/**
 * A connected peer as an extension sees it. Thread-safe.
 *
 * @since 0.1
 */
@ProviderType
public interface ExtensionPeer {
    InetSocketAddress address();

    /** The peer's client, as its handshakes name it. */
    String client();

    /** The torrent. */
    SwarmContext torrent();

    /** The peer's extension handshake. */
    ExtensionHandshake handshake();

    /** Whether the peer has all the pieces. */
    boolean isSeed();

    /**
     * Sends a message of this extension (the engine adds the peer's id for it).
     *
     * @param payload the bytes after the extended message id; copied before the call returns
     * @return false when the peer no longer takes this extension's messages, the connection closed, or the peer has
     *         more than 512 KiB queued already (it does not read: the message is dropped, try again later)
     */
    boolean send(ByteBuffer payload);

    /** Disconnects the peer (a broken or hostile peer). */
    void close(String reason);
}
