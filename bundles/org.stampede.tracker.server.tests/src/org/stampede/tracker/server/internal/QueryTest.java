package org.stampede.tracker.server.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class QueryTest {

    @Test
    void percentEscapesDecodeToBytes() throws Exception {
        Query q = Query.parse("info_hash=%00%ff%7Fa-~&x");
        assertArrayEquals(new byte[] { 0, (byte) 0xff, 0x7f, 'a', '-', '~' }, q.first("info_hash"));
        assertArrayEquals(new byte[0], q.first("x"));
        assertNull(q.first("y"));
    }

    @Test
    void repeatedNamesAreAllKept() throws Exception {
        assertEquals(3, Query.parse("info_hash=a&info_hash=b&other=1&info_hash=c").all("info_hash").size());
    }

    @ParameterizedTest
    @ValueSource(strings = { "a=%4", "a=%", "a=%G1", "a=%\u0661\u0661", "a=\u20ac" })
    void malformedEscapesAreRejected(String query) {
        assertThrows(Query.Malformed.class, () -> Query.parse(query));
    }

    @Test
    void overlongQueryIsRejected() {
        assertThrows(Query.Malformed.class, () -> Query.parse("a=" + "b".repeat(Query.MAX_LENGTH)));
    }

    @ParameterizedTest
    @ValueSource(strings = { "port=", "port=12a", "port=0", "port=65536", "port=-", "port=99999999999999999999",
            "port=+5", "port= 5" })
    void numbersOutsideTheirRangeOrMalformedAreRejected(String query) throws Exception {
        Query q = Query.parse(query);
        assertThrows(Query.Malformed.class, () -> q.number("port", -1, 1, 65535));
    }

    @Test
    void absentNumberGivesTheDefault() throws Exception {
        assertEquals(-1, Query.parse("a=1").number("port", -1, 1, 65535));
    }
}
