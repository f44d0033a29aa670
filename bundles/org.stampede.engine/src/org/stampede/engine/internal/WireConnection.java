package org.stampede.engine.internal;

import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.List;

import org.stampede.spi.Connection;
import org.stampede.spi.ConnectionHandler;
import org.stampede.spi.TransportLayer;
import org.stampede.wire.Handshake;
import org.stampede.wire.Message;
import org.stampede.wire.MessageDecoder;
import org.stampede.wire.MessageEncoder;
import org.stampede.wire.ProtocolException;
import org.stampede.wire.WireReader;

/**
 * The peer wire protocol over one transport {@link Connection}: frames and decodes the bytes the transport delivers
 * (a {@link WireReader} per connection), does the handshake, hands the messages to the torrent's session, and
 * encodes what the session sends. Knows no transport: TCP, uTP and a test's in-memory pipe look alike here.
 * <p>
 * The transport calls the {@link ConnectionHandler} methods one at a time per connection; the session calls the
 * {@link PeerChannel} ones with the torrent's lock held, and the engine's timer {@link #closeIfHandshakeLate}.
 */
final class WireConnection implements ConnectionHandler, PeerChannel, WireReader.Sink, WireReader.Resolver {
    /**
     * Milliseconds a new connection has, from its opening, to complete its handshake, however its bytes trickle in
     * (slowloris): the engine's timer closes it then. Tests shorten it.
     */
    static volatile long handshakeTimeoutMillis = 10_000;

    private final EngineImpl engine;
    private final boolean outgoing;
    /** The dialed address (outgoing), for the peer list; the transport's remote address otherwise. */
    private final InetSocketAddress dialed;
    /** The installed transport this connection runs on (the layers wrap it), and its place among the routes. */
    private final org.stampede.spi.Transport base;
    private final int route;
    /** The layers it runs through (outermost last as installed), closed with it when one is uninstalled. */
    private final List<TransportLayer> layers;
    private final WireReader reader = new WireReader((WireReader.Resolver) this);
    private volatile Connection connection;
    /** The torrent: known when dialing, found by the peer's handshake when accepting. */
    private volatile ManagedTorrent handle;
    private volatile PeerConnection peer;
    private long openedAt;
    private final long createdAt;
    /** When we last wrote to the peer (engine clock), for keep-alives; racy and harmless. */
    private long lastSentAt;
    private boolean closedSeen;

    /**
     * @param handle the torrent dialed for, or null for an incoming connection
     * @param route  index of the route dialed through, or -1 for an incoming connection
     */
    WireConnection(EngineImpl engine, ManagedTorrent handle, InetSocketAddress dialed,
            org.stampede.spi.Transport base, List<TransportLayer> layers, int route) {
        this.engine = engine;
        this.handle = handle;
        this.outgoing = handle != null;
        this.dialed = dialed;
        this.base = base;
        this.route = route;
        this.layers = layers;
        this.createdAt = engine.nowMillis();
    }

    /** When the engine made it (for a dial: when it asked the transport), engine clock. */
    long createdAt() {
        return createdAt;
    }

    org.stampede.spi.Transport base() {
        return base;
    }

    List<TransportLayer> layers() {
        return layers;
    }

    int route() {
        return route;
    }

    /** Whether the transport ever opened it (a failed dial did not). */
    boolean wasOpened() {
        return connection != null;
    }

    // ---------------------------------------------------------------- from the transport

    @Override
    public void opened(Connection c) {
        connection = c;
        openedAt = engine.nowMillis();
        lastSentAt = openedAt;
        if (!engine.opened(this)) {
            return; // refused: closed by the engine
        }
        if (outgoing) {
            write(handle.ourHandshake);
        }
    }

    @Override
    public void received(ByteBuffer data) {
        try {
            reader.read(data, this);
        } catch (ProtocolException | RuntimeException e) {
            close(e.getMessage() == null ? e.toString() : e.getMessage());
        }
    }

    @Override
    public void sent() {
        PeerConnection p = peer;
        ManagedTorrent h = handle;
        Connection c = connection;
        if (p != null && h != null && p.awaitingDrain && c.queuedBytes() < UploadScheduler.SEND_QUEUE_LOW) {
            p.awaitingDrain = false;
            h.session.drained(p);
        }
    }

    @Override
    public void closed(String reason) {
        synchronized (this) {
            if (closedSeen) {
                return;
            }
            closedSeen = true;
        }
        engine.closed(this, reason);
    }

    // ---------------------------------------------------------------- the handshake

    @Override
    public MessageDecoder resolve(Handshake theirs) throws ProtocolException {
        ManagedTorrent h = outgoing ? handle : engine.handleFor(theirs.infoHash());
        if (h == null || !theirs.hasInfoHash(h.session.infoHash)) {
            throw new ProtocolException("unknown torrent " + theirs.infoHashHex());
        }
        if (!h.acceptsPeers()) {
            throw new ProtocolException("torrent " + h.session.infoHashHex + " is not taking peers");
        }
        return MessageDecoder.negotiated(h.geometry, h.ourHandshake, theirs);
    }

    @Override
    public void handshake(Handshake theirs) {
        ManagedTorrent h = outgoing ? handle : engine.handleFor(theirs.infoHash());
        if (h == null) {
            close("torrent gone");
            return;
        }
        if (Arrays.equals(theirs.peerId().bytes(), engine.peerId().bytes())) {
            close("connected to ourselves"); // through a tracker or another source
            return;
        }
        if (!outgoing) {
            handle = h;
            engine.handshakeDone(this);
            write(h.ourHandshake);
        }
        PeerConnection p = h.session.attach(this, theirs, outgoing, h.ourHandshake);
        if (p == null) {
            close("not attached (limits, duplicate peer or torrent stopped)");
            return;
        }
        peer = p;
        h.peerAttached(this);
    }

    @Override
    public void message(Message m) {
        PeerConnection p = peer;
        ManagedTorrent h = handle;
        if (p == null || h == null) {
            close("message before the handshake");
            return;
        }
        h.session.onMessage(p, m);
        if (m instanceof Message.Piece piece) {
            engine.throttleDownload(h, this, piece.length());
        }
    }

    /** Closes the connection if its handshake is overdue; the engine's timer calls this several times a second. */
    boolean closeIfHandshakeLate(long now) {
        if (peer == null && connection != null && now - openedAt > handshakeTimeoutMillis) {
            close("no handshake within " + handshakeTimeoutMillis + " ms");
            return true;
        }
        return false;
    }

    // ---------------------------------------------------------------- to the transport

    private void write(Handshake h) {
        ByteBuffer buf = ByteBuffer.allocate(Handshake.LENGTH);
        h.encode(buf);
        connection.write(buf.flip(), null);
        lastSentAt = engine.nowMillis();
    }

    @Override
    public void send(Message message) {
        Connection c = connection;
        if (message instanceof Message.Piece p) {
            ByteBuffer header = ByteBuffer.allocate(MessageEncoder.PIECE_HEADER_LENGTH);
            MessageEncoder.encodeHeader(p, header);
            c.write(header.flip(), null);
            c.write(p.data().asReadOnlyBuffer(), null);
        } else {
            ByteBuffer buf = ByteBuffer.allocate(MessageEncoder.encodedLength(message));
            MessageEncoder.encode(message, buf);
            c.write(buf.flip(), null);
        }
        lastSentAt = engine.nowMillis();
    }

    /** Writes the pooled frame as it is; the transport releases it (a frame is its own callback) once written. */
    @Override
    public void sendPiece(BlockPool.Frame frame) {
        connection.write(frame.message, frame);
        lastSentAt = engine.nowMillis();
    }

    @Override
    public long lastSentMillis() {
        return lastSentAt;
    }

    @Override
    public long queuedBytes() {
        return connection.queuedBytes();
    }

    @Override
    public void close(String reason) {
        Connection c = connection;
        if (c != null) {
            c.close(reason);
        }
    }

    @Override
    public InetSocketAddress remoteAddress() {
        Connection c = connection;
        return c != null ? c.remoteAddress() : dialed;
    }

    /** The address to remember in the peer list: the one dialed, or for an incoming peer its remote address. */
    InetSocketAddress dialedAddress() {
        return dialed;
    }

    @Override
    public void suspendRead() {
        connection.suspendReading();
    }

    @Override
    public void resumeRead() {
        connection.resumeReading();
    }

    @Override
    public boolean isOpen() {
        Connection c = connection;
        return c != null && c.isOpen();
    }

    @Override
    public String kind() {
        Connection c = connection;
        return c == null ? "?" : c.kind();
    }

    @Override
    public boolean encrypted() {
        Connection c = connection;
        return c != null && c.encrypted();
    }

    boolean outgoing() {
        return outgoing;
    }

    ManagedTorrent handle() {
        return handle;
    }

    PeerConnection peer() {
        return peer;
    }

    @Override
    public String toString() {
        Connection c = connection;
        return (c == null ? "?" : c.kind()) + " " + remoteAddress();
    }
}
