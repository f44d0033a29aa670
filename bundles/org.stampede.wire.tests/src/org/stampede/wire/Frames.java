package org.stampede.wire;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;

/** Raw wire bytes for tests, and a sink that collects what a {@link WireReader} decodes. */
final class Frames {

    /** 10 pieces of 32 KiB (two blocks each), the last one 20,000 bytes: a bitfield of 2 bytes, 6 spare bits. */
    static final PieceGeometry GEOMETRY = PieceGeometry.of(9L * 32768 + 20000, 32768);

    private Frames() {
    }

    /** A decoder for {@link #GEOMETRY} with both extensions negotiated. */
    static MessageDecoder decoder() {
        return new MessageDecoder(GEOMETRY, true, true);
    }

    /** A frame with the given id and 32-bit big-endian arguments. */
    static byte[] frame(int id, int... ints) {
        ByteBuffer b = ByteBuffer.allocate(5 + 4 * ints.length).putInt(1 + 4 * ints.length).put((byte) id);
        for (int v : ints) {
            b.putInt(v);
        }
        return b.array();
    }

    /** A frame with the given id and payload bytes. */
    static byte[] frame(int id, byte[] payload) {
        return ByteBuffer.allocate(5 + payload.length).putInt(1 + payload.length).put((byte) id).put(payload).array();
    }

    /** Only the 4-byte length prefix. */
    static byte[] prefix(int length) {
        return ByteBuffer.allocate(4).putInt(length).array();
    }

    static byte[] concat(byte[]... parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] p : parts) {
            out.writeBytes(p);
        }
        return out.toByteArray();
    }

    static byte[] bytes(int... values) {
        byte[] b = new byte[values.length];
        for (int i = 0; i < values.length; i++) {
            b[i] = (byte) values[i];
        }
        return b;
    }

    static byte[] encode(Message... messages) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (Message m : messages) {
            out.writeBytes(MessageEncoder.encode(m));
        }
        return out.toByteArray();
    }

    /** Decodes {@code bytes} in one call with a fresh reader of {@link #decoder()}. */
    static List<Object> read(byte[] bytes) throws ProtocolException {
        Collector c = new Collector();
        new WireReader(decoder()).read(ByteBuffer.wrap(bytes), c);
        return c.items;
    }

    /** Collects everything a reader passes on. */
    static final class Collector implements WireReader.Sink {
        final List<Object> items = new ArrayList<>();

        @Override
        public void handshake(Handshake handshake) {
            items.add(handshake);
        }

        @Override
        public void message(Message message) {
            items.add(message);
        }
    }
}
