package org.stampede.bencode;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.stampede.bencode.Bytes.b;

import java.util.List;

import org.junit.jupiter.api.Test;

/** Each canonical-form rule, checked in strict mode (rejected) and lenient mode (accepted or rejected). */
class StrictRulesTest {
    private static final BencodeDecoder STRICT = BencodeDecoder.strict();
    private static final BencodeDecoder LENIENT = BencodeDecoder.lenient();

    private static BencodeException fails(BencodeDecoder d, String input) {
        return assertThrows(BencodeException.class, () -> d.decode(b(input)));
    }

    private static void assertError(BencodeException e, String reason, long offset) {
        assertEquals(reason, e.reason());
        assertEquals(offset, e.offset());
    }

    @Test
    void strictRejectsLeadingZeroInInteger() {
        assertError(fails(STRICT, "i03e"), "leading zero in integer", 1);
    }

    @Test
    void lenientAcceptsLeadingZerosInInteger() {
        assertEquals(3, ((BInteger) LENIENT.decode(b("i003e"))).value());
    }

    @Test
    void strictRejectsLeadingZeroInNegativeInteger() {
        assertError(fails(STRICT, "i-03e"), "leading zero in integer", 2);
    }

    @Test
    void lenientAcceptsLeadingZeroInNegativeInteger() {
        assertEquals(-7, ((BInteger) LENIENT.decode(b("i-007e"))).value());
    }

    @Test
    void strictRejectsNegativeZero() {
        assertError(fails(STRICT, "i-0e"), "negative zero", 1);
    }

    @Test
    void lenientReadsNegativeZeroAsZero() {
        assertEquals(0, ((BInteger) LENIENT.decode(b("i-0e"))).value());
    }

    @Test
    void strictRejectsEmptyInteger() {
        assertError(fails(STRICT, "ie"), "empty integer", 1);
    }

    @Test
    void lenientRejectsEmptyInteger() {
        assertError(fails(LENIENT, "ie"), "empty integer", 1);
    }

    @Test
    void strictRejectsMinusWithoutDigits() {
        assertError(fails(STRICT, "i-e"), "no digits after '-' in integer", 2);
    }

    @Test
    void lenientRejectsMinusWithoutDigits() {
        assertError(fails(LENIENT, "i-e"), "no digits after '-' in integer", 2);
    }

    @Test
    void strictRejectsPlusSign() {
        assertError(fails(STRICT, "i+1e"), "expected a digit in integer but found 0x2b", 1);
    }

    @Test
    void lenientRejectsPlusSign() {
        assertError(fails(LENIENT, "i+1e"), "expected a digit in integer but found 0x2b", 1);
    }

    @Test
    void strictRejectsIntegerAboveLongMax() {
        assertError(fails(STRICT, "i9223372036854775808e"), "integer out of range", 19);
    }

    @Test
    void lenientRejectsIntegerAboveLongMax() {
        assertError(fails(LENIENT, "i9223372036854775808e"), "integer out of range", 19);
    }

    @Test
    void strictRejectsIntegerBelowLongMin() {
        assertError(fails(STRICT, "i-9223372036854775809e"), "integer out of range", 20);
    }

    @Test
    void lenientRejectsIntegerBelowLongMin() {
        assertError(fails(LENIENT, "i-9223372036854775809e"), "integer out of range", 20);
    }

    @Test
    void lenientAcceptsLongMaxAfterManyLeadingZeros() {
        assertEquals(Long.MAX_VALUE, ((BInteger) LENIENT.decode(b("i00000000000000000000009223372036854775807e"))).value());
    }

    @Test
    void strictRejectsLeadingZeroInStringLength() {
        assertError(fails(STRICT, "04:spam"), "leading zero in string length", 0);
    }

    @Test
    void lenientAcceptsLeadingZeroInStringLength() {
        assertEquals("spam", ((BString) LENIENT.decode(b("004:spam"))).asString());
    }

    @Test
    void strictAcceptsZeroLengthString() {
        assertEquals(0, ((BString) STRICT.decode(b("0:"))).length());
    }

    @Test
    void strictRejectsMultipleZerosAsStringLength() {
        assertError(fails(STRICT, "00:"), "leading zero in string length", 0);
    }

    @Test
    void strictRejectsUnsortedKeys() {
        assertError(fails(STRICT, "d1:b1:x1:a1:ye"), "dict keys not sorted: 'a' after 'b'", 7);
    }

    @Test
    void lenientAcceptsUnsortedKeysAndKeepsSourceOrder() {
        BDict d = (BDict) LENIENT.decode(b("d1:b1:x1:a1:ye"));
        assertEquals(List.of(BString.of("b"), BString.of("a")), d.keys());
        assertEquals("x", d.getText("b"));
        assertEquals("y", d.getText("a"));
    }

    @Test
    void strictSortsKeysByUnsignedBytes() {
        // 0x7f < 0x80 only when bytes are compared unsigned
        BDict d = (BDict) STRICT.decode(b("d1:\u007fi1e1:\u0080i2ee"));
        assertEquals(2, d.size());
        assertError(fails(STRICT, "d1:\u0080i2e1:\u007fi1ee"), "dict keys not sorted: '\\x7f' after '\\x80'", 7);
    }

    @Test
    void strictOrdersPrefixBeforeLongerKey() {
        assertEquals(2, ((BDict) STRICT.decode(b("d1:ai1e2:aai2ee"))).size());
        assertError(fails(STRICT, "d2:aai2e1:ai1ee"), "dict keys not sorted: 'a' after 'aa'", 8);
    }

    @Test
    void strictRejectsDuplicateKeys() {
        assertError(fails(STRICT, "d1:a1:x1:a1:ye"), "duplicate dict key 'a'", 7);
    }

    @Test
    void lenientRejectsDuplicateKeys() {
        assertError(fails(LENIENT, "d1:a1:x1:a1:ye"), "duplicate dict key 'a'", 7);
    }

    @Test
    void lenientRejectsNonAdjacentDuplicateKeysInUnsortedDict() {
        assertError(fails(LENIENT, "d1:b1:x1:a1:y1:b1:ze"), "duplicate dict key 'b'", 13);
    }

    @Test
    void lenientReportsEarliestRepeatedKeyOfSeveralDuplicates() {
        // 'c' repeats at 13 and 'b' at 19; the earliest repetition is reported
        assertError(fails(LENIENT, "d1:c1:x1:b1:x1:c1:x1:b1:xe"), "duplicate dict key 'c'", 13);
    }

    @Test
    void strictRejectsIntegerDictKey() {
        assertError(fails(STRICT, "di1ei2ee"), "dict key must be a string but found 0x69", 1);
    }

    @Test
    void lenientRejectsIntegerDictKey() {
        assertError(fails(LENIENT, "di1ei2ee"), "dict key must be a string but found 0x69", 1);
    }

    @Test
    void strictRejectsListDictKey() {
        assertError(fails(STRICT, "d1:ai1elei2ee"), "dict key must be a string but found 0x6c", 7);
    }

    @Test
    void lenientRejectsDictDictKey() {
        assertError(fails(LENIENT, "ddei2ee"), "dict key must be a string but found 0x64", 1);
    }

    @Test
    void bothModesRejectKeyWithoutValue() {
        assertError(fails(STRICT, "d1:ae"), "missing value for dict key 'a'", 4);
        assertError(fails(LENIENT, "d1:ai1e1:be"), "missing value for dict key 'b'", 10);
    }
}
