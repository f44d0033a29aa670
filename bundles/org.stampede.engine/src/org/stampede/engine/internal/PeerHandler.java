package org.stampede.engine.internal;

import java.net.InetSocketAddress;
import java.util.Arrays;

import org.apache.mina.core.service.IoHandlerAdapter;
import org.apache.mina.core.session.AttributeKey;
import org.apache.mina.core.session.IdleStatus;
import org.apache.mina.core.session.IoSession;
import org.stampede.wire.Handshake;
import org.stampede.wire.Message;

/**
 * The thin adapter between MINA and the engine: sessions become {@link PeerConnection}s of a
 * {@link TorrentSession}, decoded messages go to it, and nothing of the protocol's logic lives here.
 */
final class PeerHandler extends IoHandlerAdapter {
    static final AttributeKey TORRENT = new AttributeKey(PeerHandler.class, "torrent");
    static final AttributeKey OUTGOING = new AttributeKey(PeerHandler.class, "outgoing");
    static final AttributeKey PEER = new AttributeKey(PeerHandler.class, "peer");
    static final AttributeKey CLOSE_REASON = new AttributeKey(PeerHandler.class, "closeReason");
    /**
     * Milliseconds a new connection has, from its opening, to complete its handshake, however its bytes trickle in
     * (slowloris): the engine's timer closes it then (see {@link #closeIfHandshakeLate}). Tests shorten it.
     */
    static volatile long handshakeTimeoutMillis = 10_000;

    private final EngineImpl engine;

    PeerHandler(EngineImpl engine) {
        this.engine = engine;
    }

    @Override
    public void sessionCreated(IoSession session) {
        session.getConfig().setIdleTime(IdleStatus.READER_IDLE, (int) Math.max(1, handshakeTimeoutMillis / 1000));
        session.getConfig().setIdleTime(IdleStatus.WRITER_IDLE, 60);
    }

    @Override
    public void sessionOpened(IoSession session) {
        InetSocketAddress remote = (InetSocketAddress) session.getRemoteAddress();
        if (engine.isBanned(remote.getAddress())) {
            session.closeNow();
            return;
        }
        if (Boolean.TRUE.equals(session.getAttribute(OUTGOING))) {
            EngineImpl.Handle h = (EngineImpl.Handle) session.getAttribute(TORRENT);
            session.write(h.ourHandshake);
        } else if (!engine.acceptsMorePeers()) {
            session.closeNow();
        }
    }

    @Override
    public void messageReceived(IoSession session, Object message) {
        if (message instanceof Message m) {
            PeerConnection p = (PeerConnection) session.getAttribute(PEER);
            EngineImpl.Handle h = (EngineImpl.Handle) session.getAttribute(TORRENT);
            if (p == null || h == null) {
                session.closeNow();
                return;
            }
            h.session.onMessage(p, m);
            if (m instanceof Message.Piece piece) {
                engine.throttleDownload(h, p, piece.length());
            }
        } else if (message instanceof Handshake theirs) {
            handshake(session, theirs);
        }
    }

    private void handshake(IoSession session, Handshake theirs) {
        boolean outgoing = Boolean.TRUE.equals(session.getAttribute(OUTGOING));
        EngineImpl.Handle h = outgoing ? (EngineImpl.Handle) session.getAttribute(TORRENT)
                : engine.handleFor(theirs.infoHash());
        if (h == null || !theirs.hasInfoHash(h.session.infoHash)) {
            session.closeNow();
            return;
        }
        if (Arrays.equals(theirs.peerId().bytes(), engine.peerId().bytes())) {
            session.closeNow(); // ourselves, through a tracker
            return;
        }
        if (!outgoing) {
            session.setAttribute(TORRENT, h);
            session.write(h.ourHandshake);
        }
        PeerConnection p = h.session.attach(new MinaChannel(session), theirs, outgoing, h.ourHandshake);
        if (p == null) {
            session.closeNow();
            return;
        }
        session.setAttribute(PEER, p);
        session.getConfig().setIdleTime(IdleStatus.READER_IDLE, (int) (TorrentSession.IDLE_MS / 1000));
    }

    /**
     * Closes a connection whose handshake is overdue. MINA's read-idle timeout alone cannot do it: a peer that sends
     * one byte now and then is never idle. The engine's timer calls this for every connection, several times a
     * second.
     */
    static void closeIfHandshakeLate(IoSession session, long nowMillis) {
        if (session.getAttribute(PEER) == null && !session.isClosing()
                && nowMillis - session.getCreationTime() > handshakeTimeoutMillis) {
            session.setAttribute(CLOSE_REASON, "no handshake within " + handshakeTimeoutMillis + " ms");
            session.closeNow();
        }
    }

    /** After each write: lets the engine serve more uploads once a full send queue has been written down. */
    @Override
    public void messageSent(IoSession session, Object message) {
        PeerConnection p = (PeerConnection) session.getAttribute(PEER);
        if (p != null && p.awaitingDrain && session.getScheduledWriteBytes() < TorrentSession.SEND_QUEUE_LOW) {
            EngineImpl.Handle h = (EngineImpl.Handle) session.getAttribute(TORRENT);
            p.awaitingDrain = false;
            if (h != null) {
                h.session.drained(p);
            }
        }
    }

    @Override
    public void sessionIdle(IoSession session, IdleStatus status) {
        if (status == IdleStatus.WRITER_IDLE && session.getAttribute(PEER) != null) {
            session.write(Message.KeepAlive.INSTANCE);
        } else if (status == IdleStatus.READER_IDLE) {
            session.setAttribute(CLOSE_REASON, session.getAttribute(PEER) == null ? "no handshake in time" : "idle");
            session.closeNow();
        }
    }

    @Override
    public void exceptionCaught(IoSession session, Throwable cause) {
        session.setAttribute(CLOSE_REASON, String.valueOf(cause.getMessage()));
        session.closeNow();
    }

    @Override
    public void sessionClosed(IoSession session) {
        EngineImpl.Handle h = (EngineImpl.Handle) session.getAttribute(TORRENT);
        PeerConnection p = (PeerConnection) session.getAttribute(PEER);
        if (h != null) {
            h.connectionClosed((InetSocketAddress) session.getRemoteAddress(),
                    Boolean.TRUE.equals(session.getAttribute(OUTGOING)));
            if (p != null) {
                h.session.detach(p);
            }
        }
    }
}
