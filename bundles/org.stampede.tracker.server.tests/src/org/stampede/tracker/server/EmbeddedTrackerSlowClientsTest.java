package org.stampede.tracker.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.stampede.bencode.BDict;
import org.stampede.bencode.BencodeDecoder;
import org.stampede.tracker.server.EmbeddedTracker.HttpLimits;

/**
 * Slow, silent and numerous HTTP clients (a slowloris) against the embedded tracker, over real sockets on loopback:
 * none of them may hold back another client's announce, and each is closed by the limits.
 */
class EmbeddedTrackerSlowClientsTest {
    /** Hang guard: every test here passes in a few seconds. */
    static final Duration GUARD = Duration.ofSeconds(60);
    /** Long enough that no slow client of a test is closed by the deadline while the test runs. */
    static final Duration LONG = Duration.ofSeconds(120);
    static final String SLOW_START = "GET /announce?info_hash=";

    EmbeddedTracker tracker;
    final List<AutoCloseable> toClose = new ArrayList<>();

    @AfterEach
    void stop() throws Exception {
        for (AutoCloseable c : toClose) {
            c.close();
        }
        if (tracker != null) {
            tracker.close();
        }
    }

    void start(HttpLimits limits) throws IOException {
        tracker = EmbeddedTracker.start(EmbeddedTracker.Config.defaults().withInterval(Duration.ofSeconds(900))
                .withHttpLimits(limits));
    }

    RawHttp.Trickler trickler(int fromLast) throws IOException {
        RawHttp.Trickler t = new RawHttp.Trickler(tracker, RawHttp.loopback(fromLast), SLOW_START);
        toClose.add(t);
        return t;
    }

    Socket silent(int fromLast) throws IOException {
        Socket s = RawHttp.connect(tracker, RawHttp.loopback(fromLast));
        toClose.add(s);
        return s;
    }

    /** Waits until the tracker counts {@code n} open connections. */
    void awaitConnections(int n) throws InterruptedException {
        while (tracker.httpConnections() != n) {
            Thread.sleep(5);
        }
    }

    /** An announce by the JDK's HTTP client (from 127.0.0.1), as a BitTorrent client sends it. */
    BDict announce(int port) throws Exception {
        URI uri = URI.create(tracker.httpAnnounceUrl() + "?" + EmbeddedTrackerHttpTest.valid(port) + "&event=started");
        try (HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build()) {
            HttpResponse<byte[]> r = http.send(HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(20)).build(),
                    HttpResponse.BodyHandlers.ofByteArray());
            assertEquals(200, r.statusCode());
            return (BDict) BencodeDecoder.strict().decode(r.body());
        }
    }

    /**
     * The reported attack, and more: 8 connections from the announcer's own address trickle a request a byte at a
     * time (the old server stalled every announce with 2). A real announce is answered while all 8 are still open.
     */
    @Test
    void announcesAreAnsweredWhileSlowClientsTrickleTheirRequests() throws Exception {
        assertTimeoutPreemptively(GUARD, () -> {
            start(new HttpLimits(LONG, 512, 16));
            List<RawHttp.Trickler> slow = new ArrayList<>();
            for (int i = 0; i < 8; i++) {
                slow.add(trickler(1));
            }
            for (RawHttp.Trickler t : slow) {
                t.awaitTrickled(3);
            }
            assertEquals(900, announce(5001).getLong("interval"));
            assertEquals(2, announce(5002).getLong("incomplete"), "both announces recorded");
            for (RawHttp.Trickler t : slow) {
                assertTrue(RawHttp.stillOpen(t.socket), "the slow clients were not simply dropped");
            }
        });
    }

    @Test
    void aRequestNotCompleteAtTheDeadlineGetsABencodedFailureAndIsClosed() throws Exception {
        assertTimeoutPreemptively(GUARD, () -> {
            start(new HttpLimits(Duration.ofMillis(300), 512, 16));
            List<RawHttp.Trickler> slow = new ArrayList<>();
            for (int i = 0; i < 3; i++) {
                slow.add(trickler(1));
            }
            for (RawHttp.Trickler t : slow) {
                RawHttp.Reply r = RawHttp.read(t.socket); // comes although the client goes on sending
                assertEquals(200, r.status());
                assertEquals("close", r.headers().get("connection"));
                assertEquals("request not complete within 300 ms", r.bencoded().getText("failure reason"));
                t.stop();
                assertTrue(RawHttp.closedByServer(t.socket), "closed once the reply had its time to be taken");
            }
            awaitConnections(0);
            assertEquals(900, announce(5001).getLong("interval"));
        });
    }

    @Test
    void aSilentConnectionIsClosedAtTheDeadline() throws Exception {
        assertTimeoutPreemptively(GUARD, () -> {
            start(new HttpLimits(Duration.ofMillis(200), 512, 16));
            Socket s = silent(1);
            RawHttp.Reply r = RawHttp.read(s);
            assertEquals("request not complete within 200 ms", r.bencoded().getText("failure reason"));
            assertTrue(RawHttp.closedByServer(s));
        });
    }

    @Test
    void anAddressOverItsConnectionLimitIsClosedAndOthersAreServed() throws Exception {
        assertTimeoutPreemptively(GUARD, () -> {
            start(new HttpLimits(LONG, 64, 4));
            List<Socket> held = new ArrayList<>();
            for (int i = 1; i <= 4; i++) {
                held.add(silent(2));
                awaitConnections(i);
            }
            Socket fifth = silent(2);
            assertTrue(RawHttp.closedByServer(fifth), "a fifth connection from 127.0.0.2 is closed");
            assertEquals(900, announce(5001).getLong("interval"), "127.0.0.1 is served meanwhile");
            for (Socket s : held) {
                assertTrue(RawHttp.stillOpen(s));
            }

            held.get(0).close();
            awaitConnections(4 - 1);
            try (Socket again = RawHttp.connect(tracker, RawHttp.loopback(2))) {
                RawHttp.send(again, RawHttp.get("/announce?" + EmbeddedTrackerHttpTest.valid(5002)));
                assertEquals(900, RawHttp.read(again).bencoded().getLong("interval"), "a freed slot is used again");
            }
        });
    }

    @Test
    void connectionsOverTheTotalLimitAreClosed() throws Exception {
        assertTimeoutPreemptively(GUARD, () -> {
            start(new HttpLimits(LONG, 3, 2));
            List<Socket> held = List.of(silent(2), silent(2), silent(3));
            awaitConnections(3);
            assertTrue(RawHttp.closedByServer(silent(4)), "a fourth connection, from another address, is closed");
            for (Socket s : held) {
                assertTrue(RawHttp.stillOpen(s));
                s.close();
            }
            awaitConnections(0);
            assertEquals(900, announce(5001).getLong("interval"));
        });
    }
}
