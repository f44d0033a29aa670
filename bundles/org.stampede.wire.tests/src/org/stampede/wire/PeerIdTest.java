package org.stampede.wire;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Random;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

class PeerIdTest {

    /** {@code prefix} padded to 20 bytes with 'x'. */
    static PeerId id(String prefix) {
        byte[] b = new byte[20];
        Arrays.fill(b, (byte) 'x');
        byte[] p = prefix.getBytes(StandardCharsets.ISO_8859_1);
        System.arraycopy(p, 0, b, 0, p.length);
        return PeerId.of(b);
    }

    @Test
    void ourIdIsTheStampedePrefixAndTwelveRandomBytes() {
        PeerId a = PeerId.random(new Random(1));
        PeerId b = PeerId.random(new Random(2));
        assertEquals("-SQ0100-", new String(a.bytes(), 0, 8, StandardCharsets.US_ASCII));
        assertEquals(20, a.bytes().length);
        assertTrue(a.isStampede());
        assertNotEquals(a, b, "the 12 random bytes differ");
        assertEquals("Stampede 0.1.0", a.clientName());
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource(delimiter = '|', value = {
            "-LT2080-|libtorrent 2.0.8",
            "-LT1217-|libtorrent 1.2.1.7",
            "-lt0D60-|rTorrent/libTorrent 0.13.6",
            "-TR2940-|Transmission 2.94",
            "-TR294Z-|Transmission 2.94+",
            "-TR4050-|Transmission 4.0.5",
            "-TR0072-|Transmission 0.72",
            "-qB4250-|qBittorrent 4.2.5",
            "-UT355S-|\u00b5Torrent 3.5.5",
            "-DE13F0-|Deluge 1.3.15",
            "-DE211s-|Deluge 2.1.1",
            "-AZ5750-|Vuze 5.7.5",
            "-BI3821-|BiglyBT 3.8.2.1",
            "-XY1230-|XY 1.2.3",
            "A2-1-36-0-|aria2 1.36.0",
            "M7-2-0--|BitTorrent 7.2.0",
            "M4-20-8-|BitTorrent 4.20.8" })
    void namesOtherClients(String prefix, String name) {
        assertEquals(name, id(prefix).clientName());
    }

    @Test
    void unknownIdIsShownEscaped() {
        byte[] b = new byte[20];
        b[0] = 'G';
        b[1] = 0x1b;
        b[2] = '\n';
        assertEquals("unknown (G\\x1b\\x0a\\x00\\x00\\x00\\x00\\x00)", PeerId.of(b).clientName());
    }

    @Test
    void toStringEscapesNonPrintableBytes() {
        byte[] b = "-SQ0100-abcdefghijkl".getBytes(StandardCharsets.US_ASCII);
        b[19] = (byte) 0xff;
        assertEquals("-SQ0100-abcdefghijk\\xff", PeerId.of(b).toString());
    }

    @Test
    void otherClientsAreNotStampede() {
        assertFalse(id("-LT2080-").isStampede());
    }

    @Test
    void wrongLengthIsRefused() {
        assertThrows(IllegalArgumentException.class, () -> PeerId.of(new byte[19]));
        assertThrows(IllegalArgumentException.class, () -> PeerId.of(new byte[21]));
    }

    @Test
    void bytesAreCopiedInAndOut() {
        byte[] raw = id("-LT2080-").bytes();
        PeerId p = PeerId.of(raw);
        raw[0] = 'Z';
        byte[] out = p.bytes();
        out[1] = 'Z';
        assertArrayEquals(id("-LT2080-").bytes(), p.bytes());
    }
}
