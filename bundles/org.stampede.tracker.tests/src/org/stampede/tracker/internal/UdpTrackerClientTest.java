package org.stampede.tracker.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.stampede.tracker.AnnounceRequest;
import org.stampede.tracker.AnnounceResponse;
import org.stampede.tracker.ScrapeResponse;
import org.stampede.tracker.TrackerClient;
import org.stampede.tracker.TrackerException;

/**
 * The UDP tracker client (BEP 15) against a fake tracker replying canned datagrams. The retransmission schedule is
 * short (250 ms doubling, four retransmissions) but generous for a loaded machine: only the tests of lost and
 * unanswered requests wait for it, and the one of a silent tracker uses a tiny one.
 */
class UdpTrackerClientTest {
    static final byte[] HASH = HttpTrackerClientTest.bytes(20, 0xA0);
    static final byte[] PEER_ID = "-ST0010-abcdefghijkl".getBytes(StandardCharsets.US_ASCII);
    static final AnnounceRequest REQUEST = AnnounceRequest.of(HASH, PEER_ID, 6881, 1000);
    static final byte[] TWO_PEERS = ByteBuffer.allocate(12).put(HttpTrackerClientTest.compact4(10, 0, 0, 1, 6881))
            .put(HttpTrackerClientTest.compact4(10, 0, 0, 2, 6882)).array();
    static final List<InetSocketAddress> TWO_PEER_ADDRESSES = List.of(new InetSocketAddress("10.0.0.1", 6881),
            new InetSocketAddress("10.0.0.2", 6882));

    final AtomicLong clock = new AtomicLong();
    final UdpTrackerClientFactory factory = new UdpTrackerClientFactory(Duration.ofMillis(250), 4, clock::get);

    @AfterEach
    void closeFactory() {
        factory.deactivate();
    }

    TrackerClient client(FakeUdpTracker t) {
        return factory.create(t.url());
    }

    static FakeUdpTracker.Responder good() {
        return FakeUdpTracker.announcing(req -> List.of(FakeUdpTracker.announceReply(FakeUdpTracker.txn(req), 900, 3, 7,
                TWO_PEERS)));
    }

    static FakeUdpTracker.Responder announceReplies(java.util.function.Function<Integer, List<byte[]>> replies) {
        return FakeUdpTracker.announcing(req -> replies.apply(FakeUdpTracker.txn(req)));
    }

    @Test
    void announceConnectsThenAnnouncesAndReadsThePeers() throws Exception {
        try (FakeUdpTracker t = new FakeUdpTracker(good())) {
            AnnounceResponse r = client(t).announce(REQUEST);
            assertEquals(TWO_PEER_ADDRESSES, r.peers());
            assertEquals(7, r.complete());
            assertEquals(3, r.incomplete());
            assertEquals(Duration.ofSeconds(900), r.interval());
        }
    }

    @Test
    void requestsHaveTheBep15Layout() throws Exception {
        AnnounceRequest r = REQUEST.withEvent(AnnounceRequest.Event.STARTED).withTransfer(11, 22, 33).withNumWant(40)
                .withKey(0xCAFE).withAddresses(InetAddress.getByName("127.0.0.9"), null);
        try (FakeUdpTracker t = new FakeUdpTracker(good())) {
            client(t).announce(r);
            ByteBuffer connect = ByteBuffer.wrap(t.requests.get(0));
            assertEquals(16, connect.remaining());
            assertEquals(UdpTrackerClient.PROTOCOL_ID, connect.getLong(0));
            assertEquals(0, connect.getInt(8));
            ByteBuffer a = ByteBuffer.wrap(t.requests.get(1));
            assertEquals(98, a.remaining());
            assertEquals(FakeUdpTracker.CONNECTION_ID, a.getLong(0));
            assertEquals(1, a.getInt(8));
            assertArrayEquals(HASH, Arrays.copyOfRange(a.array(), 16, 36));
            assertArrayEquals(PEER_ID, Arrays.copyOfRange(a.array(), 36, 56));
            assertEquals(22, a.getLong(56)); // downloaded
            assertEquals(33, a.getLong(64)); // left
            assertEquals(11, a.getLong(72)); // uploaded
            assertEquals(2, a.getInt(80)); // started
            assertArrayEquals(new byte[] { 127, 0, 0, 9 }, Arrays.copyOfRange(a.array(), 84, 88));
            assertEquals(0xCAFE, a.getInt(88));
            assertEquals(40, a.getInt(92));
            assertEquals(6881, a.getShort(96) & 0xffff);
        }
    }

    @Test
    void ipv6TrackerRepliesCarry18BytePeers() throws Exception {
        byte[] peer = ByteBuffer.allocate(18).put(InetAddress.getByName("::1").getAddress()).putShort((short) 7000)
                .array();
        try (FakeUdpTracker t = new FakeUdpTracker(InetAddress.getByName("::1"),
                announceReplies(txn -> List.of(FakeUdpTracker.announceReply(txn, 900, 0, 1, peer))))) {
            assertTrue(t.url().toString().startsWith("udp://[0:0:0:0:0:0:0:1]:"), t.url().toString());
            assertEquals(List.of(new InetSocketAddress("::1", 7000)), client(t).announce(REQUEST).peers());
        }
    }

    @Test
    void connectionIdIsReusedWithinAMinute() throws Exception {
        try (FakeUdpTracker t = new FakeUdpTracker(good())) {
            TrackerClient c = client(t);
            c.announce(REQUEST);
            clock.addAndGet(Duration.ofSeconds(59).toNanos());
            c.announce(REQUEST);
            assertEquals(1, t.count(UdpTrackerClient.CONNECT));
            assertEquals(2, t.count(UdpTrackerClient.ANNOUNCE));
        }
    }

    @Test
    void connectionIdIsRenewedAfterAMinute() throws Exception {
        try (FakeUdpTracker t = new FakeUdpTracker(good())) {
            TrackerClient c = client(t);
            c.announce(REQUEST);
            clock.addAndGet(Duration.ofSeconds(61).toNanos());
            c.announce(REQUEST);
            assertEquals(2, t.count(UdpTrackerClient.CONNECT));
        }
    }

    @Test
    void datagramsWithAnotherTransactionIdAreIgnored() throws Exception {
        try (FakeUdpTracker t = new FakeUdpTracker(announceReplies(txn -> List.of(
                FakeUdpTracker.errorReply(txn + 1, "not yours"),
                FakeUdpTracker.announceReply(txn ^ 0x5555, 60, 0, 0, new byte[5]),
                FakeUdpTracker.announceReply(txn, 900, 3, 7, TWO_PEERS))))) {
            assertEquals(TWO_PEER_ADDRESSES, client(t).announce(REQUEST).peers());
        }
    }

    @Test
    void datagramsWithAnUnknownActionAreIgnored() throws Exception {
        try (FakeUdpTracker t = new FakeUdpTracker(announceReplies(txn -> List.of(
                ByteBuffer.allocate(12).putInt(7).putInt(txn).putInt(0).array(),
                ByteBuffer.allocate(16).putInt(UdpTrackerClient.CONNECT).putInt(txn).putLong(1).array(),
                FakeUdpTracker.announceReply(txn, 900, 3, 7, TWO_PEERS))))) {
            assertEquals(TWO_PEER_ADDRESSES, client(t).announce(REQUEST).peers());
        }
    }

    @Test
    void datagramsTooShortForATransactionIdAreIgnored() throws Exception {
        try (FakeUdpTracker t = new FakeUdpTracker(announceReplies(txn -> List.of(new byte[] { 0, 0, 0 }, new byte[0],
                FakeUdpTracker.announceReply(txn, 900, 3, 7, TWO_PEERS))))) {
            assertEquals(TWO_PEER_ADDRESSES, client(t).announce(REQUEST).peers());
        }
    }

    @Test
    void oversizedDatagramsAreIgnored() throws Exception {
        try (FakeUdpTracker t = new FakeUdpTracker(announceReplies(txn -> List.of(
                FakeUdpTracker.announceReply(txn, 900, 3, 7, new byte[6 * 1400]),
                FakeUdpTracker.announceReply(txn, 900, 3, 7, TWO_PEERS))))) {
            assertTrue(20 + 6 * 1400 > UdpTrackerClient.MAX_PACKET, "the first reply is oversized");
            assertEquals(TWO_PEER_ADDRESSES, client(t).announce(REQUEST).peers());
        }
    }

    @Test
    void errorActionBecomesAnExceptionWithTheTrackersText() throws Exception {
        try (FakeUdpTracker t = new FakeUdpTracker(announceReplies(txn -> List.of(
                FakeUdpTracker.errorReply(txn, "unregistered torrent"))))) {
            TrackerException e = assertThrows(TrackerException.class, () -> client(t).announce(REQUEST));
            assertEquals("tracker " + t.url() + ": error 'unregistered torrent'", e.getMessage());
        }
    }

    @Test
    void errorTextIsEscapedAndShortened() throws Exception {
        try (FakeUdpTracker t = new FakeUdpTracker(announceReplies(txn -> List.of(
                FakeUdpTracker.errorReply(txn, "\u001b]0;owned\u0007'" + "y".repeat(2000)))))) {
            String m = assertThrows(TrackerException.class, () -> client(t).announce(REQUEST)).getMessage();
            assertTrue(m.contains("error '\\u001B]0;owned\\u0007\\'yyy"), m);
            assertTrue(m.endsWith("...'") && m.length() < 320, m);
        }
    }

    @Test
    void truncatedAnnounceReplyIsRejected() throws Exception {
        try (FakeUdpTracker t = new FakeUdpTracker(announceReplies(txn -> List.of(
                Arrays.copyOf(FakeUdpTracker.announceReply(txn, 900, 3, 7, new byte[0]), 19))))) {
            String m = assertThrows(TrackerException.class, () -> client(t).announce(REQUEST)).getMessage();
            assertTrue(m.endsWith(": bad announce reply: announce reply of 19 bytes is shorter than 20"), m);
        }
    }

    @Test
    void peersOfABadLengthAreRejected() throws Exception {
        try (FakeUdpTracker t = new FakeUdpTracker(announceReplies(txn -> List.of(
                FakeUdpTracker.announceReply(txn, 900, 3, 7, new byte[7]))))) {
            String m = assertThrows(TrackerException.class, () -> client(t).announce(REQUEST)).getMessage();
            assertTrue(m.endsWith("'peers' is 7 bytes, not a multiple of 6"), m);
        }
    }

    @Test
    void truncatedConnectReplyIsRejected() throws Exception {
        try (FakeUdpTracker t = new FakeUdpTracker((req, n) -> List.of(
                ByteBuffer.allocate(12).putInt(UdpTrackerClient.CONNECT).putInt(FakeUdpTracker.txn(req)).array()))) {
            String m = assertThrows(TrackerException.class, () -> client(t).announce(REQUEST)).getMessage();
            assertTrue(m.endsWith("bad connect reply: 12 bytes, shorter than 16"), m);
        }
    }

    @Test
    void hostileIntervalsAreClamped() throws Exception {
        try (FakeUdpTracker t = new FakeUdpTracker(announceReplies(txn -> List.of(
                FakeUdpTracker.announceReply(txn, -1, -5, Integer.MIN_VALUE, new byte[0]))))) {
            AnnounceResponse r = client(t).announce(REQUEST);
            assertEquals(AnnounceResponse.DEFAULT_INTERVAL, r.interval());
            assertEquals(null, r.complete());
            assertEquals(null, r.incomplete());
        }
        try (FakeUdpTracker t = new FakeUdpTracker(announceReplies(txn -> List.of(
                FakeUdpTracker.announceReply(txn, 1, 0, 0, new byte[0]))))) {
            assertEquals(AnnounceResponse.MIN_INTERVAL, client(t).announce(REQUEST).interval());
        }
    }

    @Test
    void lostRequestIsRetransmitted() throws Exception {
        try (FakeUdpTracker t = new FakeUdpTracker((req, n) -> {
            if (FakeUdpTracker.action(req) == UdpTrackerClient.CONNECT) {
                return List.of(FakeUdpTracker.connectReply(FakeUdpTracker.txn(req)));
            }
            return n == 1 ? List.of() // the first announce is "lost"
                    : List.of(FakeUdpTracker.announceReply(FakeUdpTracker.txn(req), 900, 3, 7, TWO_PEERS));
        })) {
            assertEquals(TWO_PEER_ADDRESSES, client(t).announce(REQUEST).peers());
            assertEquals(1, t.count(UdpTrackerClient.CONNECT));
            assertEquals(2, t.count(UdpTrackerClient.ANNOUNCE));
        }
    }

    @Test
    void silentTrackerIsGivenUpAfterTheRetransmissionSchedule() throws Exception {
        UdpTrackerClientFactory tiny = new UdpTrackerClientFactory(Duration.ofMillis(20), 2, clock::get);
        try (FakeUdpTracker t = new FakeUdpTracker((req, n) -> List.of())) {
            String m = assertThrows(TrackerException.class, () -> tiny.create(t.url()).announce(REQUEST)).getMessage();
            assertTrue(m.endsWith(": no reply after 3 attempts over 140 ms"), m);
            assertEquals(3, t.count(UdpTrackerClient.CONNECT));
        } finally {
            tiny.deactivate();
        }
    }

    /**
     * The shared socket is not connected, so the ICMP port unreachable a closed port sends back is not seen: the
     * tracker is silent until the schedule runs out, and the socket goes on serving the other trackers.
     */
    @Test
    void closedPortIsSilentAndLeavesTheSharedSocketWorking() throws Exception {
        int port;
        try (DatagramSocket s = new DatagramSocket(0, InetAddress.getLoopbackAddress())) {
            port = s.getLocalPort();
        }
        UdpTrackerClientFactory tiny = new UdpTrackerClientFactory(Duration.ofMillis(20), 2, clock::get);
        try (FakeUdpTracker t = new FakeUdpTracker(good())) {
            TrackerClient closed = tiny.create(URI.create("udp://127.0.0.1:" + port + "/announce"));
            String m = assertThrows(TrackerException.class, () -> closed.announce(REQUEST)).getMessage();
            assertTrue(m.endsWith(": no reply after 3 attempts over 140 ms"), m);
            Thread receiver = tiny.sockets().receiver();
            assertEquals(TWO_PEER_ADDRESSES, tiny.create(t.url()).announce(REQUEST).peers());
            assertEquals(receiver, tiny.sockets().receiver(), "the same sockets, not reopened after a failure");
        } finally {
            tiny.deactivate();
        }
    }

    @Test
    void scrapeReadsCountsInTheOrderAsked() throws Exception {
        byte[] other = HttpTrackerClientTest.bytes(20, 1);
        try (FakeUdpTracker t = new FakeUdpTracker(FakeUdpTracker.announcing(req -> List.of(ByteBuffer.allocate(32)
                .putInt(UdpTrackerClient.SCRAPE).putInt(FakeUdpTracker.txn(req)).putInt(5).putInt(9).putInt(2)
                .putInt(1).putInt(0).putInt(4).array())))) {
            ScrapeResponse s = client(t).scrape(List.of(HASH, other));
            assertEquals(List.of(new ScrapeResponse.Entry(HASH, 5, 2, 9), new ScrapeResponse.Entry(other, 1, 4, 0)),
                    s.entries());
            ByteBuffer req = ByteBuffer.wrap(t.requests.get(1));
            assertEquals(16 + 40, req.remaining());
            assertEquals(UdpTrackerClient.SCRAPE, req.getInt(8));
            assertArrayEquals(other, Arrays.copyOfRange(req.array(), 36, 56));
        }
    }

    @Test
    void scrapeReplyOfABadLengthIsRejected() throws Exception {
        try (FakeUdpTracker t = new FakeUdpTracker(FakeUdpTracker.announcing(req -> List.of(ByteBuffer.allocate(14)
                .putInt(UdpTrackerClient.SCRAPE).putInt(FakeUdpTracker.txn(req)).array())))) {
            String m = assertThrows(TrackerException.class, () -> client(t).scrape(List.of(HASH))).getMessage();
            assertTrue(m.contains("bad scrape reply: scrape reply of 14 bytes"), m);
        }
    }

    @Test
    void factoryRejectsUrlWithoutPort() {
        assertThrows(IllegalArgumentException.class, () -> factory.create(URI.create("udp://127.0.0.1/announce")));
        assertFalse(factory.schemes().contains("http"));
    }
}
