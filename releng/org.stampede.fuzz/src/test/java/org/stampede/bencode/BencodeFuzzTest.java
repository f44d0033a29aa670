package org.stampede.bencode;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.stampede.fuzz.Allocation;

import com.code_intelligence.jazzer.junit.FuzzTest;

/**
 * Bencode decoding, strict and lenient, whole and as a prefix, with the default limits and with tight ones. Every
 * input either decodes or raises {@link BencodeException}; what decodes strictly encodes back to the same bytes,
 * what decodes leniently encodes to bytes no longer than the input that decode to an equal value.
 */
class BencodeFuzzTest {
    private static final BencodeDecoder TIGHT = BencodeDecoder.lenient().withLimits(new BencodeLimits(3, 40, 200));

    @FuzzTest
    void decode(byte[] data) {
        Allocation.bounded(data.length, 128, () -> check(data));
    }

    private static void check(byte[] data) {
        BValue strict = null;
        try {
            strict = BencodeDecoder.strict().decode(data);
            assertArrayEquals(data, BencodeEncoder.encode(strict), "strict bencode encodes back to itself");
            assertArrayEquals(data, strict.rawBytes());
        } catch (BencodeException e) {
            offsetWithin(e, data);
        }
        BValue lenient = null;
        try {
            lenient = BencodeDecoder.lenient().decode(data);
            byte[] again = BencodeEncoder.encode(lenient);
            assertTrue(again.length <= data.length, "lenient bencode re-encodes no longer");
            assertEquals(lenient, BencodeDecoder.lenient().decode(again));
            assertEquals(lenient.hashCode(), BencodeDecoder.lenient().decode(again).hashCode());
            read(lenient);
        } catch (BencodeException e) {
            offsetWithin(e, data);
        }
        if (strict != null) {
            assertEquals(strict, lenient, "what is strict is lenient too");
        }
        try {
            BValue prefix = BencodeDecoder.lenient().decodePrefix(data, 0, data.length);
            assertTrue(prefix.end() <= data.length);
            if (lenient != null) {
                assertEquals(lenient, prefix);
            }
        } catch (BencodeException e) {
            offsetWithin(e, data);
        }
        try {
            TIGHT.decode(data);
        } catch (BencodeException e) {
            offsetWithin(e, data);
        }
    }

    /** Walks a value with the typed getters, which raise BencodeException for a value of another type. */
    private static void read(BValue root) {
        if (root instanceof BDict d) {
            for (BString key : d.keys()) {
                String k = key.asString();
                for (int kind = 0; kind < 4; kind++) {
                    try {
                        switch (kind) {
                            case 0 -> d.getDict(k);
                            case 1 -> d.getList(k);
                            case 2 -> d.getText(k);
                            default -> d.getLong(k);
                        }
                    } catch (BencodeException expected) {
                        // the value has another type
                    }
                }
            }
        } else if (root instanceof BString s) {
            if (s.isValidUtf8()) {
                assertEquals(s.asString(), s.asStrictUtf8());
            }
        }
    }

    private static void offsetWithin(BencodeException e, byte[] data) {
        assertTrue(e.offset() >= -1 && e.offset() <= data.length, () -> "offset " + e.offset() + " of " + e);
    }
}
