package org.stampede.engine.internal;

import java.net.InetSocketAddress;

import org.apache.mina.core.session.IoSession;
import org.stampede.wire.Message;

/** A peer connection's transport: a MINA session. */
final class MinaChannel implements PeerChannel {
    private final IoSession session;

    MinaChannel(IoSession session) {
        this.session = session;
    }

    @Override
    public void send(Message message) {
        session.write(message);
    }

    @Override
    public long queuedBytes() {
        return session.getScheduledWriteBytes();
    }

    @Override
    public void close(String reason) {
        session.setAttribute(PeerHandler.CLOSE_REASON, reason);
        session.closeNow();
    }

    @Override
    public InetSocketAddress remoteAddress() {
        return (InetSocketAddress) session.getRemoteAddress();
    }

    @Override
    public void suspendRead() {
        session.suspendRead();
    }

    @Override
    public void resumeRead() {
        session.resumeRead();
    }

    @Override
    public boolean isOpen() {
        return session.isConnected() && !session.isClosing();
    }
}
