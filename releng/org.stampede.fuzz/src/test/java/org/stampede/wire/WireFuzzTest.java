package org.stampede.wire;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import org.stampede.fuzz.Allocation;

import com.code_intelligence.jazzer.junit.FuzzTest;

/**
 * The peer wire decoder as a connection uses it: a {@link WireReader} fed what a peer sends (its handshake, then
 * message frames) in chunks, and the BEP 10 extension handshake of every extended message 0. Every input either
 * decodes or raises {@link ProtocolException}; each decoded message encodes to a frame that decodes to an equal
 * message, the peer id names a client without control or format characters, and the reader never holds more than a
 * piece frame or twice what actually arrived.
 * <p>
 * The input's first byte chooses the set-up: bit 0 the fast extension, bit 1 the extension protocol (each needs
 * the peer's handshake bit too), bits 2 to 4 one of {@link #GEOMETRIES}, bits 5 to 7 one of {@link #CHUNKS}. The
 * rest is the peer's bytes.
 */
class WireFuzzTest {
    static final PieceGeometry[] GEOMETRIES = {
            PieceGeometry.of(1, 1), // one piece of one byte
            PieceGeometry.of(3 * 16384 + 1, 16384), // a short last piece
            PieceGeometry.of(8 * 32768, 32768), // bitfield without spare bits
            PieceGeometry.of(9 * 32768, 32768), // 7 spare bits
            PieceGeometry.of(1000L * 262144 - 5, 262144),
            PieceGeometry.of(2 * 16385, 16385), // pieces not a multiple of a block
            PieceGeometry.of(17, 4),
            PieceGeometry.of((long) PieceGeometry.MAX_PIECES * 16384, 16384), // the largest bitfield: 512 KiB
    };
    /** Chunk sizes; 0: all at once. */
    static final int[] CHUNKS = { 0, 1, 2, 3, 7, 68 + 5, 4096, 16384 + 13 };

    @FuzzTest
    void peer(byte[] data) {
        if (data.length == 0) {
            return;
        }
        int setup = data[0] & 0xff;
        boolean fast = (setup & 1) != 0;
        boolean extensions = (setup & 2) != 0;
        PieceGeometry geometry = GEOMETRIES[(setup >>> 2) & 7];
        int chunk = CHUNKS[setup >>> 5];
        Allocation.bounded(data.length, 64, () -> read(Arrays.copyOfRange(data, 1, data.length), geometry, fast,
                extensions, chunk));
    }

    private static void read(byte[] stream, PieceGeometry geometry, boolean fast, boolean extensions, int chunk) {
        List<Message> messages = new ArrayList<>();
        List<Handshake> handshakes = new ArrayList<>();
        WireReader reader = new WireReader(peer -> new MessageDecoder(geometry, fast && peer.supportsFast(),
                extensions && peer.supportsExtensions()));
        WireReader.Sink sink = new WireReader.Sink() {
            @Override
            public void handshake(Handshake handshake) {
                handshakes.add(handshake);
                String client = handshake.peerId().clientName(); // shown in the Peers view and logs
                assertTrue(client.chars().allMatch(c -> c >= 0x20 && c != 0x7f && !Character.isISOControl(c)
                        && Character.getType(c) != Character.FORMAT), client);
            }

            @Override
            public void message(Message message) {
                messages.add(message);
            }
        };
        int step = chunk == 0 ? Math.max(1, stream.length) : chunk;
        int fed = 0;
        try {
            for (int at = 0; at < stream.length; at += step) {
                int n = Math.min(step, stream.length - at);
                // a read buffer as a network library hands it over: a window into a larger array
                ByteBuffer in = ByteBuffer.wrap(Arrays.copyOfRange(stream, at, at + n));
                reader.read(in, sink);
                fed += n;
                assertEquals(in.limit(), in.position(), "the reader consumes all its input");
                // a frame up to a piece frame gets its buffer at once, a longer one doubles as bytes arrive
                int held = reader.bufferedBytes();
                long arrived = fed;
                assertTrue(held <= Math.max(WireReader.PREALLOCATE_LIMIT, 2 * arrived), () -> "holds " + held
                        + " bytes after " + arrived + " arrived");
            }
        } catch (ProtocolException e) {
            assertTrue(reader.failed());
            assertTrue(e.getMessage() != null && !e.getMessage().isEmpty());
        }
        assertTrue(handshakes.size() <= 1);
        MessageDecoder decoder = reader.decoder();
        for (Message m : messages) {
            if (m instanceof Message.Unknown || m instanceof Message.KeepAlive) {
                continue;
            }
            byte[] frame = MessageEncoder.encode(m);
            try {
                assertEquals(m, decoder.decode(ByteBuffer.wrap(frame, 4, frame.length - 4)),
                        "a decoded message encodes to a frame that decodes to it");
            } catch (ProtocolException e) {
                throw new AssertionError(m + " was accepted but its own encoding is refused", e);
            }
            if (m instanceof Message.Extended x && x.extendedId() == 0) {
                try {
                    ExtensionHandshake h = ExtensionHandshake.decode(x.payload());
                    assertTrue(h.extensions().size() <= ExtensionHandshake.MAX_EXTENSIONS);
                    h.client().ifPresent(c -> assertTrue(c.length() <= ExtensionHandshake.MAX_CLIENT_CHARS + 3));
                    try {
                        // the client name is display text, escaped once more on the way back: not compared
                        ExtensionHandshake again = ExtensionHandshake.decode(ByteBuffer.wrap(h.encode()));
                        assertEquals(h.extensions(), again.extensions());
                        assertEquals(h.port(), again.port());
                        assertEquals(h.requestQueue(), again.requestQueue());
                        assertEquals(h.metadataSize(), again.metadataSize());
                        assertEquals(h.yourIp(), again.yourIp());
                    } catch (ProtocolException e) {
                        throw new AssertionError(h + " was accepted but its own encoding is refused", e);
                    }
                } catch (ProtocolException e) {
                    assertTrue(e.getMessage() != null);
                }
            }
        }
    }
}
