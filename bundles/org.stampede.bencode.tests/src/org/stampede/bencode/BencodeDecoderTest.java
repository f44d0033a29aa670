package org.stampede.bencode;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.stampede.bencode.Bytes.b;

import java.util.List;

import org.junit.jupiter.api.Test;

class BencodeDecoderTest {
    private static final BencodeDecoder STRICT = BencodeDecoder.strict();
    private static final BencodeDecoder LENIENT = BencodeDecoder.lenient();

    @Test
    void decodesPositiveInteger() {
        BInteger v = assertInstanceOf(BInteger.class, STRICT.decode(b("i42e")));
        assertEquals(42, v.value());
        assertEquals(0, v.start());
        assertEquals(4, v.end());
    }

    @Test
    void decodesNegativeInteger() {
        assertEquals(-42, ((BInteger) STRICT.decode(b("i-42e"))).value());
    }

    @Test
    void decodesZero() {
        assertEquals(0, ((BInteger) STRICT.decode(b("i0e"))).value());
    }

    @Test
    void decodesLongMaxValue() {
        assertEquals(Long.MAX_VALUE, ((BInteger) STRICT.decode(b("i9223372036854775807e"))).value());
    }

    @Test
    void decodesLongMinValue() {
        assertEquals(Long.MIN_VALUE, ((BInteger) STRICT.decode(b("i-9223372036854775808e"))).value());
    }

    @Test
    void decodesString() {
        BString s = assertInstanceOf(BString.class, STRICT.decode(b("4:spam")));
        assertEquals("spam", s.asString());
        assertEquals(4, s.length());
        assertEquals(0, s.start());
        assertEquals(6, s.end());
    }

    @Test
    void decodesEmptyString() {
        BString s = (BString) STRICT.decode(b("0:"));
        assertEquals(0, s.length());
        assertEquals(2, s.end());
    }

    @Test
    void decodesList() {
        BList l = assertInstanceOf(BList.class, STRICT.decode(b("l4:spami42ee")));
        assertEquals(List.of(BString.of("spam"), BInteger.of(42)), l.values());
        assertEquals(0, l.start());
        assertEquals(12, l.end());
    }

    @Test
    void decodesEmptyList() {
        BList l = (BList) STRICT.decode(b("le"));
        assertEquals(0, l.size());
        assertEquals(2, l.end());
    }

    @Test
    void decodesEmptyDict() {
        BDict d = assertInstanceOf(BDict.class, STRICT.decode(b("de")));
        assertTrue(d.isEmpty());
    }

    @Test
    void decodesDict() {
        BDict d = (BDict) STRICT.decode(b("d3:cow3:moo4:spam4:eggse"));
        assertEquals("moo", d.getText("cow"));
        assertEquals("eggs", d.getText("spam"));
        assertEquals(2, d.size());
    }

    @Test
    void nestedValuesKnowTheirPositions() {
        byte[] data = b("d1:al1:bi7eee");
        BDict d = (BDict) STRICT.decode(data);
        BList l = d.getList("a");
        assertEquals(4, l.start());
        assertEquals(12, l.end());
        BValue seven = l.get(1);
        assertEquals(8, seven.start());
        assertEquals(11, seven.end());
        BString key = d.keys().get(0);
        assertEquals(1, key.start());
        assertEquals(4, key.end());
    }

    @Test
    void decodeOfRangeReportsAbsolutePositions() {
        byte[] data = b("xxxl3:abcezz");
        BList l = (BList) STRICT.decode(data, 3, 7);
        assertEquals(3, l.start());
        assertEquals(10, l.end());
        assertEquals(4, l.get(0).start());
        assertEquals("abc", ((BString) l.get(0)).asString());
    }

    @Test
    void decodeOfRangeReportsAbsoluteErrorOffsets() {
        byte[] data = b("xxxl3:abzz");
        BencodeException e = assertThrows(BencodeException.class, () -> STRICT.decode(data, 3, 5));
        assertEquals("string length 3 exceeds remaining 2 bytes", e.reason());
        assertEquals(4, e.offset());
    }

    @Test
    void decodeOfRangeRejectsBadBounds() {
        assertThrows(IndexOutOfBoundsException.class, () -> STRICT.decode(b("i1e"), 2, 5));
    }

    @Test
    void decodesSampleTorrent() {
        BDict t = (BDict) STRICT.decode(Bytes.sampleTorrent());
        assertEquals("http://tracker.example/announce", t.getText("announce"));
        assertEquals(1700000000L, t.getLong("creation date"));
        BDict info = t.getDict("info");
        assertEquals(262144L, info.getLong("piece length"));
        assertEquals(20, info.getString("pieces").length());
        assertEquals(-1L, ((BDict) info.getList("files").get(1)).getLong("length"));
    }

    @Test
    void decodePrefixAllowsTrailingData() {
        byte[] msg = b("d8:msg_typei1e5:piecei0e10:total_sizei5eeHELLO");
        BValue v = STRICT.decodePrefix(msg, 0, msg.length);
        assertEquals(msg.length - 5, v.end());
        assertEquals(1L, ((BDict) v).getLong("msg_type"));
    }

    @Test
    void decodePrefixStillRejectsTruncatedValue() {
        byte[] msg = b("d8:msg_typei1e");
        BencodeException e = assertThrows(BencodeException.class, () -> STRICT.decodePrefix(msg, 0, msg.length));
        assertEquals("unexpected end of input", e.reason());
        assertEquals(msg.length, e.offset());
    }

    @Test
    void decodePrefixAppliesSizeLimitToTheValueNotTheTrailingData() {
        byte[] msg = Bytes.repeat("i1e", "x", 100, "");
        BencodeDecoder d = STRICT.withLimits(BencodeLimits.DEFAULT.withMaxSize(10));
        assertEquals(3, d.decodePrefix(msg, 0, msg.length).end());
    }

    @Test
    void decodePrefixRejectsValueLargerThanSizeLimit() {
        byte[] msg = Bytes.repeat("20:", "x", 100, "");
        BencodeDecoder d = STRICT.withLimits(BencodeLimits.DEFAULT.withMaxSize(10));
        BencodeException e = assertThrows(BencodeException.class, () -> d.decodePrefix(msg, 0, msg.length));
        assertEquals("value exceeds size limit of 10 bytes", e.reason());
    }

    @Test
    void decodedStringIsAViewOverTheInput() {
        byte[] data = b("4:spam");
        BString s = (BString) STRICT.decode(data);
        data[2] = 'S';
        assertEquals("Spam", s.asString());
    }

    @Test
    void strictAndLenientFactoriesReturnDecodersOfTheirMode() {
        assertTrue(STRICT.isStrict());
        assertFalse(LENIENT.isStrict());
        assertSame(BencodeLimits.DEFAULT, STRICT.limits());
    }

    @Test
    void withLimitsKeepsModeAndReturnsNewDecoder() {
        BencodeLimits small = new BencodeLimits(3, 10, 100);
        BencodeDecoder d = LENIENT.withLimits(small);
        assertNotSame(LENIENT, d);
        assertFalse(d.isStrict());
        assertEquals(small, d.limits());
        assertSame(BencodeLimits.DEFAULT, LENIENT.limits());
    }

    @Test
    void roundTripsSampleTorrentByteForByte() {
        byte[] data = Bytes.sampleTorrent();
        assertArrayEquals(data, BencodeEncoder.encode(STRICT.decode(data)));
    }

    @Test
    void roundTripsEveryByteValueInStrings() {
        byte[] all = new byte[256];
        for (int i = 0; i < 256; i++) {
            all[i] = (byte) i;
        }
        BValue v = BList.of(BString.of(all), BDict.builder().put(BString.of(all), BInteger.of(1)).build());
        BValue back = STRICT.decode(BencodeEncoder.encode(v));
        assertEquals(v, back);
        assertArrayEquals(all, ((BString) ((BList) back).get(0)).bytes());
    }

    @Test
    void roundTripsRandomValues() {
        java.util.Random rnd = new java.util.Random(42);
        for (int i = 0; i < 300; i++) {
            BValue v = RandomValues.value(rnd, 4);
            byte[] enc = BencodeEncoder.encode(v);
            BValue back = STRICT.decode(enc);
            assertEquals(v, back, () -> new String(enc, java.nio.charset.StandardCharsets.ISO_8859_1));
            assertArrayEquals(enc, BencodeEncoder.encode(back));
        }
    }
}
