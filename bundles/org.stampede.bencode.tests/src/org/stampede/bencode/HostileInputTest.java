package org.stampede.bencode;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.stampede.bencode.Bytes.b;

import java.util.Arrays;

import org.junit.jupiter.api.Test;

/** Malformed and malicious inputs: every one must end in a BencodeException, quickly. */
// A guard against hangs, not a performance assertion: these cases take milliseconds.
@org.junit.jupiter.api.Timeout(value = 120, threadMode = org.junit.jupiter.api.Timeout.ThreadMode.SEPARATE_THREAD)
class HostileInputTest {
    private static final BencodeDecoder STRICT = BencodeDecoder.strict();
    private static final BencodeDecoder LENIENT = BencodeDecoder.lenient();

    private static BencodeException fails(BencodeDecoder d, byte[] input) {
        return assertThrows(BencodeException.class, () -> d.decode(input));
    }

    private static void assertError(BencodeException e, String reason, long offset) {
        assertEquals(reason, e.reason());
        assertEquals(offset, e.offset());
    }

    @Test
    void emptyInputIsUnexpectedEnd() {
        assertError(fails(STRICT, new byte[0]), "unexpected end of input", 0);
        assertError(fails(LENIENT, new byte[0]), "unexpected end of input", 0);
    }

    @Test
    void emptyRangeIsUnexpectedEndAtRangeStart() {
        BencodeException e = assertThrows(BencodeException.class, () -> STRICT.decode(b("i1e"), 2, 0));
        assertError(e, "unexpected end of input", 2);
    }

    @Test
    void everyStrictPrefixOfSampleTorrentIsRejectedAsTruncated() {
        assertEveryPrefixTruncated(STRICT);
    }

    @Test
    void everyLenientPrefixOfSampleTorrentIsRejectedAsTruncated() {
        assertEveryPrefixTruncated(LENIENT);
    }

    private static void assertEveryPrefixTruncated(BencodeDecoder d) {
        byte[] full = Bytes.sampleTorrent();
        for (int n = 0; n < full.length; n++) {
            byte[] prefix = Arrays.copyOf(full, n);
            int len = n;
            BencodeException e = assertThrows(BencodeException.class, () -> d.decode(prefix), "prefix " + n);
            if (e.reason().equals("unexpected end of input")) {
                assertEquals(len, e.offset(), "prefix " + n);
            } else {
                assertTrue(e.reason().matches("string length \\d+ exceeds remaining \\d+ bytes"), e.getMessage());
                assertTrue(e.offset() < len, "prefix " + n);
            }
        }
    }

    @Test
    void truncatedStringReportsClaimedAndRemainingLength() {
        assertError(fails(STRICT, b("l99:abce")), "string length 99 exceeds remaining 4 bytes", 1);
    }

    @Test
    void rejectsNegativeZero() {
        assertError(fails(STRICT, b("i-0e")), "negative zero", 1);
    }

    @Test
    void rejectsLeadingZeroInteger() {
        assertError(fails(STRICT, b("i03e")), "leading zero in integer", 1);
    }

    @Test
    void rejectsEmptyInteger() {
        assertError(fails(LENIENT, b("ie")), "empty integer", 1);
    }

    @Test
    void rejectsMinusInsideInteger() {
        assertError(fails(STRICT, b("i1-e")), "expected a digit or 'e' in integer but found 0x2d", 2);
        assertError(fails(LENIENT, b("i1-e")), "expected a digit or 'e' in integer but found 0x2d", 2);
    }

    @Test
    void rejectsTwentyDigitInteger() {
        assertError(fails(STRICT, b("i99999999999999999999e")), "integer out of range", 19);
        assertError(fails(LENIENT, b("i99999999999999999999e")), "integer out of range", 19);
    }

    @Test
    void rejectsUnterminatedInteger() {
        assertError(fails(STRICT, b("i12")), "unexpected end of input", 3);
    }

    @Test
    void rejectsLetterInInteger() {
        assertError(fails(STRICT, b("i1xe")), "expected a digit or 'e' in integer but found 0x78", 2);
    }

    @Test
    void rejectsMegabyteOfIntegerDigitsWithoutScanningToTheEnd() {
        byte[] input = Bytes.repeat("i", "9", 4_000_000, "e");
        BencodeException e = fails(LENIENT, input);
        assertError(e, "integer out of range", 19);
    }

    @Test
    void rejectsStringLengthPastEnd() {
        assertError(fails(STRICT, b("5:abc")), "string length 5 exceeds remaining 3 bytes", 0);
    }

    @Test
    void rejectsStringLengthOfLongMaxWithoutAllocating() {
        assertError(fails(STRICT, b("9223372036854775807:abc")),
                "string length 9223372036854775807 exceeds remaining 3 bytes", 0);
    }

    @Test
    void rejectsStringLengthJustAboveIntMax() {
        assertError(fails(STRICT, b("2147483648:abc")), "string length 2147483648 exceeds remaining 3 bytes", 0);
    }

    @Test
    void rejectsStringLengthOfTwoToThe63AsOverflow() {
        assertError(fails(STRICT, b("9223372036854775808:abc")), "string length out of range", 18);
    }

    @Test
    void rejectsStringLengthOfTwoToThe64AsOverflow() {
        assertError(fails(LENIENT, b("18446744073709551616:abc")), "string length out of range", 19);
    }

    @Test
    void rejectsMegabytesOfLengthDigitsQuickly() {
        byte[] input = Bytes.repeat("", "9", 4_000_000, ":");
        BencodeException e = fails(LENIENT, input);
        assertError(e, "string length out of range", 18);
    }

    @Test
    void rejectsLetterInStringLength() {
        assertError(fails(STRICT, b("3x:abc")), "expected a digit or ':' in string length but found 0x78", 1);
    }

    @Test
    void rejectsStringLengthWithoutColon() {
        assertError(fails(STRICT, b("l12")), "unexpected end of input", 3);
    }

    @Test
    void millionOpenListsFailWithDepthErrorQuickly() {
        byte[] input = Bytes.fill('l', 1_000_000);
        BencodeException e = fails(STRICT, input);
        assertError(e, "nesting deeper than 100", 100);
    }

    @Test
    void millionOpenDictValuesFailWithDepthErrorInLenientMode() {
        byte[] input = Bytes.repeat("", "d1:a", 250_000, "");
        BencodeException e = fails(LENIENT, input);
        assertError(e, "nesting deeper than 100", 400);
    }

    @Test
    void nestingExactlyAtDepthLimitIsAccepted() {
        BValue v = STRICT.decode(b("l".repeat(100) + "e".repeat(100)));
        assertEquals(200, v.end());
    }

    @Test
    void nestingOneBeyondDepthLimitIsRejected() {
        byte[] input = b("l".repeat(101) + "e".repeat(101));
        assertError(fails(STRICT, input), "nesting deeper than 100", 100);
    }

    @Test
    void customDepthLimitApplies() {
        BencodeDecoder d = STRICT.withLimits(BencodeLimits.DEFAULT.withMaxDepth(2));
        assertEquals(4, d.decode(b("llee")).end());
        assertError(fails(d, b("llleee")), "nesting deeper than 2", 2);
    }

    @Test
    void veryDeepNestingDecodesWithoutStackOverflowWhenLimitAllowsIt() {
        int n = 200_000;
        byte[] input = b("l".repeat(n) + "e".repeat(n));
        BencodeDecoder d = LENIENT.withLimits(BencodeLimits.DEFAULT.withMaxDepth(Integer.MAX_VALUE));
        BValue v = d.decode(input);
        assertEquals(2 * n, v.end());
        assertArrayEquals(input, BencodeEncoder.encode(v));
    }

    @Test
    void tokenBombOfEmptyListsIsRejected() {
        BencodeDecoder d = STRICT.withLimits(BencodeLimits.DEFAULT.withMaxTokens(1000));
        byte[] input = Bytes.repeat("l", "le", 5000, "e");
        // token 1 is the outer list, token k >= 2 the inner list at offset 2k - 3
        assertError(fails(d, input), "more than 1000 tokens", 1999);
    }

    @Test
    void exactlyMaxTokensIsAccepted() {
        BencodeDecoder d = STRICT.withLimits(BencodeLimits.DEFAULT.withMaxTokens(1000));
        assertEquals(999, ((BList) d.decode(Bytes.repeat("l", "le", 999, "e"))).size());
    }

    @Test
    void dictKeysCountAsTokens() {
        BencodeDecoder d = STRICT.withLimits(BencodeLimits.DEFAULT.withMaxTokens(2));
        assertError(fails(d, b("d1:ai1ee")), "more than 2 tokens", 4);
    }

    @Test
    void tokenBombOfShortStringsIsRejected() {
        BencodeDecoder d = LENIENT.withLimits(BencodeLimits.DEFAULT.withMaxTokens(100_000));
        byte[] input = Bytes.repeat("l", "0:", 1_000_000, "e");
        BencodeException e = fails(d, input);
        assertEquals("more than 100000 tokens", e.reason());
    }

    @Test
    void inputLargerThanMaxSizeIsRejectedBeforeParsing() {
        BencodeDecoder d = STRICT.withLimits(BencodeLimits.DEFAULT.withMaxSize(10));
        // the input is garbage, but the size is checked first
        assertError(fails(d, b("zzzzzzzzzzz")), "input of 11 bytes exceeds size limit of 10 bytes", 10);
    }

    @Test
    void inputOfExactlyMaxSizeIsAccepted() {
        BencodeDecoder d = STRICT.withLimits(BencodeLimits.DEFAULT.withMaxSize(10));
        assertEquals(10, d.decode(b("8:12345678")).end());
    }

    @Test
    void trailingGarbageAfterIntegerIsRejected() {
        assertError(fails(STRICT, b("i1ex")), "trailing data after value", 3);
        assertError(fails(LENIENT, b("i1ex")), "trailing data after value", 3);
    }

    @Test
    void secondValueIsTrailingData() {
        assertError(fails(STRICT, b("4:spami1e")), "trailing data after value", 6);
    }

    @Test
    void extraEndMarkerIsTrailingData() {
        assertError(fails(LENIENT, b("lee")), "trailing data after value", 2);
    }

    @Test
    void unknownLeadingByteIsRejected() {
        assertError(fails(STRICT, b("z")), "expected 'i', 'l', 'd' or a digit but found 0x7a", 0);
    }

    @Test
    void strayEndMarkerIsRejected() {
        assertError(fails(STRICT, b("e")), "expected 'i', 'l', 'd' or a digit but found 0x65", 0);
    }

    @Test
    void unknownByteInsideListIsRejected() {
        assertError(fails(LENIENT, b("li1e\u00ffe")), "expected 'i', 'l', 'd' or a digit but found 0xff", 4);
    }

    @Test
    void unterminatedListIsRejected() {
        assertError(fails(STRICT, b("l")), "unexpected end of input", 1);
    }

    @Test
    void unterminatedDictAfterValueIsRejected() {
        assertError(fails(STRICT, b("d1:ai1e")), "unexpected end of input", 7);
    }

    @Test
    void manyUnsortedKeysDecodeQuicklyInLenientMode() {
        int n = 50_000;
        StringBuilder sb = new StringBuilder("d");
        for (int i = n - 1; i >= 0; i--) {
            String k = String.format("%08d", i);
            sb.append("8:").append(k).append("i").append(i).append("e");
        }
        byte[] input = b(sb.append('e').toString());
        BDict d = (BDict) LENIENT.decode(input);
        assertEquals(n, d.size());
        assertEquals(12345L, d.getLong("00012345"));
        assertEquals(0L, d.getLong("00000000"));
        assertEquals(n - 1L, d.getLong(String.format("%08d", n - 1)));
    }
}
