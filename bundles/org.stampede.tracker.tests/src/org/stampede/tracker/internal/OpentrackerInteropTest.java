package org.stampede.tracker.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.stampede.testing.interop.Interop;
import org.stampede.testing.interop.Opentracker;
import org.stampede.tracker.AnnounceRequest;
import org.stampede.tracker.AnnounceResponse;
import org.stampede.tracker.ScrapeResponse;
import org.stampede.tracker.TrackerClient;
import org.stampede.tracker.TrackerException;

/** Our HTTP and UDP clients against a real opentracker on 127.0.0.1. */
class OpentrackerInteropTest {
    static final byte[] PEER_1 = "-ST0010-peer00000001".getBytes(java.nio.charset.StandardCharsets.US_ASCII);
    static final byte[] PEER_2 = "-ST0010-peer00000002".getBytes(java.nio.charset.StandardCharsets.US_ASCII);
    /** One whitelisted info-hash per test and transport, so the tests do not see each other's peers. */
    static final byte[][] HASHES = new byte[5][];

    @TempDir
    static Path dir;
    static Opentracker opentracker;
    static HttpTrackerClientFactory http;
    static UdpTrackerClientFactory udp;

    @BeforeAll
    static void start() throws Exception {
        Interop.requireOpentracker();
        for (int i = 0; i < HASHES.length; i++) {
            HASHES[i] = HttpTrackerClientTest.bytes(20, 0x10 * i + 1);
        }
        opentracker = Opentracker.start(dir, List.of(HASHES));
        http = new HttpTrackerClientFactory(Duration.ofSeconds(5), Duration.ofSeconds(10), HttpReplies.MAX_BODY);
        udp = new UdpTrackerClientFactory(Duration.ofMillis(500), 3, System::nanoTime);
    }

    @AfterAll
    static void stop() {
        if (opentracker != null) {
            opentracker.close();
        }
        if (http != null) {
            http.deactivate();
        }
        if (udp != null) {
            udp.deactivate();
        }
    }

    static TrackerClient client(String transport) {
        return transport.equals("http") ? http.create(opentracker.httpAnnounceUrl())
                : udp.create(opentracker.udpAnnounceUrl());
    }

    static byte[] hash(String transport, int test) {
        return HASHES[(transport.equals("http") ? 0 : 2) + test];
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = { "http", "udp" })
    void secondPeerIsHandedTheFirst(String transport) throws Exception {
        TrackerClient c = client(transport);
        byte[] h = hash(transport, 0);
        c.announce(AnnounceRequest.of(h, PEER_1, 40001, 1000).withEvent(AnnounceRequest.Event.STARTED));
        AnnounceResponse r = c.announce(AnnounceRequest.of(h, PEER_2, 40002, 1000)
                .withEvent(AnnounceRequest.Event.STARTED));
        assertTrue(r.peers().contains(new InetSocketAddress("127.0.0.1", 40001)), r.peers() + " " + opentracker.log());
        assertEquals(2, r.incomplete());
        assertTrue(r.interval().compareTo(AnnounceResponse.MIN_INTERVAL) >= 0);
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = { "http", "udp" })
    void scrapeCountsSeedersAndLeechers(String transport) throws Exception {
        TrackerClient c = client(transport);
        byte[] h = hash(transport, 1);
        c.announce(AnnounceRequest.of(h, PEER_1, 40011, 0).withEvent(AnnounceRequest.Event.STARTED));
        c.announce(AnnounceRequest.of(h, PEER_2, 40012, 500).withEvent(AnnounceRequest.Event.STARTED));
        ScrapeResponse s = c.scrape(List.of(h));
        ScrapeResponse.Entry e = s.find(h);
        assertNotNull(e, s.toString());
        assertEquals(1, e.complete());
        assertEquals(1, e.incomplete());
    }

    @Test
    void torrentNotWhitelistedIsRefusedWithTheTrackersReasonOverHttp() {
        byte[] notListed = HttpTrackerClientTest.bytes(20, 0xE0);
        TrackerException e = assertThrows(TrackerException.class,
                () -> client("http").announce(AnnounceRequest.of(notListed, PEER_1, 40021, 1000)));
        assertEquals("tracker " + opentracker.httpAnnounceUrl() + ": failure reason 'Requested download is not"
                + " authorized for use with this tracker.'", e.getMessage());
    }

    /** opentracker answers a torrent it does not serve with a bare 8-byte announce header, not an error. */
    @Test
    void torrentNotWhitelistedIsAClearErrorOverUdp() {
        byte[] notListed = HttpTrackerClientTest.bytes(20, 0xE0);
        TrackerException e = assertThrows(TrackerException.class,
                () -> client("udp").announce(AnnounceRequest.of(notListed, PEER_1, 40021, 1000)));
        assertEquals("tracker " + opentracker.udpAnnounceUrl() + ": bad announce reply: announce reply of 8 bytes"
                + " is shorter than 20", e.getMessage());
    }
}
