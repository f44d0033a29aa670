package org.stampede.bencode;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.stampede.bencode.Bytes.b;

import java.io.ByteArrayOutputStream;
import java.io.IOException;

import org.junit.jupiter.api.Test;

class BencodeEncoderTest {

    @Test
    void encodesIntegers() {
        assertArrayEquals(b("i0e"), BencodeEncoder.encode(BInteger.of(0)));
        assertArrayEquals(b("i-17e"), BencodeEncoder.encode(BInteger.of(-17)));
        assertArrayEquals(b("i9223372036854775807e"), BencodeEncoder.encode(BInteger.of(Long.MAX_VALUE)));
        assertArrayEquals(b("i-9223372036854775808e"), BencodeEncoder.encode(BInteger.of(Long.MIN_VALUE)));
    }

    @Test
    void encodesStringLengthInBytesNotChars() {
        assertArrayEquals(new byte[] {'2', ':', (byte) 0xc3, (byte) 0xa9}, BencodeEncoder.encode(BString.of("é")));
    }

    @Test
    void encodesNestedContainers() {
        BValue v = BList.of(BDict.builder().put("k", BList.of()).build(), BString.of(""));
        assertArrayEquals(b("ld1:klee0:e"), BencodeEncoder.encode(v));
    }

    @Test
    void encodedLengthMatchesEncoding() {
        BValue v = BencodeDecoder.strict().decode(Bytes.sampleTorrent());
        assertEquals(Bytes.sampleTorrent().length, BencodeEncoder.encodedLength(v));
        assertEquals(4, BencodeEncoder.encodedLength(BInteger.of(-1)));
        assertEquals(13, BencodeEncoder.encodedLength(BString.of("0123456789")));
    }

    @Test
    void streamEncodingEqualsArrayEncoding() throws IOException {
        byte[] big = new byte[50_000];
        for (int i = 0; i < big.length; i++) {
            big[i] = (byte) i;
        }
        BList v = BList.of(BString.of("small"), BString.of(big), BInteger.of(5),
                BDict.builder().put("x", big).build());
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        BencodeEncoder.encode(v, out);
        assertArrayEquals(BencodeEncoder.encode(v), out.toByteArray());
    }

    @Test
    void lenientlyDecodedIntegersAreReencodedCanonically() {
        BValue v = BencodeDecoder.lenient().decode(b("li007ei-0e02:abe"));
        assertArrayEquals(b("li7ei0e2:abe"), BencodeEncoder.encode(v));
    }

    @Test
    void dictEntriesAreWrittenInTheDictsOrder() {
        BValue v = BencodeDecoder.lenient().decode(b("d1:bi2e1:ai1ee"));
        assertArrayEquals(b("d1:bi2e1:ai1ee"), BencodeEncoder.encode(v));
    }

    @Test
    void deeplyNestedBuiltValueEncodesWithoutStackOverflow() {
        int n = 100_000;
        BValue v = BInteger.of(1);
        for (int i = 0; i < n; i++) {
            v = (i & 1) == 0 ? BList.of(v) : BDict.builder().put("a", v).build();
        }
        byte[] enc = BencodeEncoder.encode(v);
        assertEquals(3 + 7 * n / 2, enc.length); // i1e, n/2 times l..e, n/2 times d1:a..e
        BencodeDecoder deep = BencodeDecoder.strict().withLimits(BencodeLimits.DEFAULT.withMaxDepth(n));
        assertEquals(enc.length, deep.decode(enc).end());
    }
}
