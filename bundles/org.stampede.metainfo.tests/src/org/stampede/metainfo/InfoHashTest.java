package org.stampede.metainfo;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.security.MessageDigest;
import java.util.HexFormat;

import org.junit.jupiter.api.Test;

class InfoHashTest {

    /** SHA-1 of the empty string, a well-known vector in both hex and base32. */
    private static final String EMPTY_SHA1_HEX = "da39a3ee5e6b4b0d3255bfef95601890afd80709";
    private static final String EMPTY_SHA1_BASE32 = "3I42H3S6NNFQ2MSVX7XZKYAYSCX5QBYJ";
    private static final String EMPTY_SHA256_HEX = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855";

    @Test
    void v1FromDigestHasKindLengthAndHex() throws Exception {
        InfoHash h = InfoHash.v1(MessageDigest.getInstance("SHA-1").digest(new byte[0]));
        assertEquals(InfoHash.Kind.V1, h.kind());
        assertEquals(20, h.bytes().length);
        assertEquals(EMPTY_SHA1_HEX, h.hex());
    }

    @Test
    void kindNamesItsDigestAlgorithm() throws Exception {
        byte[] digest = MessageDigest.getInstance(InfoHash.Kind.V2.algorithm()).digest(new byte[0]);
        assertEquals(InfoHash.Kind.V2.length(), digest.length);
        assertEquals(EMPTY_SHA256_HEX, InfoHash.v2(digest).hex());
    }

    @Test
    void base32OfV1MatchesRfc4648() throws Exception {
        assertEquals(EMPTY_SHA1_BASE32, InfoHash.parseHex(InfoHash.Kind.V1, EMPTY_SHA1_HEX).base32());
    }

    @Test
    void base32OfSequentialBytes() {
        byte[] b = new byte[20];
        for (int i = 0; i < b.length; i++) {
            b[i] = (byte) i;
        }
        assertEquals("AAAQEAYEAUDAOCAJBIFQYDIOB4IBCEQT", InfoHash.v1(b).base32());
    }

    @Test
    void parseBase32IsInverseOfBase32AndCaseInsensitive() throws Exception {
        InfoHash h = InfoHash.parseBase32V1(EMPTY_SHA1_BASE32.toLowerCase());
        assertEquals(EMPTY_SHA1_HEX, h.hex());
    }

    @Test
    void parseBase32RejectsWrongLength() {
        MetainfoException e = assertThrows(MetainfoException.class,
                () -> InfoHash.parseBase32V1(EMPTY_SHA1_BASE32.substring(1)));
        assertTrue(e.getMessage().contains("32 base32 characters"), e.getMessage());
    }

    @Test
    void parseBase32RejectsCharactersOutsideAlphabet() {
        String bad = "1" + EMPTY_SHA1_BASE32.substring(1); // '1' is not in the RFC 4648 alphabet
        MetainfoException e = assertThrows(MetainfoException.class, () -> InfoHash.parseBase32V1(bad));
        assertTrue(e.getMessage().contains("index 0"), e.getMessage());
    }

    @Test
    void parseHexAcceptsUpperCaseAndPrintsLowerCase() throws Exception {
        InfoHash h = InfoHash.parseHex(InfoHash.Kind.V1, EMPTY_SHA1_HEX.toUpperCase());
        assertEquals(EMPTY_SHA1_HEX, h.hex());
        assertEquals(EMPTY_SHA1_HEX, h.toString());
    }

    @Test
    void parseHexRejectsLengthOfOtherKind() {
        assertThrows(MetainfoException.class, () -> InfoHash.parseHex(InfoHash.Kind.V2, EMPTY_SHA1_HEX));
    }

    @Test
    void parseHexRejectsNonHexAndSaysWhere() {
        String bad = EMPTY_SHA1_HEX.substring(0, 5) + "g" + EMPTY_SHA1_HEX.substring(6);
        MetainfoException e = assertThrows(MetainfoException.class, () -> InfoHash.parseHex(InfoHash.Kind.V1, bad));
        assertTrue(e.getMessage().contains("index 5"), e.getMessage());
    }

    @Test
    void parseHexRejectsNonAsciiDigits() {
        // FULLWIDTH DIGIT ZERO is a digit to Character.digit but not a hex character.
        String bad = "\uFF10" + EMPTY_SHA1_HEX.substring(1);
        assertThrows(MetainfoException.class, () -> InfoHash.parseHex(InfoHash.Kind.V1, bad));
    }

    @Test
    void factoriesRejectWrongLength() {
        assertThrows(IllegalArgumentException.class, () -> InfoHash.v1(new byte[19]));
        assertThrows(IllegalArgumentException.class, () -> InfoHash.v2(new byte[20]));
    }

    @Test
    void bytesAreCopiedInAndOut() {
        byte[] input = new byte[20];
        InfoHash h = InfoHash.v1(input);
        input[0] = 1;
        h.bytes()[1] = 1;
        assertArrayEquals(new byte[20], h.bytes());
    }

    @Test
    void equalityUsesKindAndBytes() {
        byte[] b = new byte[32];
        b[0] = 7;
        assertEquals(InfoHash.v2(b), InfoHash.v2(b.clone()));
        assertEquals(InfoHash.v2(b).hashCode(), InfoHash.v2(b.clone()).hashCode());
        assertNotEquals(InfoHash.v2(b), InfoHash.v2(new byte[32]));
        assertNotEquals(InfoHash.v2(b).truncatedV1(), InfoHash.v2(b));
    }

    @Test
    void orderIsV1FirstThenUnsignedBytes() {
        byte[] low = new byte[20];
        low[0] = 0x7F;
        byte[] high = new byte[20];
        high[0] = (byte) 0x80;
        assertTrue(InfoHash.v1(low).compareTo(InfoHash.v1(high)) < 0);
        assertTrue(InfoHash.v1(high).compareTo(InfoHash.v2(new byte[32])) < 0);
        assertEquals(0, InfoHash.v1(low).compareTo(InfoHash.v1(low.clone())));
    }

    @Test
    void truncatedV1IsFirstTwentyBytesOfV2() {
        byte[] b = HexFormat.of().parseHex(EMPTY_SHA256_HEX);
        InfoHash t = InfoHash.v2(b).truncatedV1();
        assertEquals(InfoHash.Kind.V1, t.kind());
        assertEquals(EMPTY_SHA256_HEX.substring(0, 40), t.hex());
    }

    @Test
    void truncatedV1OfV1IsAnError() {
        assertThrows(IllegalStateException.class, () -> InfoHash.v1(new byte[20]).truncatedV1());
    }
}
