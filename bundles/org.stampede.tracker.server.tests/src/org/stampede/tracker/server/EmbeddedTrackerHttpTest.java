package org.stampede.tracker.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.InetAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.stampede.bencode.BDict;
import org.stampede.bencode.BList;
import org.stampede.bencode.BString;
import org.stampede.bencode.BencodeDecoder;

/** The embedded tracker's HTTP side, driven with hand-made requests, hostile ones included. */
class EmbeddedTrackerHttpTest {
    static final String HASH = "%01%02%03%04%05%06%07%08%09%0A%0B%0C%0D%0E%0F%10%11%12%13%14";
    static final String PEER = "-XX0001-abcdefghijkl";
    static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    EmbeddedTracker tracker;

    @BeforeEach
    void start() throws IOException {
        tracker = EmbeddedTracker.start(EmbeddedTracker.Config.defaults().withInterval(Duration.ofSeconds(900)));
    }

    @AfterEach
    void stop() {
        tracker.close();
    }

    @AfterAll
    static void closeClient() {
        HTTP.close();
    }

    HttpResponse<byte[]> get(String pathAndQuery) throws IOException, InterruptedException {
        URI uri = URI.create("http://127.0.0.1:" + tracker.httpPort() + pathAndQuery);
        return HTTP.send(HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(10)).build(),
                HttpResponse.BodyHandlers.ofByteArray());
    }

    BDict reply(String pathAndQuery) throws IOException, InterruptedException {
        HttpResponse<byte[]> r = get(pathAndQuery);
        assertEquals(200, r.statusCode());
        return (BDict) BencodeDecoder.strict().decode(r.body());
    }

    BDict announce(String query) throws IOException, InterruptedException {
        return reply("/announce?" + query);
    }

    static String valid(int port) {
        return "info_hash=" + HASH + "&peer_id=" + PEER + "&port=" + port + "&uploaded=0&downloaded=0&left=100";
    }

    @Test
    void announceIsAnsweredWithIntervalCountsAndCompactPeers() throws Exception {
        announce(valid(5001) + "&event=started");
        BDict d = announce(valid(5002) + "&event=started");
        assertEquals(900, d.getLong("interval"));
        assertEquals(450, d.getLong("min interval"));
        assertEquals(2, d.getLong("incomplete"));
        assertEquals(0, d.getLong("complete"));
        assertEquals(ByteBuffer.allocate(6).put(new byte[] { 127, 0, 0, 1 }).putShort((short) 5001).flip(),
                d.getString("peers").asReadOnlyBuffer());
        assertNull(d.get("peers6"));
    }

    @ParameterizedTest(name = "[{index}] {0}")
    @ValueSource(strings = { "peer_id=" + PEER + "&port=1", "info_hash=%01%02&peer_id=" + PEER + "&port=1",
            "info_hash=" + HASH + "%15&peer_id=" + PEER + "&port=1", "info_hash=" + HASH + "&port=1",
            "info_hash=" + HASH + "&peer_id=short&port=1", "info_hash=" + HASH + "&peer_id=" + PEER,
            "info_hash=" + HASH + "&peer_id=" + PEER + "&port=0",
            "info_hash=" + HASH + "&peer_id=" + PEER + "&port=65536",
            "info_hash=" + HASH + "&peer_id=" + PEER + "&port=http",
            "info_hash=" + HASH + "&peer_id=" + PEER + "&port=1&left=-1",
            "info_hash=" + HASH + "&peer_id=" + PEER + "&port=1&event=exploded",
            "info_hash=" + HASH + "&peer_id=" + PEER + "&port=1&numwant=lots", "info_hash=%25ZZ", "" })
    void malformedAnnounceGetsAFailureReason(String query) throws Exception {
        BDict d = announce(query);
        assertEquals(1, d.size(), d.toString());
        assertEquals(true, d.getText("failure reason").length() > 0);
        assertEquals(null, tracker.stats(new byte[] { 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19,
                20 }));
    }

    @Test
    void missingInfoHashIsNamedInTheFailure() throws Exception {
        assertEquals("missing info_hash", announce("peer_id=" + PEER + "&port=1").getText("failure reason"));
    }

    @Test
    void hugeNumWantIsCapped() throws Exception {
        for (int p = 1; p <= 60; p++) {
            announce(valid(6000 + p) + "&numwant=0");
        }
        BDict d = announce(valid(7000) + "&numwant=99999999999");
        assertEquals(50 * 6, d.getString("peers").length());
    }

    @Test
    void nonCompactRequestGetsPeerDicts() throws Exception {
        announce(valid(5001));
        BList peers = announce(valid(5002) + "&compact=0").getList("peers");
        assertEquals(1, peers.size());
        BDict p = (BDict) peers.get(0);
        assertEquals("127.0.0.1", p.getText("ip"));
        assertEquals(5001, p.getLong("port"));
        assertEquals(PEER, p.getText("peer id"));
    }

    @Test
    void noPeerIdLeavesPeerIdsOut() throws Exception {
        announce(valid(5001));
        BDict p = (BDict) announce(valid(5002) + "&compact=0&no_peer_id=1").getList("peers").get(0);
        assertNull(p.get("peer id"));
    }

    @Test
    void loopbackIpv6PeerIsHandedOutInPeers6() throws Exception {
        announce(valid(5001) + "&ip=::1");
        BDict d = announce(valid(5002));
        assertEquals(0, d.getString("peers").length());
        ByteBuffer expected = ByteBuffer.allocate(18).put(InetAddress.getByName("::1").getAddress())
                .putShort((short) 5001).flip();
        assertEquals(expected, d.getString("peers6").asReadOnlyBuffer());
    }

    @Test
    void ipParameterThatIsNotLoopbackIsIgnored() throws Exception {
        announce(valid(5001) + "&ip=8.8.8.8");
        BList peers = announce(valid(5002) + "&compact=0").getList("peers");
        assertEquals("127.0.0.1", ((BDict) peers.get(0)).getText("ip"));
    }

    @Test
    void scrapeReportsCountsPerTorrentAndZerosForUnknownOnes() throws Exception {
        announce(valid(5001) + "&event=started");
        announce(valid(5001).replace("left=100", "left=0") + "&event=completed");
        announce(valid(5002));
        String unknown = "%FF".repeat(20);
        BDict files = reply("/scrape?info_hash=" + HASH + "&info_hash=" + unknown).getDict("files");
        assertEquals(2, files.size());
        BDict known = (BDict) files.get(BString.of(new byte[] { 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11,
                12, 13, 14, 15, 16, 17, 18, 19, 20 }));
        assertEquals(1, known.getLong("complete"));
        assertEquals(1, known.getLong("incomplete"));
        assertEquals(1, known.getLong("downloaded"));
    }

    @Test
    void scrapeWithoutInfoHashGetsAFailureReason() throws Exception {
        assertEquals("scrape needs info_hash (a full scrape is not offered)",
                reply("/scrape").getText("failure reason"));
    }

    @Test
    void scrapeOfMoreThan74TorrentsGetsAFailureReason() throws Exception {
        String q = ("info_hash=" + HASH + "&").repeat(75);
        assertEquals("at most 74 info_hash per scrape", reply("/scrape?" + q).getText("failure reason"));
    }

    @Test
    void unknownPathIsNotFound() throws Exception {
        assertEquals(404, get("/stats").statusCode());
    }

    @Test
    void postIsRefused() throws Exception {
        URI uri = URI.create("http://127.0.0.1:" + tracker.httpPort() + "/announce");
        HttpResponse<byte[]> r = HTTP.send(HttpRequest.newBuilder(uri).POST(HttpRequest.BodyPublishers.ofString("x"))
                .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofByteArray());
        assertEquals(405, r.statusCode());
    }

    @Test
    void torrentsBeyondTheLimitGetAFailureReason() throws Exception {
        tracker.close();
        tracker = EmbeddedTracker.start(EmbeddedTracker.Config.defaults().withLimits(1, 10));
        announce(valid(5001));
        String other = valid(5001).replace(HASH, "%EE".repeat(20));
        assertEquals("tracker is full: it tracks 1 torrents already", announce(other).getText("failure reason"));
    }

    /** Sends a raw request line (the JDK's URI class would refuse to build these) and returns the status line. */
    String rawStatus(String target) throws IOException {
        try (Socket s = new Socket(InetAddress.getLoopbackAddress(), tracker.httpPort())) {
            s.setSoTimeout(5000);
            s.getOutputStream().write(("GET " + target + " HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n")
                    .getBytes(StandardCharsets.ISO_8859_1));
            String all = new String(s.getInputStream().readNBytes(4096), StandardCharsets.ISO_8859_1);
            int eol = all.indexOf("\r\n");
            return eol < 0 ? all : all.substring(0, eol);
        }
    }

    @ParameterizedTest(name = "[{index}] {0}")
    @ValueSource(strings = { "/announce?info_hash=%", "/announce?info_hash=%ZZ", "/announce?%%%%",
            "/announce?a=\u00ff\u00fe", "/announce?port=-9223372036854775809", "/announce?&&&&===&&", "*" })
    void hostileRequestLineIsAnsweredAndTheTrackerKeepsServing(String target) throws Exception {
        assertTrue(rawStatus(target).matches("HTTP/1\\.1 (200|400|404) .*"));
        assertEquals(900, announce(valid(5001)).getLong("interval"), "still serving");
    }

    /** The JDK's server answered these with an HTML page; a BitTorrent client can only read bencode. */
    @ParameterizedTest(name = "[{index}] {0}")
    @ValueSource(strings = { "/announce?info_hash=%ZZ", "/announce?info_hash=%", "/announce?info_hash=%4",
            "/announce?info_hash=%01%0&peer_id=" + PEER + "&port=1", "/announce?%%%%", "/announce?peer_id=%G1",
            "/scrape?info_hash=%G1", "/scrape?info_hash=%" })
    void badPercentEncodingGetsABencodedFailure(String target) throws Exception {
        RawHttp.Reply r = RawHttp.exchange(tracker, RawHttp.get(target));
        assertEquals(200, r.status());
        assertEquals("text/plain", r.headers().get("content-type"));
        BDict d = r.bencoded();
        assertEquals(1, d.size(), d.toString());
        assertTrue(d.getText("failure reason").contains("percent-escape"), d.toString());
    }

    @Test
    void oversizedRequestHeadGetsABencodedFailure() throws Exception {
        String head = "GET /announce?" + valid(5001) + " HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Padding: "
                + "x".repeat(20_000) + "\r\n\r\n";
        RawHttp.Reply r = RawHttp.exchange(tracker, head);
        assertEquals(200, r.status());
        assertEquals("request longer than 16384 bytes", r.bencoded().getText("failure reason"));
        assertEquals(null, tracker.stats(new byte[] { 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18,
                19, 20 }), "not announced");
    }

    @Test
    void oversizedRequestLineGetsABencodedFailure() throws Exception {
        RawHttp.Reply r = RawHttp.exchange(tracker, RawHttp.get("/announce?a=" + "b".repeat(20_000)));
        assertEquals(200, r.status());
        assertEquals("request longer than 16384 bytes", r.bencoded().getText("failure reason"));
    }

    @ParameterizedTest(name = "[{index}] {0}")
    @ValueSource(strings = { "HELLO\r\n\r\n", "GET /announce\r\n\r\n", "GET /announce HTTP/2\r\n\r\n",
            "get /announce HTTP/1.1\r\n\r\n", "\u0000\u0001 / HTTP/1.1\r\n\r\n" })
    void requestLineThatIsNotHttpGetsABencodedBadRequest(String request) throws Exception {
        RawHttp.Reply r = RawHttp.exchange(tracker, request);
        assertEquals(400, r.status());
        assertTrue(r.bencoded().getText("failure reason").startsWith("not an HTTP"), r.toString());
    }

    @Test
    void requestArrivingByteByByteIsAnswered() throws Exception {
        try (Socket s = RawHttp.connect(tracker, RawHttp.loopback(1))) {
            for (byte b : RawHttp.get("/announce?" + valid(5001)).getBytes(StandardCharsets.ISO_8859_1)) {
                s.getOutputStream().write(b);
                s.getOutputStream().flush();
            }
            assertEquals(900, RawHttp.read(s).bencoded().getLong("interval"));
        }
    }

    @ParameterizedTest(name = "[{index}] {0}")
    @ValueSource(strings = { "GET /announce?%s HTTP/1.0\n\n", "GET /announce?%s HTTP/1.0\r\n\r\n",
            "GET http://tracker.example:6969/announce?%s HTTP/1.1\r\nHost: tracker.example\r\n\r\n",
            "GET /announce?%s HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: keep-alive\r\nUser-Agent: x\r\n\r\n" })
    void requestFormsClientsSendAreServed(String template) throws Exception {
        RawHttp.Reply r = RawHttp.exchange(tracker, template.formatted(valid(5001)));
        assertEquals(200, r.status());
        assertEquals("close", r.headers().get("connection"), "one request per connection");
        assertEquals(900, r.bencoded().getLong("interval"));
    }

    @Test
    void overlongQueryGetsAFailureReason() throws Exception {
        assertEquals("query longer than 8192 characters", announce("a=" + "%41".repeat(3000)).getText(
                "failure reason"));
    }
}
