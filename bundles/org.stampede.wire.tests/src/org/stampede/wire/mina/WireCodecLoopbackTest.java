package org.stampede.wire.mina;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;

import org.apache.mina.core.future.ConnectFuture;
import org.apache.mina.core.session.IoSession;
import org.apache.mina.filter.codec.ProtocolCodecFilter;
import org.apache.mina.filter.codec.ProtocolDecoderException;
import org.apache.mina.transport.socket.nio.NioSocketAcceptor;
import org.apache.mina.transport.socket.nio.NioSocketConnector;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.stampede.wire.Handshake;
import org.stampede.wire.Message;
import org.stampede.wire.MessageDecoder;
import org.stampede.wire.PeerId;
import org.stampede.wire.PieceGeometry;
import org.stampede.wire.ProtocolException;

/** Two Stampede endpoints over a real TCP connection on 127.0.0.1, both using the codec. */
class WireCodecLoopbackTest {
    /** Three pieces of 64 KiB, the last one 100 bytes. */
    static final PieceGeometry GEOMETRY = PieceGeometry.of(2L * 65536 + 100, 65536);
    static final byte[] INFO_HASH = new byte[20];
    static final long TIMEOUT_NANOS = TimeUnit.SECONDS.toNanos(30);

    final Handshake client = Handshake.of(INFO_HASH, PeerId.random(new Random(1)), true, true, false);
    final Handshake server = Handshake.of(INFO_HASH, PeerId.random(new Random(2)), true, true, false);
    final Inbox serverInbox = new Inbox();
    final Inbox clientInbox = new Inbox();
    NioSocketAcceptor acceptor;
    NioSocketConnector connector;
    IoSession session;

    @BeforeEach
    void connect() throws Exception {
        acceptor = new NioSocketAcceptor(1);
        acceptor.getFilterChain().addLast("wire", new ProtocolCodecFilter(new WireCodecFactory((s, h) -> {
            if (!h.hasInfoHash(INFO_HASH)) {
                throw new ProtocolException("unknown torrent " + h.infoHashHex());
            }
            return MessageDecoder.negotiated(GEOMETRY, server, h);
        })));
        acceptor.setHandler(serverInbox);
        acceptor.bind(new InetSocketAddress("127.0.0.1", 0));
        connector = new NioSocketConnector(1);
        connector.setConnectTimeoutMillis(10_000);
        connector.getFilterChain().addLast("wire", new ProtocolCodecFilter(new WireCodecFactory(
                (s, h) -> MessageDecoder.negotiated(GEOMETRY, client, h))));
        connector.setHandler(clientInbox);
        ConnectFuture f = connector.connect(acceptor.getLocalAddress());
        assertTrue(f.await(10, TimeUnit.SECONDS), "connected");
        session = f.getSession();
    }

    @AfterEach
    void close() {
        if (connector != null) {
            connector.dispose(false);
        }
        if (acceptor != null) {
            acceptor.dispose(false);
        }
    }

    @Test
    void everyMessageCrossesTheConnectionIntact() throws Exception {
        long deadline = System.nanoTime() + TIMEOUT_NANOS;
        byte[] block = new byte[16384];
        new Random(4).nextBytes(block);
        List<Message> sent = List.of(Message.HaveNone.INSTANCE, Message.Interested.INSTANCE, new Message.Have(2),
                new Message.Request(2, 0, 100), new Message.Piece(1, 16384, ByteBuffer.wrap(block)),
                new Message.Piece(2, 0, ByteBuffer.wrap(block, 0, 100)), Message.KeepAlive.INSTANCE,
                new Message.Extended(0, ByteBuffer.wrap("de".getBytes(StandardCharsets.US_ASCII))),
                new Message.AllowedFast(0),
                Message.NotInterested.INSTANCE);
        session.write(client);
        for (Message m : sent) {
            session.write(m);
        }
        assertEquals(client, serverInbox.next(Handshake.class, deadline));
        List<Message> received = new ArrayList<>();
        while (received.size() < sent.size()) {
            received.add(serverInbox.next(Message.class, deadline));
        }
        assertEquals(sent, received);
    }

    @Test
    void protocolErrorReachesTheHandlerAsTheCause() throws Exception {
        long deadline = System.nanoTime() + TIMEOUT_NANOS;
        session.write(client);
        assertEquals(client, serverInbox.next(Handshake.class, deadline));
        session.write(new Message.Have(3)); // the torrent has 3 pieces: index 3 is out of range
        ProtocolDecoderException e = serverInbox.next(ProtocolDecoderException.class, deadline);
        assertTrue(e.getCause() instanceof ProtocolException && e.getMessage().contains("have: piece 3 out of range"),
                e.getMessage());
    }

    @Test
    void handshakeForAnUnknownTorrentIsRefused() throws Exception {
        long deadline = System.nanoTime() + TIMEOUT_NANOS;
        byte[] other = new byte[20];
        other[0] = 1;
        session.write(Handshake.of(other, client.peerId(), true, true, false));
        ProtocolDecoderException e = serverInbox.next(ProtocolDecoderException.class, deadline);
        assertTrue(e.getMessage().contains("unknown torrent 01"), e.getMessage());
    }
}
