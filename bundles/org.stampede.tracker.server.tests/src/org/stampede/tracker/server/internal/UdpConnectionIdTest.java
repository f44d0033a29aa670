package org.stampede.tracker.server.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.net.DatagramPacket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketTimeoutException;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.time.Duration;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Connection ids of the UDP tracker live one to two minutes; the clock is manual. */
class UdpConnectionIdTest {
    final AtomicLong clock = new AtomicLong(TimeUnit.MINUTES.toNanos(100));
    UdpTrackerServer server;
    DatagramChannel client;
    int txn;

    @BeforeEach
    void start() throws Exception {
        DatagramChannel ch = DatagramChannel.open();
        ch.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
        Swarms swarms = new Swarms(Duration.ofMinutes(30), 10, 10, clock::get, new Random(1));
        server = new UdpTrackerServer(ch, swarms, Duration.ofMinutes(30), 50, clock::get);
        server.start();
        client = DatagramChannel.open();
        client.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), server.port()));
        client.socket().setSoTimeout(5000);
    }

    @AfterEach
    void stop() throws Exception {
        client.close();
        server.close();
    }

    ByteBuffer exchange(ByteBuffer request) throws Exception {
        client.write(request.flip());
        DatagramPacket p = new DatagramPacket(new byte[2048], 2048);
        try {
            client.socket().receive(p);
        } catch (SocketTimeoutException e) {
            throw new AssertionError("no reply within 5 s", e);
        }
        return ByteBuffer.wrap(p.getData(), 0, p.getLength());
    }

    long connect() throws Exception {
        return exchange(ByteBuffer.allocate(16).putLong(0x41727101980L).putInt(0).putInt(++txn)).getLong(8);
    }

    /** Scrapes with {@code conn}, then connects: returns the action of the first reply (2: scrape answered). */
    int firstReplyAfterScrapeWith(long conn) throws Exception {
        client.write(ByteBuffer.allocate(36).putLong(conn).putInt(2).putInt(++txn).put(new byte[20]).flip());
        return exchange(ByteBuffer.allocate(16).putLong(0x41727101980L).putInt(0).putInt(++txn)).getInt(0);
    }

    @Test
    void connectionIdIsAcceptedForAMinuteAfterIssue() throws Exception {
        long conn = connect();
        clock.addAndGet(TimeUnit.SECONDS.toNanos(60));
        assertEquals(2, firstReplyAfterScrapeWith(conn));
    }

    @Test
    void connectionIdIsRefusedTwoMinutesAfterIssue() throws Exception {
        long conn = connect();
        clock.addAndGet(TimeUnit.SECONDS.toNanos(120));
        assertEquals(0, firstReplyAfterScrapeWith(conn));
    }
}
