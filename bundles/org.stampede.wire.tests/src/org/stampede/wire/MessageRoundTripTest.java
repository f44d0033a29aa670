package org.stampede.wire;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** Every message encodes to its BEP layout and decodes back to an equal message. */
class MessageRoundTripTest {

    static byte[] block(int length, long seed) {
        byte[] b = new byte[length];
        new Random(seed).nextBytes(b);
        return b;
    }

    static Stream<Message> messages() {
        return Stream.of(Message.KeepAlive.INSTANCE, Message.Choke.INSTANCE, Message.Unchoke.INSTANCE,
                Message.Interested.INSTANCE, Message.NotInterested.INSTANCE, new Message.Have(9),
                Message.Bitfield.of(Frames.bytes(0b1010_0000, 0b0100_0000)), new Message.Request(3, 16384, 16384),
                new Message.Piece(9, 16384, ByteBuffer.wrap(block(20000 - 16384, 1))),
                new Message.Piece(0, 0, ByteBuffer.wrap(block(16384, 2))), new Message.Cancel(9, 0, 16384),
                new Message.Port(6881), Message.HaveAll.INSTANCE, Message.HaveNone.INSTANCE,
                new Message.SuggestPiece(4), new Message.RejectRequest(2, 0, 16384), new Message.AllowedFast(7),
                new Message.Extended(0, ByteBuffer.wrap("d1:md6:ut_pexi1eee".getBytes(StandardCharsets.US_ASCII))),
                new Message.Extended(3, ByteBuffer.wrap(new byte[0])));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("messages")
    void decodesToAnEqualMessage(Message m) throws ProtocolException {
        assertEquals(List.of(m), Frames.read(MessageEncoder.encode(m)));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("messages")
    void encodedLengthIsTheLengthPrefixPlusFour(Message m) {
        byte[] wire = MessageEncoder.encode(m);
        assertEquals(MessageEncoder.encodedLength(m), wire.length);
        assertEquals(wire.length - 4, ByteBuffer.wrap(wire).getInt());
        if (m.id() >= 0) {
            assertEquals(m.id(), wire[4]);
        }
    }

    @Test
    void allMessagesInOneStreamDecodeInOrder() throws ProtocolException {
        List<Message> all = messages().toList();
        assertEquals(new ArrayList<Object>(all), Frames.read(Frames.encode(all.toArray(Message[]::new))));
    }

    @Test
    void requestHasTheBep3Layout() {
        assertArrayEquals(Frames.frame(6, 3, 16384, 16384),
                MessageEncoder.encode(new Message.Request(3, 16384, 16384)));
    }

    @Test
    void portIsTwoBigEndianBytes() {
        assertArrayEquals(Frames.bytes(0, 0, 0, 3, 9, 0x1a, 0xe1), MessageEncoder.encode(new Message.Port(6881)));
    }

    @Test
    void keepAliveIsFourZeroBytes() {
        assertArrayEquals(new byte[4], MessageEncoder.encode(Message.KeepAlive.INSTANCE));
    }

    @Test
    void payloadLessMessagesDecodeToTheSingletons() throws ProtocolException {
        assertSame(Message.Unchoke.INSTANCE, Frames.read(Frames.frame(1)).get(0));
        assertSame(Message.HaveNone.INSTANCE, Frames.read(Frames.frame(15)).get(0));
    }

    @Test
    void pieceHeaderAndBlockMakeTheWholeMessage() {
        Message.Piece p = new Message.Piece(9, 0, ByteBuffer.wrap(block(300, 3)));
        ByteBuffer header = ByteBuffer.allocate(MessageEncoder.PIECE_HEADER_LENGTH);
        MessageEncoder.encodeHeader(p, header);
        assertArrayEquals(MessageEncoder.encode(p), Frames.concat(header.array(), block(300, 3)));
    }

    @Test
    void pieceHeaderFromIndexBeginAndLengthMatchesTheMessage() {
        Message.Piece p = new Message.Piece(7, 16_384, ByteBuffer.wrap(block(200, 5)));
        ByteBuffer header = ByteBuffer.allocate(MessageEncoder.PIECE_HEADER_LENGTH);
        MessageEncoder.encodeHeader(7, 16_384, 200, header);
        assertArrayEquals(MessageEncoder.encode(p), Frames.concat(header.array(), block(200, 5)));
    }

    @Test
    void encodingLeavesPayloadPositionsAlone() {
        ByteBuffer data = ByteBuffer.wrap(block(100, 4));
        data.position(10);
        MessageEncoder.encode(new Message.Piece(0, 0, data));
        assertEquals(10, data.position());
    }

    @Test
    void unknownMessagesCannotBeEncoded() {
        assertThrows(IllegalArgumentException.class, () -> MessageEncoder.encode(new Message.Unknown(99, 5)));
    }

    @Test
    void bitfieldBitsAreMostSignificantFirst() {
        Message.Bitfield b = Message.Bitfield.of(Frames.bytes(0b1000_0001, 0b0100_0000));
        assertEquals(true, b.hasPiece(0));
        assertEquals(false, b.hasPiece(1));
        assertEquals(true, b.hasPiece(7));
        assertEquals(true, b.hasPiece(9));
        assertEquals(false, b.hasPiece(8));
    }
}
