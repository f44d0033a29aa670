package org.stampede.tracker.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.stampede.tracker.AnnounceRequest;
import org.stampede.tracker.AnnounceRequest.Event;
import org.stampede.tracker.AnnounceResponse;
import org.stampede.tracker.ScrapeResponse;
import org.stampede.tracker.TrackerClient;
import org.stampede.tracker.server.EmbeddedTracker;

/** Our HTTP and UDP clients against our embedded tracker, over 127.0.0.1 and ::1. */
class EmbeddedTrackerClientTest {
    static final byte[] HASH = HttpTrackerClientTest.bytes(20, 0x33);
    static final byte[] PEER_1 = "-ST0010-peer00000001".getBytes(StandardCharsets.US_ASCII);
    static final byte[] PEER_2 = "-ST0010-peer00000002".getBytes(StandardCharsets.US_ASCII);
    static final HttpTrackerClientFactory HTTP = new HttpTrackerClientFactory(Duration.ofSeconds(5),
            Duration.ofSeconds(5), HttpReplies.MAX_BODY);
    static final UdpTrackerClientFactory UDP = new UdpTrackerClientFactory(Duration.ofMillis(500), 3,
            System::nanoTime);

    EmbeddedTracker tracker;

    @BeforeEach
    void start() throws Exception {
        tracker = EmbeddedTracker.start(EmbeddedTracker.Config.defaults());
    }

    @AfterEach
    void stop() {
        tracker.close();
    }

    @AfterAll
    static void stopFactories() {
        HTTP.deactivate();
        UDP.deactivate();
    }

    static TrackerClient client(EmbeddedTracker t, String transport) {
        return transport.equals("http") ? HTTP.create(t.httpAnnounceUrl()) : UDP.create(t.udpAnnounceUrl());
    }

    static AnnounceRequest request(byte[] peerId, int port, long left, Event event) {
        return AnnounceRequest.of(HASH, peerId, port, left).withEvent(event);
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = { "http", "udp" })
    void secondPeerIsHandedTheFirst(String transport) throws Exception {
        TrackerClient c = client(tracker, transport);
        AnnounceResponse first = c.announce(request(PEER_1, 41001, 1000, Event.STARTED));
        assertEquals(List.of(), first.peers());
        AnnounceResponse second = c.announce(request(PEER_2, 41002, 1000, Event.STARTED));
        assertEquals(List.of(new InetSocketAddress("127.0.0.1", 41001)), second.peers());
        assertEquals(2, second.incomplete());
        assertEquals(0, second.complete());
        assertEquals(Duration.ofMinutes(30), second.interval());
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = { "http", "udp" })
    void stoppedPeerIsNoLongerHandedOut(String transport) throws Exception {
        TrackerClient c = client(tracker, transport);
        c.announce(request(PEER_1, 41011, 1000, Event.STARTED));
        c.announce(request(PEER_1, 41011, 1000, Event.STOPPED));
        AnnounceResponse r = c.announce(request(PEER_2, 41012, 1000, Event.STARTED));
        assertEquals(List.of(), r.peers());
        assertEquals(1, r.incomplete());
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = { "http", "udp" })
    void scrapeCountsSeedersLeechersAndDownloads(String transport) throws Exception {
        TrackerClient c = client(tracker, transport);
        c.announce(request(PEER_1, 41021, 1000, Event.STARTED));
        c.announce(request(PEER_1, 41021, 0, Event.COMPLETED));
        c.announce(request(PEER_2, 41022, 1000, Event.STARTED));
        byte[] unknown = HttpTrackerClientTest.bytes(20, 0x77);
        ScrapeResponse s = c.scrape(List.of(HASH, unknown));
        assertEquals(new ScrapeResponse.Entry(HASH, 1, 1, 1), s.find(HASH));
        assertEquals(new ScrapeResponse.Entry(unknown, 0, 0, 0), s.find(unknown));
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = { "http", "udp" })
    void ipv6PeersAreHandedOutOverIpv6(String transport) throws Exception {
        try (EmbeddedTracker t6 = EmbeddedTracker.start(EmbeddedTracker.Config.defaults()
                .withBindAddress(InetAddress.getByName("::1")))) {
            TrackerClient c = client(t6, transport);
            c.announce(request(PEER_1, 41031, 1000, Event.STARTED));
            AnnounceResponse r = c.announce(request(PEER_2, 41032, 1000, Event.STARTED));
            assertEquals(List.of(new InetSocketAddress("::1", 41031)), r.peers());
        }
    }

    @Test
    void nonCompactReplyIsUnderstood() throws Exception {
        TrackerClient c = client(tracker, "http");
        c.announce(request(PEER_1, 41041, 1000, Event.STARTED));
        AnnounceResponse r = c.announce(request(PEER_2, 41042, 1000, Event.STARTED).withCompact(false));
        assertEquals(List.of(new InetSocketAddress("127.0.0.1", 41041)), r.peers());
    }

    @Test
    void trackerSeesTheAnnouncedInfoHash() throws Exception {
        client(tracker, "udp").announce(request(PEER_1, 41051, 0, Event.STARTED));
        EmbeddedTracker.SwarmStats stats = tracker.stats(HASH);
        assertNotNull(stats);
        assertEquals(new EmbeddedTracker.SwarmStats(1, 0, 0), stats);
    }
}
