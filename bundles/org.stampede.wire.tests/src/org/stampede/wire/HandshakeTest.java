package org.stampede.wire;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Random;

import org.junit.jupiter.api.Test;

class HandshakeTest {
    static final byte[] INFO_HASH = new byte[20];
    static {
        Arrays.fill(INFO_HASH, (byte) 0xaa);
    }
    static final PeerId PEER = PeerId.random(new Random(7));

    @Test
    void encodesTheBep3Layout() {
        byte[] b = Handshake.of(INFO_HASH, PEER, true, true, true).encode();
        assertEquals(68, b.length);
        assertEquals(19, b[0]);
        assertEquals("BitTorrent protocol", new String(b, 1, 19, StandardCharsets.US_ASCII));
        assertArrayEquals(new byte[] { 0, 0, 0, 0, 0, 0x10, 0, 0x05 }, Arrays.copyOfRange(b, 20, 28));
        assertArrayEquals(INFO_HASH, Arrays.copyOfRange(b, 28, 48));
        assertArrayEquals(PEER.bytes(), Arrays.copyOfRange(b, 48, 68));
    }

    @Test
    void roundTripsWithItsReservedBits() throws ProtocolException {
        Handshake h = Handshake.of(INFO_HASH, PEER, true, false, true);
        Handshake back = Handshake.decode(ByteBuffer.wrap(h.encode()));
        assertEquals(h, back);
        assertTrue(back.supportsFast());
        assertFalse(back.supportsExtensions());
        assertTrue(back.supportsDht());
        assertEquals(PEER, back.peerId());
    }

    @Test
    void eachBitIsReadFromItsOwnPlace() {
        Handshake ext = new Handshake(new byte[] { 0, 0, 0, 0, 0, 0x10, 0, 0 }, INFO_HASH, PEER);
        assertTrue(ext.supportsExtensions());
        assertFalse(ext.supportsFast());
        assertFalse(ext.supportsDht());
        Handshake fast = new Handshake(new byte[] { 0, 0, 0, 0, 0, 0, 0, 0x04 }, INFO_HASH, PEER);
        assertTrue(fast.supportsFast());
        assertFalse(fast.supportsExtensions());
        assertFalse(fast.supportsDht());
    }

    @Test
    void unknownReservedBitsAreKept() throws ProtocolException {
        byte[] reserved = { (byte) 0x80, 0, 0, 0, 0, 0x10, 0, 0x10 };
        Handshake back = Handshake.decode(ByteBuffer.wrap(new Handshake(reserved, INFO_HASH, PEER).encode()));
        assertArrayEquals(reserved, back.reserved());
    }

    @Test
    void wrongInfoHashIsVisibleToTheCaller() throws ProtocolException {
        byte[] other = INFO_HASH.clone();
        other[19] = 0;
        Handshake h = Handshake.decode(ByteBuffer.wrap(Handshake.of(other, PEER, true, true, false).encode()));
        assertFalse(h.hasInfoHash(INFO_HASH));
        assertTrue(h.hasInfoHash(other));
        assertEquals("aa".repeat(19) + "00", h.infoHashHex());
    }

    @Test
    void protocolStringLengthOtherThan19IsRefused() {
        byte[] b = Handshake.of(INFO_HASH, PEER, true, true, false).encode();
        b[0] = 20;
        ProtocolException e = assertThrows(ProtocolException.class, () -> Handshake.decode(ByteBuffer.wrap(b)));
        assertTrue(e.getMessage().contains("protocol string length 20"), e.getMessage());
    }

    @Test
    void otherProtocolStringIsRefused() {
        byte[] b = Handshake.of(INFO_HASH, PEER, true, true, false).encode();
        b[12] = 'P'; // "BitTorrent Protocol": the case matters
        ProtocolException e = assertThrows(ProtocolException.class, () -> Handshake.decode(ByteBuffer.wrap(b)));
        assertTrue(e.getMessage().contains("is not \"BitTorrent protocol\""), e.getMessage());
    }

    @Test
    void shortInputIsRefused() {
        byte[] b = Arrays.copyOf(Handshake.of(INFO_HASH, PEER, true, true, false).encode(), 67);
        assertThrows(ProtocolException.class, () -> Handshake.decode(ByteBuffer.wrap(b)));
    }

    @Test
    void fieldsOfTheWrongLengthAreRefused() {
        assertThrows(IllegalArgumentException.class, () -> new Handshake(new byte[7], INFO_HASH, PEER));
        assertThrows(IllegalArgumentException.class, () -> new Handshake(new byte[8], new byte[32], PEER));
    }
}
