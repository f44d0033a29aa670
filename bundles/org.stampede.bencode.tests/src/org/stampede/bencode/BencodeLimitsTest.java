package org.stampede.bencode;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

class BencodeLimitsTest {

    @Test
    void defaultsMatchLibtorrentStyleLimits() {
        assertEquals(new BencodeLimits(100, 2_000_000, 64L * 1024 * 1024), BencodeLimits.DEFAULT);
    }

    @Test
    void negativeLimitsAreRejected() {
        assertThrows(IllegalArgumentException.class, () -> new BencodeLimits(-1, 1, 1));
        assertThrows(IllegalArgumentException.class, () -> new BencodeLimits(1, -1, 1));
        assertThrows(IllegalArgumentException.class, () -> new BencodeLimits(1, 1, -1));
    }

    @Test
    void withersChangeOnlyTheirComponent() {
        BencodeLimits l = new BencodeLimits(1, 2, 3);
        assertEquals(new BencodeLimits(9, 2, 3), l.withMaxDepth(9));
        assertEquals(new BencodeLimits(1, 9, 3), l.withMaxTokens(9));
        assertEquals(new BencodeLimits(1, 2, 9), l.withMaxSize(9));
    }

    @Test
    void zeroTokensRejectsEvenAScalar() {
        BencodeDecoder d = BencodeDecoder.strict().withLimits(new BencodeLimits(1, 0, 10));
        BencodeException e = assertThrows(BencodeException.class, () -> d.decode(Bytes.b("i1e")));
        assertEquals("more than 0 tokens", e.reason());
    }
}
