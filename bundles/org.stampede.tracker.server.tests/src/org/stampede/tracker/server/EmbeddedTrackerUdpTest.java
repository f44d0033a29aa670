package org.stampede.tracker.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.DatagramPacket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketTimeoutException;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The embedded tracker's UDP side (BEP 15), driven with hand-made datagrams, hostile ones included. */
class EmbeddedTrackerUdpTest {
    static final long PROTOCOL_ID = 0x41727101980L;
    static final byte[] HASH = new byte[20];

    static {
        Arrays.fill(HASH, (byte) 7);
    }

    EmbeddedTracker tracker;
    UdpPeer peer;

    /** A raw UDP endpoint talking to one tracker; every wait is bounded. */
    static final class UdpPeer implements AutoCloseable {
        final DatagramChannel ch;
        int txn = 1000;

        UdpPeer(InetAddress address, int port) throws IOException {
            ch = DatagramChannel.open();
            ch.connect(new InetSocketAddress(address, port));
            ch.socket().setSoTimeout(5000);
        }

        void send(byte[] datagram) throws IOException {
            ch.write(ByteBuffer.wrap(datagram));
        }

        /** The next datagram (up to 64 KiB); fails after 5 s. */
        ByteBuffer receive() throws IOException {
            DatagramPacket p = new DatagramPacket(new byte[65536], 65536);
            try {
                ch.socket().receive(p);
            } catch (SocketTimeoutException e) {
                throw new AssertionError("no datagram from the tracker within 5 s", e);
            }
            return ByteBuffer.wrap(p.getData(), 0, p.getLength()).slice();
        }

        ByteBuffer exchange(byte[] datagram) throws IOException {
            send(datagram);
            return receive();
        }

        long connect() throws IOException {
            int t = ++txn;
            ByteBuffer r = exchange(connectRequest(t));
            assertEquals(16, r.remaining());
            assertEquals(0, r.getInt(0));
            assertEquals(t, r.getInt(4));
            return r.getLong(8);
        }

        byte[] connectRequest(int t) {
            return ByteBuffer.allocate(16).putLong(PROTOCOL_ID).putInt(0).putInt(t).array();
        }

        byte[] announceRequest(long conn, int port, int event, int numWant) {
            return ByteBuffer.allocate(98).putLong(conn).putInt(1).putInt(++txn).put(HASH)
                    .put("-XX0001-abcdefghijkl".getBytes(StandardCharsets.US_ASCII)).putLong(0).putLong(100)
                    .putLong(0).putInt(event).putInt(0).putInt(42).putInt(numWant).putShort((short) port).array();
        }

        @Override
        public void close() throws IOException {
            ch.close();
        }
    }

    @BeforeEach
    void start() throws IOException {
        tracker = EmbeddedTracker.start(EmbeddedTracker.Config.defaults().withInterval(Duration.ofSeconds(900)));
        peer = new UdpPeer(InetAddress.getLoopbackAddress(), tracker.udpPort());
    }

    @AfterEach
    void stop() throws IOException {
        peer.close();
        tracker.close();
    }

    static String errorText(ByteBuffer r) {
        assertEquals(3, r.getInt(0), "action");
        byte[] m = new byte[r.remaining() - 8];
        r.get(8, m);
        return new String(m, StandardCharsets.UTF_8);
    }

    @Test
    void announceIsAnsweredWithIntervalCountsAndIpv4Peers() throws Exception {
        long conn = peer.connect();
        peer.exchange(peer.announceRequest(conn, 5001, 2, -1));
        ByteBuffer r = peer.exchange(peer.announceRequest(conn, 5002, 2, -1));
        assertEquals(1, r.getInt(0));
        assertEquals(peer.txn, r.getInt(4));
        assertEquals(900, r.getInt(8));
        assertEquals(2, r.getInt(12)); // leechers
        assertEquals(0, r.getInt(16)); // seeders
        assertEquals(26, r.remaining());
        assertEquals(ByteBuffer.allocate(6).put(new byte[] { 127, 0, 0, 1 }).putShort((short) 5001).flip(),
                r.slice(20, 6));
    }

    @Test
    void wrongConnectionIdIsDroppedWithoutReply() throws Exception {
        peer.connect();
        peer.send(peer.announceRequest(0x0102030405060708L, 5001, 2, -1));
        int t = ++peer.txn;
        ByteBuffer r = peer.exchange(peer.connectRequest(t));
        assertEquals(0, r.getInt(0), "the first reply is the connect's: the announce was dropped");
        assertEquals(t, r.getInt(4));
        assertEquals(null, tracker.stats(HASH));
    }

    @Test
    void garbageIsDroppedWithoutReply() throws Exception {
        peer.send(new byte[0]);
        peer.send(new byte[] { 1, 2, 3 });
        peer.send(new byte[15]);
        peer.send(ByteBuffer.allocate(16).putLong(PROTOCOL_ID + 1).putInt(0).putInt(5).array()); // bad protocol id
        peer.send(new byte[5000]);
        int t = ++peer.txn;
        ByteBuffer r = peer.exchange(peer.connectRequest(t));
        assertEquals(0, r.getInt(0));
        assertEquals(t, r.getInt(4));
    }

    @Test
    void truncatedAnnounceGetsAnError() throws Exception {
        long conn = peer.connect();
        byte[] shortAnnounce = Arrays.copyOf(peer.announceRequest(conn, 5001, 2, -1), 60);
        assertEquals("announce of 60 bytes, shorter than 98", errorText(peer.exchange(shortAnnounce)));
    }

    @Test
    void portZeroGetsAnError() throws Exception {
        long conn = peer.connect();
        assertEquals("invalid port 0", errorText(peer.exchange(peer.announceRequest(conn, 0, 2, -1))));
    }

    @Test
    void unknownEventGetsAnError() throws Exception {
        long conn = peer.connect();
        assertEquals("invalid event 9", errorText(peer.exchange(peer.announceRequest(conn, 5001, 9, -1))));
    }

    @Test
    void unknownActionGetsAnError() throws Exception {
        long conn = peer.connect();
        byte[] req = ByteBuffer.allocate(16).putLong(conn).putInt(77).putInt(++peer.txn).array();
        assertEquals("unknown action 77", errorText(peer.exchange(req)));
    }

    @Test
    void hugeNumWantIsCapped() throws Exception {
        long conn = peer.connect();
        for (int p = 1; p <= 60; p++) {
            peer.exchange(peer.announceRequest(conn, 6000 + p, 2, 0));
        }
        ByteBuffer r = peer.exchange(peer.announceRequest(conn, 7000, 2, Integer.MAX_VALUE));
        assertEquals(20 + 50 * 6, r.remaining());
    }

    @Test
    void scrapeReportsSeedersCompletedAndLeechers() throws Exception {
        long conn = peer.connect();
        peer.exchange(peer.announceRequest(conn, 5001, 2, -1));
        byte[] unknown = new byte[20];
        ByteBuffer req = ByteBuffer.allocate(56).putLong(conn).putInt(2).putInt(++peer.txn).put(HASH).put(unknown);
        ByteBuffer r = peer.exchange(req.array());
        assertEquals(32, r.remaining());
        assertEquals(2, r.getInt(0));
        assertEquals(0, r.getInt(8)); // seeders
        assertEquals(0, r.getInt(12)); // completed
        assertEquals(1, r.getInt(16)); // leechers
        assertEquals(0, r.getInt(28));
    }

    @Test
    void scrapeOfMoreThan74TorrentsGetsAnError() throws Exception {
        long conn = peer.connect();
        ByteBuffer req = ByteBuffer.allocate(16 + 75 * 20).putLong(conn).putInt(2).putInt(++peer.txn);
        assertEquals("at most 74 info-hashes per scrape", errorText(peer.exchange(req.array())));
    }

    @Test
    void scrapeWithAPartialInfoHashGetsAnError() throws Exception {
        long conn = peer.connect();
        ByteBuffer req = ByteBuffer.allocate(16 + 30).putLong(conn).putInt(2).putInt(++peer.txn);
        assertTrue(errorText(peer.exchange(req.array())).startsWith("scrape of 46 bytes"));
    }

    @Test
    void ipv6TrackerHandsOut18ByteEntries() throws Exception {
        InetAddress v6 = InetAddress.getByName("::1");
        try (EmbeddedTracker t6 = EmbeddedTracker.start(EmbeddedTracker.Config.defaults().withBindAddress(v6));
                UdpPeer p6 = new UdpPeer(v6, t6.udpPort())) {
            assertEquals("udp://[0:0:0:0:0:0:0:1]:" + t6.udpPort() + "/announce", t6.udpAnnounceUrl().toString());
            long conn = p6.connect();
            p6.exchange(p6.announceRequest(conn, 5001, 2, -1));
            ByteBuffer r = p6.exchange(p6.announceRequest(conn, 5002, 2, -1));
            assertEquals(20 + 18, r.remaining());
            assertEquals(ByteBuffer.allocate(18).put(v6.getAddress()).putShort((short) 5001).flip(), r.slice(20, 18));
        }
    }
}
