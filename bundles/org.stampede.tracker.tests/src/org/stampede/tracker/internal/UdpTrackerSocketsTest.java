package org.stampede.tracker.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.stampede.tracker.internal.UdpTrackerClientTest.REQUEST;
import static org.stampede.tracker.internal.UdpTrackerClientTest.TWO_PEER_ADDRESSES;
import static org.stampede.tracker.internal.UdpTrackerClientTest.good;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.management.ManagementFactory;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.StandardProtocolFamily;
import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.stampede.tracker.AnnounceRequest;
import org.stampede.tracker.AnnounceResponse;
import org.stampede.tracker.TrackerClient;
import org.stampede.tracker.TrackerException;

/**
 * The sockets all UDP tracker clients of one factory share: one local port per address family, one connection id
 * per tracker for every client, replies matched by transaction id and checked against the tracker's address, junk
 * dropped without cost, a bounded number of waiting requests, everything closed with the factory. Loopback only;
 * the retransmission schedules only bound how long a broken test can take.
 */
class UdpTrackerSocketsTest {
    static final InetAddress LOOPBACK = InetAddress.getLoopbackAddress();

    final AtomicLong clock = new AtomicLong();
    final UdpTrackerClientFactory factory = new UdpTrackerClientFactory(Duration.ofMillis(500), 5, clock::get);

    @AfterEach
    void closeFactory() {
        factory.deactivate();
    }

    static AnnounceRequest withPort(int port) {
        return AnnounceRequest.of(UdpTrackerClientTest.HASH, UdpTrackerClientTest.PEER_ID, port, 1000);
    }

    static byte[] peer(byte[] ip, int port) {
        return ByteBuffer.allocate(ip.length + 2).put(ip).putShort((short) port).array();
    }

    @Test
    void clientsOfOneFactoryShareOneLocalPortPerAddressFamily() throws Exception {
        try (FakeUdpTracker a = new FakeUdpTracker(good()); FakeUdpTracker b = new FakeUdpTracker(good());
                FakeUdpTracker v6 = new FakeUdpTracker(InetAddress.getByName("::1"),
                        UdpTrackerClientTest.announceReplies(txn -> List.of(FakeUdpTracker.announceReply(txn, 900, 0,
                                0, new byte[0]))))) {
            TrackerClient first = factory.create(a.url());
            first.announce(REQUEST);
            first.announce(REQUEST);
            factory.create(a.url()).announce(REQUEST); // another client of the same URL
            factory.create(b.url()).announce(REQUEST); // another tracker
            factory.create(v6.url()).announce(REQUEST);
            factory.create(v6.url()).announce(REQUEST);

            int port = factory.sockets().localPort(false);
            assertTrue(port > 0, "the IPv4 socket is open");
            assertEquals(4, a.sources.size()); // one connect, three announces
            assertEquals(2, b.sources.size());
            List<InetSocketAddress> seen = new ArrayList<>(a.sources);
            seen.addAll(b.sources);
            for (InetSocketAddress s : seen) {
                assertEquals(new InetSocketAddress(LOOPBACK, port), s, seen::toString);
            }
            int port6 = factory.sockets().localPort(true);
            assertTrue(port6 > 0, "the IPv6 socket is open");
            assertEquals(3, v6.sources.size());
            for (InetSocketAddress s : v6.sources) {
                assertEquals(port6, s.getPort(), v6.sources::toString);
                assertTrue(s.getAddress().isLoopbackAddress(), s::toString);
            }
        }
    }

    @Test
    void connectionIdServesEveryClientOfTheTrackerForAMinute() throws Exception {
        try (FakeUdpTracker a = new FakeUdpTracker(good()); FakeUdpTracker b = new FakeUdpTracker(good())) {
            factory.create(a.url()).announce(REQUEST);
            clock.addAndGet(Duration.ofSeconds(59).toNanos());
            factory.create(a.url()).announce(REQUEST);
            factory.create(URI.create(a.url() + "?passkey=other")).announce(REQUEST); // same address and port
            assertEquals(1, a.count(UdpTrackerClient.CONNECT));
            assertEquals(3, a.count(UdpTrackerClient.ANNOUNCE));
            for (byte[] r : a.requests.subList(1, 4)) {
                assertEquals(FakeUdpTracker.CONNECTION_ID, ByteBuffer.wrap(r).getLong(0));
            }

            factory.create(b.url()).announce(REQUEST);
            assertEquals(1, b.count(UdpTrackerClient.CONNECT), "another tracker needs its own connection id");

            clock.addAndGet(Duration.ofSeconds(2).toNanos());
            factory.create(a.url()).announce(REQUEST);
            assertEquals(2, a.count(UdpTrackerClient.CONNECT), "expired after a minute");
        }
    }

    /**
     * Answers connects at once and holds announces until it has {@code n}, then answers them last first, each with
     * one peer: {@code ip} and the port the announce gave. Every client's datagrams come from the one shared socket,
     * so all the replies of a batch go to where the last request came from.
     */
    static FakeUdpTracker.Responder batching(int n, byte[] ip) {
        List<byte[]> held = new ArrayList<>(); // only the tracker's thread touches it
        return (req, i) -> {
            if (FakeUdpTracker.action(req) == UdpTrackerClient.CONNECT) {
                return List.of(FakeUdpTracker.connectReply(FakeUdpTracker.txn(req)));
            }
            held.add(FakeUdpTracker.announceReply(FakeUdpTracker.txn(req), 900, 0, 1, peer(ip,
                    req.getShort(96) & 0xffff)));
            if (held.size() < n) {
                return List.of();
            }
            List<byte[]> out = new ArrayList<>(held);
            Collections.reverse(out);
            held.clear();
            return out;
        };
    }

    @Test
    void concurrentAnnouncesToTwoTrackersEachGetTheirOwnReply() throws Exception {
        int threadsPerTracker = 4;
        int rounds = 5;
        byte[] ipA = { 10, 0, 0, 1 };
        byte[] ipB = { 10, 0, 0, 2 };
        UdpTrackerClientFactory patient = new UdpTrackerClientFactory(Duration.ofSeconds(2), 5, clock::get);
        ExecutorService pool = Executors.newFixedThreadPool(2 * threadsPerTracker);
        try (FakeUdpTracker a = new FakeUdpTracker(batching(threadsPerTracker, ipA));
                FakeUdpTracker b = new FakeUdpTracker(batching(threadsPerTracker, ipB))) {
            TrackerClient sharedA = patient.create(a.url());
            TrackerClient sharedB = patient.create(b.url());
            List<Future<?>> tasks = new ArrayList<>();
            for (int t = 0; t < 2 * threadsPerTracker; t++) {
                boolean toA = t < threadsPerTracker;
                FakeUdpTracker tracker = toA ? a : b;
                // half the threads share a client, the others have their own
                TrackerClient c = t % 2 == 0 ? (toA ? sharedA : sharedB) : patient.create(tracker.url());
                byte[] ip = toA ? ipA : ipB;
                int thread = t;
                tasks.add(pool.submit(() -> {
                    for (int r = 0; r < rounds; r++) {
                        int port = 10_000 + 100 * thread + r;
                        AnnounceResponse response = c.announce(withPort(port));
                        assertEquals(List.of(new InetSocketAddress(InetAddress.getByAddress(ip), port)),
                                response.peers(), "thread " + thread + ", round " + r);
                    }
                    return null;
                }));
            }
            for (Future<?> f : tasks) {
                f.get(5, TimeUnit.MINUTES); // bounds a broken test; a failed assertion is rethrown here
            }
            assertTrue(a.count(UdpTrackerClient.ANNOUNCE) >= threadsPerTracker * rounds);
            assertEquals(1, a.sources.stream().distinct().count(), "one local port: " + a.sources);
            assertEquals(a.sources.get(0), b.sources.get(0));
        } finally {
            pool.shutdownNow();
            patient.deactivate();
        }
    }

    @Test
    void repliesFromAnotherAddressOrPortAreIgnored() throws Exception {
        AtomicReference<FakeUdpTracker> self = new AtomicReference<>();
        List<DatagramChannel> spoofers = new CopyOnWriteArrayList<>();
        FakeUdpTracker.Responder responder = (req, n) -> {
            int txn = FakeUdpTracker.txn(req);
            InetSocketAddress client = self.get().sources.get(n);
            List<byte[]> forged = FakeUdpTracker.action(req) == UdpTrackerClient.CONNECT
                    ? List.of(ByteBuffer.allocate(16).putInt(UdpTrackerClient.CONNECT).putInt(txn).putLong(0xBAD)
                            .array())
                    : List.of(FakeUdpTracker.announceReply(txn, 900, 0, 1, peer(new byte[] { 6, 6, 6, 6 }, 666)),
                            FakeUdpTracker.errorReply(txn, "forged"));
            try {
                for (DatagramChannel s : spoofers) { // sent before the genuine reply, so read first
                    for (byte[] f : forged) {
                        s.send(ByteBuffer.wrap(f), client);
                    }
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            return FakeUdpTracker.action(req) == UdpTrackerClient.CONNECT
                    ? List.of(FakeUdpTracker.connectReply(txn))
                    : List.of(FakeUdpTracker.announceReply(txn, 900, 3, 7, UdpTrackerClientTest.TWO_PEERS));
        };
        try (FakeUdpTracker t = new FakeUdpTracker(responder);
                DatagramChannel otherPort = DatagramChannel.open(StandardProtocolFamily.INET);
                DatagramChannel otherAddress = DatagramChannel.open(StandardProtocolFamily.INET)) {
            self.set(t);
            otherPort.bind(new InetSocketAddress(LOOPBACK, 0));
            otherAddress.bind(new InetSocketAddress(InetAddress.getByName("127.0.0.2"), t.address().getPort()));
            spoofers.add(otherPort);
            spoofers.add(otherAddress);

            assertEquals(TWO_PEER_ADDRESSES, factory.create(t.url()).announce(REQUEST).peers());
            assertEquals(2, t.requests.size(), "answered at the first attempt");
            assertEquals(FakeUdpTracker.CONNECTION_ID, ByteBuffer.wrap(t.requests.get(1)).getLong(0),
                    "the forged connection id was not taken");
        }
    }

    @Test
    void junkIsDroppedWithoutAllocating() throws Exception {
        com.sun.management.ThreadMXBean threads = (com.sun.management.ThreadMXBean) ManagementFactory
                .getThreadMXBean();
        try (FakeUdpTracker t = new FakeUdpTracker(good());
                DatagramChannel junk = DatagramChannel.open(StandardProtocolFamily.INET)) {
            junk.bind(new InetSocketAddress(LOOPBACK, 0));
            TrackerClient c = factory.create(t.url());
            c.announce(REQUEST);
            InetSocketAddress shared = t.sources.get(0);
            Thread receiver = factory.sockets().receiver();
            assertNotNull(receiver);
            Random random = new Random(15);
            ByteBuffer out = ByteBuffer.allocate(9000);
            long before = 0;
            for (int i = 0; i < 21_000; i++) {
                if (i == 1000) { // after a warm-up, and after the receiver has read it
                    c.announce(REQUEST);
                    before = threads.getThreadAllocatedBytes(receiver.threadId());
                }
                out.clear();
                random.nextBytes(out.array());
                int len = switch (i % 4) {
                    case 0 -> random.nextInt(8); // too short for a transaction id
                    case 1 -> UdpTrackerClient.MAX_PACKET + 1 + random.nextInt(800); // oversized
                    case 2 -> 16; // a connect reply with a random transaction id
                    default -> 8 + random.nextInt(200);
                };
                out.limit(len);
                if (i % 4 == 2) {
                    out.putInt(0, UdpTrackerClient.CONNECT);
                }
                junk.send(out, shared);
            }
            // the reply comes after the junk: when the announce returns, the receiver has read all of it
            assertEquals(TWO_PEER_ADDRESSES, c.announce(REQUEST).peers());
            long allocated = threads.getThreadAllocatedBytes(receiver.threadId()) - before;
            assertTrue(allocated < 20_000, allocated + " bytes allocated for 20,000 junk datagrams");
            assertSame(receiver, factory.sockets().receiver(), "the sockets were not reopened");
            assertEquals(shared.getPort(), factory.sockets().localPort(false));
            assertEquals(0, factory.sockets().pending());
        }
    }

    @Test
    void waitingRequestsAreCappedAndEndWithTheFactory() throws Exception {
        UdpTrackerClientFactory patient = new UdpTrackerClientFactory(Duration.ofSeconds(60), 8, clock::get);
        try (FakeUdpTracker silent = new FakeUdpTracker((req, n) -> List.of())) {
            TrackerClient c = patient.create(silent.url());
            List<Thread> waiting = new ArrayList<>();
            List<Throwable> failures = new CopyOnWriteArrayList<>();
            for (int i = 0; i < UdpTrackerSockets.MAX_PENDING; i++) {
                waiting.add(Thread.ofVirtual().start(() -> {
                    try {
                        c.announce(REQUEST);
                        failures.add(new AssertionError("a silent tracker answered"));
                    } catch (TrackerException e) {
                        failures.add(e);
                    }
                }));
            }
            long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(2);
            while (patient.sockets().pending() < UdpTrackerSockets.MAX_PENDING && System.nanoTime() < deadline) {
                Thread.sleep(10);
            }
            assertEquals(UdpTrackerSockets.MAX_PENDING, patient.sockets().pending());

            String m = assertThrows(TrackerException.class, () -> c.announce(REQUEST)).getMessage();
            assertTrue(m.endsWith(": too many UDP tracker requests waiting (at most 256)"), m);

            patient.deactivate();
            for (Thread w : waiting) {
                w.join(TimeUnit.MINUTES.toMillis(1));
                assertFalse(w.isAlive());
            }
            assertEquals(UdpTrackerSockets.MAX_PENDING, failures.size());
            for (Throwable f : failures) {
                assertEquals("tracker " + silent.url() + ": UDP tracker clients shut down", f.getMessage());
            }
            assertEquals(0, patient.sockets().pending());
        } finally {
            patient.deactivate();
        }
    }

    @Test
    void deactivationClosesTheSocketAndEndsAWaitingAnnounce() throws Exception {
        UdpTrackerClientFactory patient = new UdpTrackerClientFactory(Duration.ofSeconds(60), 8, clock::get);
        ExecutorService pool = Executors.newSingleThreadExecutor();
        try (FakeUdpTracker t = new FakeUdpTracker(FakeUdpTracker.announcing(req -> List.of()))) {
            TrackerClient c = patient.create(t.url());
            Future<AnnounceResponse> waiting = pool.submit(() -> c.announce(REQUEST));
            long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(1);
            while (t.count(UdpTrackerClient.ANNOUNCE) == 0 && System.nanoTime() < deadline) {
                Thread.sleep(10);
            }
            assertEquals(1, t.count(UdpTrackerClient.ANNOUNCE), "the announce is out and waits");
            int port = t.sources.get(0).getPort();
            Thread receiver = patient.sockets().receiver();

            patient.deactivate();

            var e = assertThrows(ExecutionException.class, () -> waiting.get(1, TimeUnit.MINUTES));
            assertEquals("tracker " + t.url() + ": UDP tracker clients shut down", e.getCause().getMessage());
            assertFalse(receiver.isAlive(), "the receiving thread has ended");
            assertEquals(null, patient.sockets().receiver());
            try (DatagramChannel again = DatagramChannel.open(StandardProtocolFamily.INET)) {
                again.bind(new InetSocketAddress(port)); // the wildcard address the shared socket had: it is free
            }
            int requests = t.requests.size();
            String m = assertThrows(TrackerException.class, () -> c.announce(REQUEST)).getMessage();
            assertTrue(m.endsWith(": UDP tracker clients shut down"), m);
            assertEquals(requests, t.requests.size(), "nothing sent, nothing reopened");
            assertEquals(null, patient.sockets().receiver());
        } finally {
            pool.shutdownNow();
            patient.deactivate();
        }
    }
}
