package org.stampede.wire;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.List;
import java.util.Random;

import org.junit.jupiter.api.Test;

/** The stream side: limits enforced before buffering, any chunking, garbage, failure. */
class WireReaderTest {
    static final byte[] INFO_HASH = new byte[20];
    static {
        Arrays.fill(INFO_HASH, (byte) 0x5a);
    }
    static final Handshake PEER = Handshake.of(INFO_HASH, PeerId.random(new Random(3)), true, true, false);

    /** A reader at the start of a connection whose resolver accepts {@link #INFO_HASH} only. */
    static WireReader fresh() {
        return new WireReader(h -> {
            if (!h.hasInfoHash(INFO_HASH)) {
                throw new ProtocolException("unknown torrent " + h.infoHashHex());
            }
            return Frames.decoder();
        });
    }

    /** A reader after the handshakes. */
    static WireReader messages() {
        return new WireReader(Frames.decoder());
    }

    static void feed(WireReader r, byte[] bytes, Frames.Collector c) throws ProtocolException {
        ByteBuffer in = ByteBuffer.wrap(bytes);
        r.read(in, c);
        assertFalse(in.hasRemaining(), "the reader consumes all its input");
    }

    static ProtocolException refusal(WireReader r, byte[] bytes) {
        ProtocolException e = assertThrows(ProtocolException.class, () -> r.read(ByteBuffer.wrap(bytes),
                new Frames.Collector()));
        assertTrue(r.failed());
        return e;
    }

    /** Handshake and a bit of every kind of message. */
    static byte[] conversation() {
        return Frames.concat(PEER.encode(), Frames.encode(MessageRoundTripTest.messages().toArray(Message[]::new)));
    }

    @Test
    void prefixOf2To31Minus1IsRefusedWithOnlyFourBytesSupplied() {
        WireReader r = messages();
        ProtocolException e = refusal(r, Frames.bytes(0x7f, 0xff, 0xff, 0xff));
        assertTrue(e.getMessage().contains("frame length 2147483647 exceeds the maximum of 1048576 bytes"),
                e.getMessage());
        assertEquals(0, r.bufferedBytes());
    }

    @Test
    void hugePrefixRightAfterTheHandshakeIsRefusedWithOnlyFourBytesSupplied() throws ProtocolException {
        WireReader r = fresh();
        Frames.Collector c = new Frames.Collector();
        feed(r, PEER.encode(), c);
        assertEquals(List.of(PEER), c.items);
        refusal(r, Frames.prefix(Integer.MAX_VALUE));
        assertEquals(0, r.bufferedBytes());
    }

    @Test
    void negativePrefixesAreRefusedWithOnlyFourBytesSupplied() {
        assertTrue(refusal(messages(), Frames.prefix(Integer.MIN_VALUE)).getMessage().contains("negative"));
        assertTrue(refusal(messages(), Frames.prefix(-1)).getMessage().contains("4294967295 is negative"));
    }

    @Test
    void prefixOneByteOverTheMaximumIsRefused() {
        refusal(messages(), Frames.prefix(MessageDecoder.MAX_FRAME_LENGTH + 1));
    }

    @Test
    void prefixSplitOverCallsIsCheckedWhenComplete() throws ProtocolException {
        WireReader r = messages();
        Frames.Collector c = new Frames.Collector();
        feed(r, Frames.bytes(0x7f, 0xff, 0xff), c);
        refusal(r, Frames.bytes(0xff));
    }

    @Test
    void oversizePieceIsRefusedAtItsIdByteBeforeItsPayload() {
        WireReader r = messages();
        byte[] header = Frames.concat(Frames.prefix(MessageDecoder.MAX_PIECE_FRAME_LENGTH + 1), Frames.bytes(7));
        assertTrue(refusal(r, header).getMessage().contains("larger than 16 KiB"));
        assertEquals(0, r.bufferedBytes());
    }

    @Test
    void bitfieldOfTheWrongSizeIsRefusedAtItsIdByte() {
        WireReader r = messages();
        assertTrue(refusal(r, Frames.concat(Frames.prefix(501), Frames.bytes(5))).getMessage().contains("bitfield"));
        assertEquals(0, r.bufferedBytes());
    }

    @Test
    void haveClaimingAMegabyteIsRefusedAtItsIdByte() {
        WireReader r = messages();
        assertTrue(refusal(r, Frames.concat(Frames.prefix(1 << 20), Frames.bytes(4))).getMessage()
                .contains("have: length 1048576, expected 5"));
        assertEquals(0, r.bufferedBytes());
    }

    @Test
    void unknownIdsAreSkippedWithoutBufferingAndReported() throws ProtocolException {
        WireReader r = messages();
        Frames.Collector c = new Frames.Collector();
        feed(r, Frames.concat(Frames.prefix(MessageDecoder.MAX_FRAME_LENGTH), Frames.bytes(99)), c);
        byte[] chunk = new byte[64 * 1024];
        for (int sent = 1; sent < MessageDecoder.MAX_FRAME_LENGTH; sent += chunk.length) {
            int n = Math.min(chunk.length, MessageDecoder.MAX_FRAME_LENGTH - sent);
            r.read(ByteBuffer.wrap(chunk, 0, n), c);
            assertEquals(0, r.bufferedBytes());
        }
        feed(r, Frames.frame(4, 3), c);
        assertEquals(List.of(new Message.Unknown(99, MessageDecoder.MAX_FRAME_LENGTH), new Message.Have(3)), c.items);
    }

    @Test
    void inputTrickledByteByByteDecodesLikeOneChunk() throws ProtocolException {
        byte[] all = conversation();
        Frames.Collector whole = new Frames.Collector();
        feed(fresh(), all, whole);
        Frames.Collector trickled = new Frames.Collector();
        WireReader r = fresh();
        for (byte b : all) {
            feed(r, new byte[] { b }, trickled);
        }
        assertEquals(whole.items, trickled.items);
        assertEquals(1 + MessageRoundTripTest.messages().count(), trickled.items.size());
    }

    @Test
    void inputInRandomChunksDecodesLikeOneChunk() throws ProtocolException {
        byte[] all = conversation();
        Frames.Collector whole = new Frames.Collector();
        feed(fresh(), all, whole);
        Random random = new Random(11);
        for (int round = 0; round < 50; round++) {
            Frames.Collector chunked = new Frames.Collector();
            WireReader r = fresh();
            for (int p = 0; p < all.length;) {
                int n = Math.min(all.length - p, 1 + random.nextInt(40));
                // a chunk that is a window into a larger buffer, as network reads are
                ByteBuffer in = ByteBuffer.wrap(all, 0, p + n).position(p);
                r.read(in, chunked);
                assertFalse(in.hasRemaining());
                p += n;
            }
            assertEquals(whole.items, chunked.items, "round " + round);
        }
    }

    @Test
    void largeFrameBufferGrowsWithWhatArrivesNotWithWhatIsClaimed() throws ProtocolException {
        int length = MessageDecoder.MAX_FRAME_LENGTH;
        WireReader r = messages();
        Frames.Collector c = new Frames.Collector();
        feed(r, Frames.concat(Frames.prefix(length), Frames.bytes(20, 1)), c);
        assertTrue(r.bufferedBytes() <= WireReader.PREALLOCATE_LIMIT, "buffered " + r.bufferedBytes());
        byte[] payload = new byte[length - 2];
        new Random(5).nextBytes(payload);
        int sent = 2;
        for (int p = 0; p < payload.length; p += 1000) {
            int n = Math.min(1000, payload.length - p);
            feed(r, Arrays.copyOfRange(payload, p, p + n), c);
            sent += n;
            if (sent < length) {
                assertTrue(r.bufferedBytes() <= Math.max(WireReader.PREALLOCATE_LIMIT, 2 * sent),
                        "buffered " + r.bufferedBytes() + " after " + sent + " bytes");
            }
        }
        assertEquals(List.of(new Message.Extended(1, ByteBuffer.wrap(payload))), c.items);
        assertEquals(0, r.bufferedBytes());
    }

    @Test
    void garbageInsteadOfAHandshakeIsRefusedAtItsFirstByte() {
        WireReader r = fresh();
        ProtocolException e = refusal(r, new byte[] { 'G' });
        assertTrue(e.getMessage().contains("protocol string length 71, expected 19"), e.getMessage());
    }

    @Test
    void wrongProtocolStringIsRefusedAtItsFirstWrongByte() {
        ProtocolException e = refusal(fresh(), Frames.bytes(19, 'B', 'i', 'x'));
        assertTrue(e.getMessage().contains("'Bix' is not \"BitTorrent protocol\""), e.getMessage());
    }

    @Test
    void handshakeForAnotherTorrentIsRefusedByTheResolver() {
        byte[] other = new byte[20];
        WireReader r = fresh();
        Frames.Collector c = new Frames.Collector();
        assertThrows(ProtocolException.class, () -> r.read(ByteBuffer.wrap(
                Handshake.of(other, PEER.peerId(), true, true, false).encode()), c));
        assertEquals(List.of(), c.items, "a refused handshake is not passed on");
        assertFalse(r.handshakeDone());
    }

    @Test
    void handshakeComesBeforeTheMessagesOfTheSameRead() throws ProtocolException {
        Frames.Collector c = new Frames.Collector();
        WireReader r = fresh();
        feed(r, Frames.concat(PEER.encode(), Frames.frame(14), Frames.frame(2)), c);
        assertEquals(List.of(PEER, Message.HaveAll.INSTANCE, Message.Interested.INSTANCE), c.items);
        assertEquals(PEER, r.peerHandshake());
        assertTrue(r.handshakeDone());
    }

    @Test
    void failedReaderDiscardsFurtherInput() throws ProtocolException {
        WireReader r = messages();
        refusal(r, Frames.frame(4, 10));
        Frames.Collector c = new Frames.Collector();
        feed(r, Frames.frame(4, 1), c);
        assertEquals(List.of(), c.items);
    }

    @Test
    void keepAliveIsPassedOn() throws ProtocolException {
        assertEquals(List.of(Message.KeepAlive.INSTANCE, Message.KeepAlive.INSTANCE), Frames.read(new byte[8]));
    }

    @Test
    void pieceDataIsCopiedOutOfTheInputWhenTheFrameIsWhole() throws ProtocolException {
        byte[] wire = MessageEncoder.encode(new Message.Piece(0, 0, ByteBuffer.wrap(Frames.bytes(1, 2, 3))));
        Frames.Collector c = new Frames.Collector();
        feed(messages(), wire, c);
        Arrays.fill(wire, (byte) 0);
        assertEquals(new Message.Piece(0, 0, ByteBuffer.wrap(Frames.bytes(1, 2, 3))), c.items.get(0));
    }

    @Test
    void pieceDataIsCopiedOutOfTheInputWhenTheFrameArrivesInParts() throws ProtocolException {
        byte[] wire = MessageEncoder.encode(new Message.Piece(0, 0, ByteBuffer.wrap(Frames.bytes(1, 2, 3))));
        Frames.Collector c = new Frames.Collector();
        WireReader r = messages();
        feed(r, Arrays.copyOfRange(wire, 0, 10), c);
        byte[] rest = Arrays.copyOfRange(wire, 10, wire.length);
        feed(r, rest, c);
        Arrays.fill(rest, (byte) 0);
        assertEquals(new Message.Piece(0, 0, ByteBuffer.wrap(Frames.bytes(1, 2, 3))), c.items.get(0));
    }

    @Test
    void partialPieceFrameGetsOneBufferOfItsOwnSize() throws ProtocolException {
        WireReader r = messages();
        Frames.Collector c = new Frames.Collector();
        feed(r, Frames.concat(Frames.prefix(9 + 16384), Frames.bytes(7, 0, 0, 0, 1)), c);
        assertEquals(9 + 16384, r.bufferedBytes());
        assertEquals(List.of(), c.items);
    }

    @Test
    void readerWithoutHandshakeStartsWithMessages() throws ProtocolException {
        WireReader r = messages();
        Frames.Collector c = new Frames.Collector();
        feed(r, Frames.frame(1), c);
        assertInstanceOf(Message.Unchoke.class, c.items.get(0));
        assertEquals(null, r.peerHandshake());
    }
}
