package org.stampede.wire;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Hostile frames: each breaks one rule and is refused with a message naming it. The torrent is
 * {@link Frames#GEOMETRY}: 10 pieces of 32 KiB, the last one 20,000 bytes.
 */
class MessageDecoderTest {

    /** Decodes a frame given without its length prefix, the way a reader hands it over. */
    static Message decodeBody(MessageDecoder d, byte[] wire) throws ProtocolException {
        return d.decode(ByteBuffer.wrap(wire, 4, wire.length - 4).slice());
    }

    static String refusal(byte[] wire) {
        return refusal(Frames.decoder(), wire);
    }

    static String refusal(MessageDecoder d, byte[] wire) {
        return assertThrows(ProtocolException.class, () -> decodeBody(d, wire)).getMessage();
    }

    static void assertContains(String expected, String actual) {
        assertTrue(actual.contains(expected), () -> "'" + actual + "' should contain '" + expected + "'");
    }

    @ParameterizedTest(name = "id {0} with length {1}")
    @CsvSource({ "0,2", "1,5", "2,3", "3,2", "4,4", "4,6", "6,12", "6,14", "8,17", "9,2", "9,5", "13,1", "14,2",
            "15,5", "16,9", "17,6" })
    void wrongLengthForItsIdIsRefused(int id, int length) {
        byte[] wire = ByteBuffer.allocate(4 + length).putInt(length).put((byte) id).array();
        assertContains("expected", refusal(wire));
    }

    @Test
    void bitfieldOfTheWrongSizeIsRefused() {
        assertContains("bitfield: 3 bytes for 10 pieces, expected 2", refusal(Frames.frame(5, Frames.bytes(0, 0, 0))));
        assertContains("bitfield: 1 bytes for 10 pieces, expected 2", refusal(Frames.frame(5, Frames.bytes(0xff))));
    }

    @Test
    void bitfieldWithSpareBitsSetIsRefused() {
        assertContains("spare bits set", refusal(Frames.frame(5, Frames.bytes(0xff, 0xc1))));
        assertContains("spare bits set", refusal(Frames.frame(5, Frames.bytes(0, 0x01))));
    }

    @Test
    void bitfieldWithAllPiecesAndNoSpareBitsIsAccepted() throws ProtocolException {
        Message.Bitfield b = (Message.Bitfield) decodeBody(Frames.decoder(), Frames.frame(5, Frames.bytes(0xff, 0xc0)));
        assertTrue(b.hasPiece(9));
    }

    @Test
    void haveOutOfRangeIsRefused() {
        assertContains("have: piece 10 out of range (torrent has 10 pieces)", refusal(Frames.frame(4, 10)));
        assertContains("have: piece 4294967295 out of range", refusal(Frames.frame(4, -1)));
    }

    @Test
    void requestOutOfRangeIsRefused() {
        assertContains("request: piece 10 out of range", refusal(Frames.frame(6, 10, 0, 16384)));
    }

    @Test
    void requestOver16KiBIsRefused() {
        assertContains("request larger than 16 KiB: length 16385", refusal(Frames.frame(6, 0, 0, 16385)));
        assertContains("request larger than 16 KiB: length 4294967295", refusal(Frames.frame(6, 0, 0, -1)));
    }

    @Test
    void requestOfNothingIsRefused() {
        assertContains("request: length 0", refusal(Frames.frame(6, 0, 0, 0)));
    }

    @Test
    void requestPastTheEndOfThePieceIsRefused() {
        assertContains("request: block [begin 16385, length 16384] past the end of piece 0 (32768 bytes)",
                refusal(Frames.frame(6, 0, 16385, 16384)));
        assertContains("past the end of piece 0", refusal(Frames.frame(6, 0, 32768, 1)));
    }

    @Test
    void requestPastTheEndOfTheShorterLastPieceIsRefused() {
        assertContains("past the end of piece 9 (20000 bytes, the last piece)",
                refusal(Frames.frame(6, 9, 16384, 16384)));
        assertContains("past the end of piece 9", refusal(Frames.frame(6, 9, 20000, 1)));
    }

    @Test
    void requestEndingExactlyAtTheEndOfTheTorrentIsAccepted() throws ProtocolException {
        assertEquals(new Message.Request(9, 16384, 3616),
                decodeBody(Frames.decoder(), Frames.frame(6, 9, 16384, 3616)));
    }

    @Test
    void requestWithNegativeBeginIsRefused() {
        assertContains("past the end", refusal(Frames.frame(6, 0, -16384, 16384)));
    }

    @Test
    void requestWhoseEndOverflowsAnIntIsRefused() {
        assertContains("past the end", refusal(Frames.frame(6, 0, Integer.MAX_VALUE, 16384)));
    }

    @Test
    void cancelAndRejectAreCheckedLikeRequests() {
        assertContains("cancel larger than 16 KiB", refusal(Frames.frame(8, 0, 0, 16385)));
        assertContains("reject request: piece 11 out of range", refusal(Frames.frame(16, 11, 0, 16384)));
    }

    @Test
    void pieceOutOfRangeIsRefused() {
        assertContains("piece: piece 10 out of range", refusal(Frames.frame(7, ByteBuffer.allocate(9).putInt(10)
                .putInt(0).array())));
    }

    @Test
    void pieceBlockPastTheEndOfTheLastPieceIsRefused() {
        byte[] payload = ByteBuffer.allocate(8 + 3617).putInt(9).putInt(16384).array();
        assertContains("piece: block [begin 16384, length 3617] past the end of piece 9",
                refusal(Frames.frame(7, payload)));
    }

    @Test
    void pieceBlockOver16KiBIsRefused() {
        byte[] payload = ByteBuffer.allocate(8 + 16385).putInt(0).putInt(0).array();
        assertContains("piece: block of 16385 bytes larger than 16 KiB", refusal(Frames.frame(7, payload)));
    }

    @Test
    void suggestAndAllowedFastOutOfRangeAreRefused() {
        assertContains("suggest piece: piece 10 out of range", refusal(Frames.frame(13, 10)));
        assertContains("allowed fast: piece 10 out of range", refusal(Frames.frame(17, 10)));
    }

    @ParameterizedTest(name = "id {0}")
    @CsvSource({ "13,5", "14,1", "15,1", "16,13", "17,5" })
    void fastMessagesWithoutTheFastExtensionAreRefused(int id, int length) {
        MessageDecoder plain = new MessageDecoder(Frames.GEOMETRY, false, true);
        byte[] wire = ByteBuffer.allocate(4 + length).putInt(length).put((byte) id).array();
        assertContains("without the fast extension (BEP 6) negotiated", refusal(plain, wire));
    }

    @Test
    void extendedWithoutTheExtensionProtocolIsRefused() {
        MessageDecoder plain = new MessageDecoder(Frames.GEOMETRY, true, false);
        assertContains("extension protocol (BEP 10)", refusal(plain, Frames.frame(20, Frames.bytes(0))));
    }

    @Test
    void extendedWithoutAnExtendedIdIsRefused() {
        assertContains("no extended message id", refusal(Frames.frame(20, new byte[0])));
    }

    @Test
    void unknownIdIsReportedNotRefused() throws ProtocolException {
        assertEquals(new Message.Unknown(99, 4), decodeBody(Frames.decoder(), Frames.frame(99, Frames.bytes(1, 2, 3))));
        assertFalse(Frames.decoder().checkHeader(1000, 21));
    }

    @Test
    void negotiatedDecoderEnablesOnlyWhatBothSidesOffer() {
        PeerId id = PeerId.random(new java.util.Random(1));
        Handshake ours = Handshake.of(new byte[20], id, true, true, false);
        Handshake fastOnly = Handshake.of(new byte[20], id, true, false, false);
        MessageDecoder d = MessageDecoder.negotiated(Frames.GEOMETRY, ours, fastOnly);
        assertTrue(d.fastExtension());
        assertFalse(d.extensionProtocol());
    }

    @Test
    void lengthPrefixChecksRefuseNegativeAndOversizeLengths() throws ProtocolException {
        MessageDecoder.checkLength(0);
        MessageDecoder.checkLength(MessageDecoder.MAX_FRAME_LENGTH);
        assertContains("exceeds the maximum", assertThrows(ProtocolException.class,
                () -> MessageDecoder.checkLength(MessageDecoder.MAX_FRAME_LENGTH + 1)).getMessage());
        assertContains("frame length 2147483648 is negative", assertThrows(ProtocolException.class,
                () -> MessageDecoder.checkLength(Integer.MIN_VALUE)).getMessage());
    }

    @Test
    void pieceDataIsAViewOfTheFrame() throws ProtocolException {
        byte[] payload = ByteBuffer.allocate(8 + 3).putInt(1).putInt(5).put(Frames.bytes(7, 8, 9)).array();
        byte[] wire = Frames.frame(7, payload);
        Message.Piece p = (Message.Piece) decodeBody(Frames.decoder(), wire);
        wire[wire.length - 1] = 42;
        assertEquals(List.of(7, 8, 42), List.of((int) p.data().get(0), (int) p.data().get(1), (int) p.data().get(2)));
    }
}
