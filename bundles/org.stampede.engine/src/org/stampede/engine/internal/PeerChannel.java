package org.stampede.engine.internal;

import java.net.InetSocketAddress;

import org.stampede.wire.Message;

/** The transport side of one peer connection, as the engine sees it; the MINA adapter implements it. */
interface PeerChannel {
    /** Queues a message; never blocks. */
    void send(Message message);

    /** Bytes queued for sending and not yet written to the socket. */
    long queuedBytes();

    /** Closes the connection; the engine hears of it through {@link PeerConnection#closed()}. */
    void close(String reason);

    InetSocketAddress remoteAddress();

    /** Stops reading from the socket (download rate limit) until {@link #resumeRead()}. */
    void suspendRead();

    void resumeRead();

    boolean isOpen();
}
