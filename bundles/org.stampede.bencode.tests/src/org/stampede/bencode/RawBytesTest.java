package org.stampede.bencode;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.stampede.bencode.Bytes.b;

import java.util.Arrays;

import org.junit.jupiter.api.Test;

/** {@link BValue#rawBytes()} must return the exact source bytes: info-hashes are computed over them. */
class RawBytesTest {

    @Test
    void infoDictRawBytesAreTheExactSourceSliceInStrictMode() {
        byte[] data = Bytes.sampleTorrent();
        BDict info = ((BDict) BencodeDecoder.strict().decode(data)).getDict("info");
        String text = Bytes.SAMPLE_TORRENT;
        int from = text.indexOf("4:info") + 6;
        byte[] expected = Arrays.copyOfRange(data, from, data.length - 1);
        assertArrayEquals(expected, info.rawBytes());
        assertEquals(from, info.start());
        assertEquals(data.length - 1, info.end());
    }

    @Test
    void infoDictRawBytesKeepNonCanonicalContentAcceptedByLenientMode() {
        String infoText = "d4:name3:abc6:lengthi007e12:piece lengthi16384ee"; // unsorted keys, leading zeros
        byte[] data = b("d8:announce3:url4:info" + infoText + "e");
        assertThrows(BencodeException.class, () -> BencodeDecoder.strict().decode(data));
        BDict info = ((BDict) BencodeDecoder.lenient().decode(data)).getDict("info");
        assertArrayEquals(b(infoText), info.rawBytes());
        // re-encoding normalizes the integer, so it would give a different (wrong) info-hash
        assertFalse(Arrays.equals(b(infoText), BencodeEncoder.encode(info)));
    }

    @Test
    void rawBytesOfValueDecodedFromRangeIgnoreBytesOutsideIt() {
        byte[] data = b("JUNKd1:ai-5eeJUNK");
        BDict d = (BDict) BencodeDecoder.strict().decode(data, 4, 9);
        assertArrayEquals(b("d1:ai-5ee"), d.rawBytes());
        assertArrayEquals(b("i-5e"), d.get("a").rawBytes());
        assertArrayEquals(b("1:a"), d.keys().get(0).rawBytes());
    }

    @Test
    void rawBytesOfDecodedListAndStringAreTheirSlices() {
        BList l = (BList) BencodeDecoder.lenient().decode(b("l03:abcli01eee"));
        assertArrayEquals(b("03:abc"), l.get(0).rawBytes());
        assertArrayEquals(b("li01ee"), l.get(1).rawBytes());
    }

    @Test
    void rawBytesReturnsAFreshCopy() {
        byte[] data = b("4:spam");
        BValue v = BencodeDecoder.strict().decode(data);
        byte[] raw = v.rawBytes();
        raw[2] = 'X';
        assertArrayEquals(b("4:spam"), v.rawBytes());
        assertEquals('s', data[2]);
    }

    @Test
    void rawBytesOfBuiltValuesAreTheirEncoding() {
        BDict d = BDict.builder().put("b", 1).put("a", "x").build();
        assertArrayEquals(b("d1:a1:x1:bi1ee"), d.rawBytes());
        assertArrayEquals(b("i-3e"), BInteger.of(-3).rawBytes());
        assertArrayEquals(b("2:hi"), BString.of("hi").rawBytes());
        assertArrayEquals(b("le"), BList.of().rawBytes());
    }

    @Test
    void builtValuesHaveNoPositions() {
        BValue[] built = {BInteger.of(1), BString.of("x"), BList.of(), BDict.builder().build()};
        for (BValue v : built) {
            assertEquals(-1, v.start());
            assertEquals(-1, v.end());
        }
    }
}
