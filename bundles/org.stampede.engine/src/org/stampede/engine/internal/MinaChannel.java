package org.stampede.engine.internal;

import java.net.InetSocketAddress;

import org.apache.mina.core.buffer.IoBuffer;
import org.apache.mina.core.future.IoFuture;
import org.apache.mina.core.future.IoFutureListener;
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

    /** Writes the frame's buffer as it is (the codec passes an {@link IoBuffer} through), then releases it. */
    @Override
    public void sendPiece(BlockPool.Frame frame) {
        Written w = (Written) frame.transport;
        if (w == null) {
            w = new Written(frame);
            frame.transport = w;
        }
        session.write(w.buffer).addListener(w);
    }

    /** A frame's MINA wrapper, made once per frame: releases the frame when its write is done or failed. */
    private static final class Written implements IoFutureListener<IoFuture> {
        private final BlockPool.Frame frame;
        private final IoBuffer buffer;

        Written(BlockPool.Frame frame) {
            this.frame = frame;
            this.buffer = IoBuffer.wrap(frame.message); // shares frame.message, its position and limit
        }

        @Override
        public void operationComplete(IoFuture future) {
            frame.release();
        }
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
