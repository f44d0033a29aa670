package org.stampede.tracker.server.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.charset.StandardCharsets;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class RequestHeadTest {

    static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.ISO_8859_1);
    }

    @ParameterizedTest
    @ValueSource(strings = { "GET / HTTP/1.1\r\nHost: x\r\n\r\n", "GET / HTTP/1.0\n\n", "GET / HTTP/1.1\r\n\r\n",
            "GET / HTTP/1.1\nA: b\n\n" })
    void theEndIsFoundWhetherTheHeadComesAtOnceOrByteByByte(String head) {
        byte[] b = bytes(head + "after");
        assertEquals(head.length(), RequestHead.end(b, 0, b.length));
        int found = -1;
        for (int to = 1; to <= b.length && found < 0; to++) {
            found = RequestHead.end(b, to - 1, to);
        }
        assertEquals(head.length(), found);
    }

    @ParameterizedTest
    @ValueSource(strings = { "GET / HTTP/1.1\r\n", "GET / HTTP/1.1\r\nHost: x\r\n", "GET / HTTP/1.1\r\n\r",
            "\r\n\r", "" })
    void anIncompleteHeadHasNoEnd(String head) {
        byte[] b = bytes(head);
        assertEquals(-1, RequestHead.end(b, 0, b.length));
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = { "GET /announce?a=1&b=%20 HTTP/1.1|GET|/announce|a=1&b=%20",
            "GET /scrape HTTP/1.0|GET|/scrape|", "POST /announce? HTTP/1.1|POST|/announce|''",
            "GET http://t.example:6969/announce?x=1 HTTP/1.1|GET|/announce|x=1",
            "GET http://t.example?x=1 HTTP/1.1|GET|/|x=1", "GET https://t.example HTTP/1.1|GET|/|",
            "GET * HTTP/1.1|GET|*|" })
    void theRequestLineGivesMethodPathAndQuery(String line, String method, String path, String query)
            throws Exception {
        byte[] b = bytes(line + "\r\nHost: x\r\n\r\n");
        assertEquals(new RequestHead(method, path, query), RequestHead.parse(b, b.length));
    }

    @ParameterizedTest
    @ValueSource(strings = { "", "GET", "GET /", "GET / HTTP/1.1x", "GET / HTTP/11", "GET / http/1.1", " / HTTP/1.1",
            "G3T / HTTP/1.1", "GET  HTTP/1.1" })
    void aRequestLineThatIsNotHttpIsRefused(String line) {
        byte[] b = bytes(line + "\r\n\r\n");
        assertThrows(RequestHead.Malformed.class, () -> RequestHead.parse(b, b.length));
    }
}
