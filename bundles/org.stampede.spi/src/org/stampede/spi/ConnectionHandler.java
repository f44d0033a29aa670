package org.stampede.spi;

import java.nio.ByteBuffer;

import org.osgi.annotation.versioning.ProviderType;

/**
 * The receiving side of a {@link Connection}, implemented by the engine (or by a {@link TransportLayer} over it).
 * For one connection the transport calls these methods one at a time, in this order: {@link #opened} once, then any
 * number of {@link #received} and {@link #sent}, then {@link #closed} once. None of them blocks.
 *
 * @since 0.1
 */
@ProviderType
public interface ConnectionHandler {
    /** The connection is up; nothing has been read yet. */
    void opened(Connection connection);

    /**
     * Bytes arrived. The handler consumes all of them before it returns (copying what it keeps): the buffer is the
     * transport's and is reused after the call.
     */
    void received(ByteBuffer data);

    /** A write completed; {@link Connection#queuedBytes()} is now lower. For back-pressure. */
    void sent();

    /**
     * The connection ended, or could not be made (then {@link #opened} was never called). Called exactly once.
     *
     * @param reason why, for logs and the Peers view
     */
    void closed(String reason);
}
