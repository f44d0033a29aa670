package org.stampede.bencode;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.stampede.bencode.Bytes.b;

import java.nio.ByteBuffer;
import java.nio.ReadOnlyBufferException;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Random;

import org.junit.jupiter.api.Test;

class BStringTest {

    private static BString decoded(String bencode) {
        return (BString) BencodeDecoder.strict().decode(b(bencode));
    }

    private static BString raw(int... bytes) {
        byte[] a = new byte[bytes.length];
        for (int i = 0; i < bytes.length; i++) {
            a[i] = (byte) bytes[i];
        }
        return BString.of(a);
    }

    @Test
    void ofStringEncodesUtf8() {
        BString s = BString.of("é€");
        assertEquals(5, s.length());
        assertArrayEquals(new byte[] {(byte) 0xc3, (byte) 0xa9, (byte) 0xe2, (byte) 0x82, (byte) 0xac}, s.bytes());
    }

    @Test
    void ofBytesCopiesTheArray() {
        byte[] a = b("abc");
        BString s = BString.of(a);
        a[0] = 'X';
        assertEquals("abc", s.asString());
    }

    @Test
    void bytesReturnsACopy() {
        BString s = decoded("3:abc");
        s.bytes()[0] = 'X';
        assertEquals("abc", s.asString());
    }

    @Test
    void byteAtReadsContentNotLengthPrefix() {
        BString s = decoded("3:abc");
        assertEquals('a', s.byteAt(0));
        assertEquals('c', s.byteAt(2));
    }

    @Test
    void byteAtRejectsIndexOutsideContent() {
        BString s = (BString) ((BList) BencodeDecoder.strict().decode(b("l3:abc3:defe"))).get(0);
        assertThrows(IndexOutOfBoundsException.class, () -> s.byteAt(3));
        assertThrows(IndexOutOfBoundsException.class, () -> s.byteAt(-1));
    }

    @Test
    void copyToCopiesContentAtOffset() {
        byte[] dst = b("......");
        decoded("3:abc").copyTo(dst, 2);
        assertArrayEquals(b("..abc."), dst);
    }

    @Test
    void readOnlyBufferCoversExactlyTheContent() {
        BString s = (BString) ((BList) BencodeDecoder.strict().decode(b("l3:abc3:defe"))).get(1);
        ByteBuffer buf = s.asReadOnlyBuffer();
        assertTrue(buf.isReadOnly());
        assertEquals(0, buf.position());
        assertEquals(3, buf.remaining());
        assertEquals('d', buf.get(0));
        assertEquals('f', buf.get(2));
        assertThrows(ReadOnlyBufferException.class, () -> buf.put(0, (byte) 'x'));
    }

    @Test
    void asStringReplacesMalformedUtf8() {
        assertEquals("a\uFFFDb", raw('a', 0xff, 'b').asString());
    }

    @Test
    void asStrictUtf8DecodesValidText() {
        assertEquals("grüße 😀", BString.of("grüße 😀").asStrictUtf8());
    }

    @Test
    void asStrictUtf8ReportsTheStringsOffset() {
        BList l = (BList) BencodeDecoder.strict().decode(b("l1:a3:x\u00c0\u0080e"));
        BString bad = (BString) l.get(1);
        BencodeException e = assertThrows(BencodeException.class, bad::asStrictUtf8);
        assertEquals(4, e.offset());
        assertEquals("string is not valid UTF-8 (bad byte at index 1)", e.reason());
    }

    @Test
    void isValidUtf8AcceptsMultiByteSequences() {
        assertTrue(BString.of("aé€😀\uFFFF\u0000").isValidUtf8());
    }

    @Test
    void isValidUtf8RejectsOverlongEncoding() {
        assertFalse(raw(0xc0, 0x80).isValidUtf8());
        assertFalse(raw(0xe0, 0x80, 0x80).isValidUtf8());
    }

    @Test
    void isValidUtf8RejectsSurrogates() {
        assertFalse(raw(0xed, 0xa0, 0x80).isValidUtf8());
    }

    @Test
    void isValidUtf8RejectsCodePointsAbove10FFFF() {
        assertFalse(raw(0xf4, 0x90, 0x80, 0x80).isValidUtf8());
        assertTrue(raw(0xf4, 0x8f, 0xbf, 0xbf).isValidUtf8());
    }

    @Test
    void isValidUtf8RejectsTruncatedSequence() {
        assertFalse(raw('a', 0xe2, 0x82).isValidUtf8());
    }

    @Test
    void isValidUtf8RejectsLoneContinuationByte() {
        assertFalse(raw(0x80).isValidUtf8());
    }

    @Test
    void isValidUtf8AgreesWithJdkDecoderOnAllTwoByteAndRandomInputs() {
        byte[] two = new byte[2];
        for (int i = 0; i < 65536; i++) {
            two[0] = (byte) (i >> 8);
            two[1] = (byte) i;
            assertEquals(jdkValid(two), BString.of(two).isValidUtf8(), () -> "bytes " + Integer.toHexString(0x10000 | (two[0] & 0xff) << 8 | (two[1] & 0xff)));
        }
        Random rnd = new Random(7);
        byte[] buf = new byte[4];
        for (int i = 0; i < 200_000; i++) {
            for (int k = 0; k < buf.length; k++) {
                buf[k] = (byte) (0x80 | rnd.nextInt(0x80)); // mostly high bytes, where the rules are
            }
            if (rnd.nextBoolean()) {
                buf[0] = (byte) (0xe0 + rnd.nextInt(0x15));
            }
            assertEquals(jdkValid(buf), BString.of(buf).isValidUtf8());
        }
    }

    private static boolean jdkValid(byte[] b) {
        try {
            StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(b));
            return true;
        } catch (CharacterCodingException e) {
            return false;
        }
    }

    @Test
    void equalsAndHashCodeAreByContent() {
        BString fromInput = (BString) ((BList) BencodeDecoder.strict().decode(b("l4:spam4:eggse"))).get(0);
        BString built = BString.of("spam");
        assertEquals(built, fromInput);
        assertEquals(built.hashCode(), fromInput.hashCode());
        assertNotEquals(BString.of("eggs"), fromInput);
    }

    @Test
    void compareToUsesUnsignedBytes() {
        assertTrue(raw(0x80).compareTo(raw(0x7f)) > 0);
        assertTrue(raw(0xff).compareTo(BString.of("z")) > 0);
    }

    @Test
    void compareToOrdersPrefixFirst() {
        assertTrue(BString.of("ab").compareTo(BString.of("abc")) < 0);
        assertEquals(0, BString.of("abc").compareTo(decoded("3:abc")));
    }

    @Test
    void contentEqualsComparesWithUtf8OfText() {
        assertTrue(BString.of("né").contentEquals("né"));
        assertFalse(BString.of("ne").contentEquals("né"));
        assertFalse(BString.of("n").contentEquals("ne"));
    }

    @Test
    void toStringEscapesNonPrintableBytes() {
        assertEquals("'a\\x00\\xff'", raw('a', 0, 0xff).toString());
    }

    @Test
    void ofRangeCopiesOnlyTheRange() {
        assertEquals("bc", BString.of(b("abcd"), 1, 2).asString());
        assertThrows(IndexOutOfBoundsException.class, () -> BString.of(b("abcd"), 3, 2));
    }
}
