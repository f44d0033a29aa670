package org.stampede.tracker.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class PeersTest {

    @Test
    void numericAddressesAreParsed() throws Exception {
        assertEquals(InetAddress.getByName("10.20.30.40"), Peers.literal("10.20.30.40"));
        assertEquals(InetAddress.getByName("2001:db8::7"), Peers.literal("2001:db8::7"));
        assertEquals(InetAddress.getByName("::ffff:1.2.3.4"), Peers.literal("::ffff:1.2.3.4"));
    }

    @ParameterizedTest
    @ValueSource(strings = { "", "localhost", "deadbeef.example", "1.2.3", "1.2.3.4.5", "256.1.1.1", "1..2.3",
            "1.2.3.4 ", "fe80::1%eth0", "[::1]", "::g", "1.2.3.-4" })
    void anythingElseIsNotAnAddressAndIsNeverResolved(String text) {
        assertNull(Peers.literal(text));
    }

    @Test
    void compactEntriesWithPortZeroAreSkipped() throws Exception {
        List<InetSocketAddress> out = new ArrayList<>();
        Peers.compact(ByteBuffer.wrap(new byte[] { 1, 2, 3, 4, 0, 0, 5, 6, 7, 8, 0, 80 }), Peers.IPV4_ENTRY, "peers",
                out);
        assertEquals(List.of(new InetSocketAddress("5.6.7.8", 80)), out);
    }

    @Test
    void compactListsStopAtTheMaximum() throws Exception {
        byte[] many = new byte[6 * (Peers.MAX_PEERS + 10)];
        for (int i = 0; i < many.length; i += 6) {
            many[i] = 10;
            many[i + 5] = 1;
        }
        List<InetSocketAddress> out = new ArrayList<>();
        Peers.compact(ByteBuffer.wrap(many), Peers.IPV4_ENTRY, "peers", out);
        assertEquals(Peers.MAX_PEERS, out.size());
    }
}
