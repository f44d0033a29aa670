package org.stampede.engine.internal;

import java.net.InetSocketAddress;
import java.nio.ByteBuffer;

import org.stampede.wire.Message;

/**
 * The transport side of one peer connection, as a torrent session sees it: messages out, flow control. The engine's
 * {@link WireConnection} implements it over any transport; tests use fakes.
 */
interface PeerChannel {
    /** Queues a message; never blocks. */
    void send(Message message);

    /**
     * Queues the piece message {@link BlockPool.Frame#encode encoded} in {@code frame} and releases the frame once it
     * is written or can no longer be; never blocks. This default sends a {@link Message.Piece} holding a copy of the
     * block and releases the frame at once; {@link WireConnection} writes the frame itself.
     */
    default void sendPiece(BlockPool.Frame frame) {
        ByteBuffer block = ByteBuffer.allocate(frame.length)
                .put(frame.message.duplicate().position(BlockPool.HEADER)).flip();
        int index = frame.index;
        int begin = frame.begin;
        frame.release();
        send(new Message.Piece(index, begin, block));
    }

    /** Bytes queued for sending and not yet written to the socket. */
    long queuedBytes();

    /** Closes the connection; the engine hears of it through {@link PeerConnection#closed()}. */
    void close(String reason);

    InetSocketAddress remoteAddress();

    /** Stops reading from the socket (download rate limit) until {@link #resumeRead()}. */
    void suspendRead();

    void resumeRead();

    boolean isOpen();

    /** When a message was last queued to the peer (engine clock), for keep-alives. */
    default long lastSentMillis() {
        return Long.MAX_VALUE;
    }

    /** The transport's kind, for the Peers view. */
    default String kind() {
        return "?";
    }

    default boolean encrypted() {
        return false;
    }
}
