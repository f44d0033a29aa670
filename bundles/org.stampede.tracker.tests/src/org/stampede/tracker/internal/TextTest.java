package org.stampede.tracker.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.net.URI;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class TextTest {

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource({ "http://t.example:6969/announce, http://t.example:6969/announce",
            "https://t.example/announce?passkey=0123456789abcdef, https://t.example/announce?...",
            "https://user:pw@t.example/announce, https://t.example/announce",
            "https://t.example/0123456789abcdef0123/announce, https://t.example/<key>/announce",
            "udp://[::1]:6969/announce, udp://[::1]:6969/announce" })
    void trackerIsDescribedWithoutSecrets(String url, String shown) {
        assertEquals(shown, Text.tracker(URI.create(url)));
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = { "plain|plain", "a\\b|a\\\\b", "bell\u0007x|bell\\u0007x",
            "bidi\u202Eend|bidi\\u202Eend", "zero\u200Bwidth|zero\\u200Bwidth", "c1\u0085|c1\\u0085",
            "emoji \uD83D\uDE00|emoji \uD83D\uDE00", "lone \uD800 surrogate|lone \\uD800 surrogate" })
    void untrustedTextIsEscaped(String in, String out) {
        assertEquals(out, Text.escape(in, 100));
    }

    @org.junit.jupiter.api.Test
    void longTextIsShortenedWithoutSplittingASurrogatePair() {
        assertEquals("abc...", Text.escape("abc\uD83D\uDE00def", 4));
    }
}
