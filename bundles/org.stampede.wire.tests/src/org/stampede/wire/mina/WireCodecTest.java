package org.stampede.wire.mina;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;

import org.apache.mina.core.buffer.IoBuffer;
import org.apache.mina.core.filterchain.IoFilter.NextFilter;
import org.apache.mina.core.session.DummySession;
import org.apache.mina.core.session.IoSession;
import org.apache.mina.filter.codec.ProtocolDecoder;
import org.apache.mina.filter.codec.ProtocolDecoderException;
import org.apache.mina.filter.codec.ProtocolDecoderOutput;
import org.apache.mina.filter.codec.ProtocolEncoderOutput;
import org.junit.jupiter.api.Test;
import org.stampede.wire.Handshake;
import org.stampede.wire.Message;
import org.stampede.wire.MessageDecoder;
import org.stampede.wire.MessageEncoder;
import org.stampede.wire.PeerId;
import org.stampede.wire.PieceGeometry;
import org.stampede.wire.ProtocolException;

/** The MINA adapter without a network: a {@link DummySession} and the codec's decoder and encoder called directly. */
class WireCodecTest {
    static final PieceGeometry GEOMETRY = PieceGeometry.of(9L * 32768 + 20000, 32768);
    static final byte[] INFO_HASH = new byte[20];
    static {
        Arrays.fill(INFO_HASH, (byte) 0x11);
    }
    static final Handshake OURS = Handshake.of(INFO_HASH, PeerId.random(new Random(1)), true, true, false);
    static final Handshake PEER = Handshake.of(INFO_HASH, PeerId.random(new Random(2)), true, true, false);

    final DummySession session = new DummySession();
    final List<IoSession> resolvedFor = new ArrayList<>();
    final WireCodecFactory factory = new WireCodecFactory((s, h) -> {
        resolvedFor.add(s);
        if (!h.hasInfoHash(INFO_HASH)) {
            throw new ProtocolException("unknown torrent");
        }
        return MessageDecoder.negotiated(GEOMETRY, OURS, h);
    });
    final List<Object> decoded = new ArrayList<>();
    final ProtocolDecoderOutput out = new ProtocolDecoderOutput() {
        @Override
        public void write(Object message) {
            decoded.add(message);
        }

        @Override
        public void flush(NextFilter nextFilter, IoSession s) {
            // the test reads the list
        }
    };

    void decode(byte[] bytes) throws Exception {
        IoBuffer in = IoBuffer.wrap(bytes);
        factory.getDecoder(session).decode(session, in, out);
        assertEquals(0, in.remaining(), "the decoder consumes all its input");
    }

    static byte[] encode(Message... messages) {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        for (Message m : messages) {
            b.writeBytes(MessageEncoder.encode(m));
        }
        return b.toByteArray();
    }

    @Test
    void prefixOf2To31Minus1IsRefusedWithOnlyFourBytesSupplied() throws Exception {
        decode(PEER.encode());
        ProtocolDecoderException e = assertThrows(ProtocolDecoderException.class,
                () -> decode(new byte[] { 0x7f, (byte) 0xff, (byte) 0xff, (byte) 0xff }));
        assertInstanceOf(ProtocolException.class, e.getCause());
        assertTrue(e.getMessage().contains("exceeds the maximum"), e.getMessage());
        assertEquals("7f ff ff ff", e.getHexdump(), "a short dump of the offending read, not the whole buffer");
    }

    @Test
    void handshakeThenMessagesTrickledByteByByteAllArrive() throws Exception {
        byte[] all = concat(PEER.encode(), encode(Message.HaveAll.INSTANCE, new Message.Have(9), new Message.Piece(
                9, 0, ByteBuffer.wrap(new byte[20000 - 16384 + 1000]))));
        for (byte b : all) {
            decode(new byte[] { b });
        }
        assertEquals(List.of(PEER, Message.HaveAll.INSTANCE, new Message.Have(9),
                new Message.Piece(9, 0, ByteBuffer.wrap(new byte[20000 - 16384 + 1000]))), decoded);
    }

    @Test
    void sessionStateLivesInTheSessionAttributesUntilDisposed() throws Exception {
        assertNull(WireCodecFactory.reader(session));
        decode(Arrays.copyOf(PEER.encode(), 30));
        assertFalse(WireCodecFactory.reader(session).handshakeDone());
        decode(Arrays.copyOfRange(PEER.encode(), 30, 68));
        assertEquals(PEER, WireCodecFactory.reader(session).peerHandshake());
        assertEquals(List.of(session), resolvedFor);
        ProtocolDecoder d = factory.getDecoder(session);
        d.dispose(session);
        assertNull(WireCodecFactory.reader(session));
    }

    @Test
    void sessionsDoNotShareState() throws Exception {
        DummySession other = new DummySession();
        decode(Arrays.copyOf(PEER.encode(), 40));
        factory.getDecoder(other).decode(other, IoBuffer.wrap(PEER.encode()), out);
        assertEquals(List.of(PEER), decoded);
        assertFalse(WireCodecFactory.reader(session).handshakeDone());
    }

    @Test
    void factoryHandsEverySessionTheSameStatelessCodec() {
        assertSame(factory.getDecoder(session), factory.getDecoder(new DummySession()));
        assertSame(factory.getEncoder(session), factory.getEncoder(new DummySession()));
    }

    @Test
    void refusedHandshakeFailsTheDecode() {
        byte[] other = Handshake.of(new byte[20], PEER.peerId(), true, true, false).encode();
        ProtocolDecoderException e = assertThrows(ProtocolDecoderException.class, () -> decode(other));
        assertTrue(e.getMessage().startsWith("unknown torrent"), e.getMessage());
    }

    /** Encodes with the codec's encoder and returns the buffers it wrote. */
    List<IoBuffer> encoded(Object message) throws Exception {
        List<IoBuffer> buffers = new ArrayList<>();
        ProtocolEncoderOutput o = m -> buffers.add((IoBuffer) m);
        factory.getEncoder(session).encode(session, message, o);
        return buffers;
    }

    static byte[] bytes(List<IoBuffer> buffers) {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        for (IoBuffer buf : buffers) {
            byte[] part = new byte[buf.remaining()];
            buf.buf().get(buf.position(), part);
            b.writeBytes(part);
        }
        return b.toByteArray();
    }

    @Test
    void encoderWritesEachMessageAsItsWireBytesInOneBuffer() throws Exception {
        for (Message m : List.of(Message.KeepAlive.INSTANCE, Message.Interested.INSTANCE, new Message.Have(3),
                new Message.Request(1, 0, 16384), Message.Bitfield.of(new byte[] { (byte) 0xff, (byte) 0xc0 }),
                new Message.Extended(0, ByteBuffer.wrap(new byte[] { 'd', 'e' })), new Message.Port(6881))) {
            List<IoBuffer> buffers = encoded(m);
            assertEquals(1, buffers.size(), m.toString());
            assertArrayEquals(MessageEncoder.encode(m), bytes(buffers), m.toString());
        }
    }

    @Test
    void encoderWritesTheHandshake() throws Exception {
        assertArrayEquals(OURS.encode(), bytes(encoded(OURS)));
    }

    @Test
    void encoderSendsAPieceBlockWithoutCopyingIt() throws Exception {
        byte[] block = new byte[16384];
        new Random(3).nextBytes(block);
        Message.Piece p = new Message.Piece(2, 16384, ByteBuffer.wrap(block));
        List<IoBuffer> buffers = encoded(p);
        assertEquals(2, buffers.size());
        assertArrayEquals(MessageEncoder.encode(p), bytes(buffers));
        assertTrue(buffers.get(1).isReadOnly());
        block[0] ^= 1;
        assertEquals(block[0], buffers.get(1).get(0), "the block buffer is a view of the caller's bytes");
        assertEquals(0, p.data().position(), "the caller's buffer is not moved");
    }

    @Test
    void encoderRefusesOtherObjects() {
        assertThrows(IllegalArgumentException.class, () -> encoded("hello"));
    }

    static byte[] concat(byte[] a, byte[] b) {
        byte[] r = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, r, a.length, b.length);
        return r;
    }
}
