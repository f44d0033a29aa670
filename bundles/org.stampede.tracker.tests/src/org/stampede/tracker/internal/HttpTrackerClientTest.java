package org.stampede.tracker.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.stampede.bencode.BDict;
import org.stampede.bencode.BList;
import org.stampede.bencode.BencodeEncoder;
import org.stampede.tracker.AnnounceRequest;
import org.stampede.tracker.AnnounceResponse;
import org.stampede.tracker.ScrapeResponse;
import org.stampede.tracker.TrackerClient;
import org.stampede.tracker.TrackerException;

/** The HTTP tracker client against a fake tracker replying canned bytes: good replies and every hostile kind. */
class HttpTrackerClientTest {
    static final byte[] HASH = bytes(20, 0xA0);
    static final byte[] PEER_ID = "-ST0010-abcdefghijkl".getBytes(StandardCharsets.US_ASCII);
    static final AnnounceRequest REQUEST = AnnounceRequest.of(HASH, PEER_ID, 6881, 1000);

    static final HttpTrackerClientFactory FACTORY = new HttpTrackerClientFactory(Duration.ofSeconds(5),
            Duration.ofSeconds(5), HttpReplies.MAX_BODY);

    @AfterAll
    static void stop() {
        FACTORY.deactivate();
    }

    static byte[] bytes(int n, int first) {
        byte[] b = new byte[n];
        for (int i = 0; i < n; i++) {
            b[i] = (byte) (first + i);
        }
        return b;
    }

    static byte[] bencode(BDict d) {
        return BencodeEncoder.encode(d);
    }

    static byte[] compact4(int a, int b, int c, int d, int port) {
        return new byte[] { (byte) a, (byte) b, (byte) c, (byte) d, (byte) (port >> 8), (byte) port };
    }

    static AnnounceResponse announce(FakeHttpTracker t) throws TrackerException {
        return FACTORY.create(t.announceUrl()).announce(REQUEST);
    }

    static TrackerException announceFails(FakeHttpTracker t) {
        return assertThrows(TrackerException.class, () -> announce(t));
    }

    @Test
    void compactPeersCountsAndIntervalsAreRead() throws Exception {
        byte[] peers = ByteBuffer.allocate(12).put(compact4(10, 0, 0, 1, 6881)).put(compact4(192, 168, 1, 2, 51413))
                .array();
        try (FakeHttpTracker t = FakeHttpTracker.replying(bencode(BDict.builder().put("complete", 5)
                .put("incomplete", 3).put("interval", 1800).put("min interval", 900).put("peers", peers).build()))) {
            AnnounceResponse r = announce(t);
            assertEquals(List.of(new InetSocketAddress("10.0.0.1", 6881), new InetSocketAddress("192.168.1.2", 51413)),
                    r.peers());
            assertEquals(5, r.complete());
            assertEquals(3, r.incomplete());
            assertEquals(Duration.ofSeconds(1800), r.interval());
            assertEquals(Duration.ofSeconds(900), r.minInterval());
            assertNull(r.warningMessage());
        }
    }

    @Test
    void compactIpv6PeersAreRead() throws Exception {
        byte[] v6 = ByteBuffer.allocate(18).put(bytes(16, 0x20)).putShort((short) 6882).array();
        try (FakeHttpTracker t = FakeHttpTracker.replying(bencode(BDict.builder().put("interval", 600)
                .put("peers", compact4(10, 0, 0, 1, 6881)).put("peers6", v6).build()))) {
            List<InetSocketAddress> peers = announce(t).peers();
            assertEquals(2, peers.size());
            assertEquals("2021:2223:2425:2627:2829:2a2b:2c2d:2e2f", peers.get(1).getAddress().getHostAddress());
            assertEquals(6882, peers.get(1).getPort());
        }
    }

    @Test
    void nonCompactPeerListIsReadAndNamesAreNotResolved() throws Exception {
        BList list = BList.of(
                BDict.builder().put("ip", "10.1.2.3").put("peer id", PEER_ID).put("port", 7000).build(),
                BDict.builder().put("ip", "::1").put("port", 7001).build(),
                BDict.builder().put("ip", "tracker-chosen-name.invalid").put("port", 7002).build(),
                BDict.builder().put("ip", "10.1.2.4").put("port", 0).build(),
                BDict.builder().put("ip", "10.1.2.5").put("port", 70000).build());
        try (FakeHttpTracker t = FakeHttpTracker.replying(bencode(BDict.builder().put("interval", 600)
                .put("peers", list).build()))) {
            assertEquals(List.of(new InetSocketAddress("10.1.2.3", 7000), new InetSocketAddress("::1", 7001)),
                    announce(t).peers());
        }
    }

    @Test
    void compactPeersOfABadLengthAreRejected() throws Exception {
        try (FakeHttpTracker t = FakeHttpTracker.replying("d8:intervali600e5:peers7:abcdefge")) {
            TrackerException e = announceFails(t);
            assertTrue(e.getMessage().contains("'peers' is 7 bytes, not a multiple of 6"), e.getMessage());
            assertTrue(e.getMessage().startsWith("tracker http://127.0.0.1:"), e.getMessage());
        }
    }

    @Test
    void compactIpv6PeersOfABadLengthAreRejected() throws Exception {
        try (FakeHttpTracker t = FakeHttpTracker.replying("d8:intervali600e6:peers620:abcdefghijklmnopqrste")) {
            assertTrue(announceFails(t).getMessage().contains("'peers6' is 20 bytes, not a multiple of 18"));
        }
    }

    @Test
    void failureReasonBecomesAnExceptionWithTheTrackersText() throws Exception {
        try (FakeHttpTracker t = FakeHttpTracker.replying("d14:failure reason22:torrent not registerede")) {
            TrackerException e = announceFails(t);
            assertEquals("tracker " + t.announceUrl() + ": failure reason 'torrent not registered'", e.getMessage());
            assertTrue(e.retryAfter().isEmpty());
        }
    }

    @Test
    void failureReasonIsEscapedAndShortened() throws Exception {
        String hostile = "\u001b[31mred\u202Eevil\n" + "x".repeat(5000);
        try (FakeHttpTracker t = FakeHttpTracker.replying(bencode(BDict.builder().put("failure reason", hostile)
                .build()))) {
            String m = announceFails(t).getMessage();
            assertTrue(m.contains("'\\u001B[31mred\\u202Eevil\\u000A"), m);
            assertFalse(m.chars().anyMatch(c -> c < 0x20 || c == 0x202E), m);
            assertTrue(m.length() < 400, m);
            assertTrue(m.endsWith("...'"), m);
        }
    }

    @Test
    void retryInGivesARetryHint() throws Exception {
        try (FakeHttpTracker t = FakeHttpTracker.replying("d14:failure reason4:busy8:retry ini10ee")) {
            assertEquals(Duration.ofMinutes(10), announceFails(t).retryAfter().orElseThrow());
        }
    }

    @Test
    void warningMessageIsPassedThrough() throws Exception {
        try (FakeHttpTracker t = FakeHttpTracker.replying("d8:intervali600e5:peers0:15:warning message12:update soon\1e")) {
            assertEquals("update soon\\u0001", announce(t).warningMessage());
        }
    }

    @Test
    void trackerIdIsRead() throws Exception {
        try (FakeHttpTracker t = FakeHttpTracker.replying("d8:intervali600e5:peers0:10:tracker id3:\u00ffA1e")) {
            assertEquals("\u00ffA1", announce(t).trackerId());
        }
    }

    @Test
    void htmlPageIsAClearError() throws Exception {
        try (FakeHttpTracker t = FakeHttpTracker.replying("<!DOCTYPE html><html><body>Login</body></html>")) {
            t.contentType = "text/html; charset=utf-8";
            String m = announceFails(t).getMessage();
            assertTrue(m.contains("an HTML page, not a bencoded reply"), m);
            assertTrue(m.contains("content type 'text/html; charset=utf-8'"), m);
            assertTrue(m.contains("starts with '<!DOCTYPE html>"), m);
        }
    }

    @Test
    void bodyThatIsNotBencodeIsAClearError() throws Exception {
        try (FakeHttpTracker t = FakeHttpTracker.replying("OK\r\n")) {
            String m = announceFails(t).getMessage();
            assertTrue(m.contains("reply is not bencode"), m);
            assertTrue(m.contains("starts with 'OK\\u000D\\u000A'"), m);
        }
    }

    @Test
    void bencodeThatIsNotADictIsAClearError() throws Exception {
        try (FakeHttpTracker t = FakeHttpTracker.replying("li1ei2ee")) {
            assertTrue(announceFails(t).getMessage().contains("top-level value is not a dict"));
        }
    }

    @Test
    void emptyBodyIsAClearError() throws Exception {
        try (FakeHttpTracker t = FakeHttpTracker.replying("")) {
            assertTrue(announceFails(t).getMessage().endsWith(": empty reply"));
        }
    }

    @Test
    void truncatedBencodeIsAClearError() throws Exception {
        try (FakeHttpTracker t = FakeHttpTracker.replying("d8:intervali600e5:peers12:abc")) {
            String m = announceFails(t).getMessage();
            assertTrue(m.contains("reply is not bencode (string length 12 exceeds remaining"), m);
        }
    }

    @Test
    void httpErrorStatusIsAClearError() throws Exception {
        try (FakeHttpTracker t = FakeHttpTracker.replying("Not Found")) {
            t.status = 404;
            String m = announceFails(t).getMessage();
            assertTrue(m.contains(": HTTP 404, reply is not bencode"), m);
        }
    }

    @Test
    void httpErrorStatusWithRetryAfterGivesARetryHint() throws Exception {
        try (FakeHttpTracker t = FakeHttpTracker.replying("d14:failure reason10:overloadede")) {
            t.status = 503;
            t.retryAfter = "120";
            TrackerException e = announceFails(t);
            assertTrue(e.getMessage().endsWith("failure reason 'overloaded' (HTTP 503)"), e.getMessage());
            assertEquals(Duration.ofSeconds(120), e.retryAfter().orElseThrow());
        }
    }

    @ParameterizedTest(name = "interval {0}, min interval {1} -> {2} s, {3} s")
    @CsvSource({ "-5, -5, 1800, 300", "0, 0, 1800, 300", "1, 1, 60, 60", "999999999999, 999999999999, 7200, 7200",
            "600, 3600, 600, 600", "abc, 120, 1800, 120" })
    void hostileIntervalsAreClamped(String interval, String minInterval, long expected, long expectedMin)
            throws Exception {
        String i = interval.matches("-?\\d+") ? "i" + interval + "e" : interval.length() + ":" + interval;
        try (FakeHttpTracker t = FakeHttpTracker.replying("d8:interval" + i + "12:min intervali" + minInterval
                + "e5:peers0:e")) {
            AnnounceResponse r = announce(t);
            assertEquals(Duration.ofSeconds(expected), r.interval());
            assertEquals(Duration.ofSeconds(expectedMin), r.minInterval());
        }
    }

    @Test
    void negativeCountsAreNotReported() throws Exception {
        try (FakeHttpTracker t = FakeHttpTracker.replying("d8:completei-1e10:incompletei-7e8:intervali600e5:peers0:e")) {
            AnnounceResponse r = announce(t);
            assertNull(r.complete());
            assertNull(r.incomplete());
        }
    }

    @Test
    void bodyDeclaredLargerThanTheLimitIsRefused() throws Exception {
        try (FakeHttpTracker t = FakeHttpTracker.replying(new byte[HttpReplies.MAX_BODY + 1])) {
            String m = announceFails(t).getMessage();
            assertTrue(m.contains("reply larger than " + HttpReplies.MAX_BODY + " bytes, refused"), m);
        }
    }

    @Test
    void chunkedBodyGrowingBeyondTheLimitIsRefused() throws Exception {
        try (FakeHttpTracker t = FakeHttpTracker.replying(new byte[HttpReplies.MAX_BODY + 100_000])) {
            t.chunked = true;
            String m = announceFails(t).getMessage();
            assertTrue(m.contains("reply larger than " + HttpReplies.MAX_BODY + " bytes, refused"), m);
        }
    }

    @Test
    void trackerThatNeverAnswersTimesOut() throws Exception {
        HttpTrackerClientFactory quick = new HttpTrackerClientFactory(Duration.ofSeconds(5), Duration.ofMillis(300),
                HttpReplies.MAX_BODY);
        try (FakeHttpTracker t = new FakeHttpTracker()) {
            t.hang = true;
            TrackerException e = assertThrows(TrackerException.class,
                    () -> quick.create(t.announceUrl()).announce(REQUEST));
            assertTrue(e.getMessage().contains("no reply within 300 ms")
                    || e.getMessage().contains("no complete reply within 300 ms"), e.getMessage());
        } finally {
            quick.deactivate();
        }
    }

    @Test
    void trackerNotListeningIsAClearError() throws Exception {
        int port;
        try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            port = s.getLocalPort();
        }
        TrackerClient c = FACTORY.create(URI.create("http://127.0.0.1:" + port + "/announce"));
        String m = assertThrows(TrackerException.class, () -> c.announce(REQUEST)).getMessage();
        assertTrue(m.startsWith("tracker http://127.0.0.1:" + port + "/announce: cannot connect"), m);
    }

    @Test
    void binaryValuesArePercentEncodedByteByByte() throws Exception {
        byte[] hash = bytes(20, 0x2C); // , - . / 0..9 : ; < = > ?
        byte[] peer = "-ST0010-~_.-Az09 +/%".getBytes(StandardCharsets.US_ASCII);
        try (FakeHttpTracker t = FakeHttpTracker.replying("d8:intervali600e5:peers0:e")) {
            FACTORY.create(t.announceUrl()).announce(AnnounceRequest.of(hash, peer, 6881, 0));
            String q = t.requests.get(0).getRawQuery();
            assertTrue(q.startsWith("info_hash=%2C-.%2F0123456789%3A%3B%3C%3D%3E%3F&peer_id=-ST0010-~_.-Az09%20%2B%2F%25&"),
                    q);
        }
    }

    @Test
    void announceQueryCarriesTheRequestsFields() throws Exception {
        AnnounceRequest r = REQUEST.withEvent(AnnounceRequest.Event.STARTED).withTransfer(11, 22, 33).withNumWant(40)
                .withKey(0xCAFE).withTrackerId("t\u00ff");
        try (FakeHttpTracker t = FakeHttpTracker.replying("d8:intervali600e5:peers0:e")) {
            FACTORY.create(t.announceUrl()).announce(r);
            String q = t.requests.get(0).getRawQuery();
            assertTrue(q.endsWith("&port=6881&uploaded=11&downloaded=22&left=33&compact=1&numwant=40&key=0000CAFE"
                    + "&event=started&trackerid=t%FF"), q);
        }
    }

    @Test
    void regularAnnounceSendsNoEvent() throws Exception {
        try (FakeHttpTracker t = FakeHttpTracker.replying("d8:intervali600e5:peers0:e")) {
            announce(t);
            assertFalse(t.requests.get(0).getRawQuery().contains("event="));
        }
    }

    @Test
    void announceUrlQueryIsKept() throws Exception {
        try (FakeHttpTracker t = FakeHttpTracker.replying("d8:intervali600e5:peers0:e")) {
            FACTORY.create(t.url("/announce?passkey=s3cr3t")).announce(REQUEST);
            assertTrue(t.requests.get(0).getRawQuery().startsWith("passkey=s3cr3t&info_hash="));
        }
    }

    @Test
    void passkeyDoesNotAppearInMessages() throws Exception {
        try (FakeHttpTracker t = FakeHttpTracker.replying("d14:failure reason3:note")) {
            String m = assertThrows(TrackerException.class,
                    () -> FACTORY.create(t.url("/announce?passkey=s3cr3t")).announce(REQUEST)).getMessage();
            assertFalse(m.contains("s3cr3t"), m);
            assertTrue(m.contains("/announce?...: failure reason 'not'"), m);
        }
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource({ "http://t.example/announce, http://t.example/scrape",
            "http://t.example/x/announce.php?k=1, http://t.example/x/scrape.php?k=1",
            "http://t.example/announce?a=b&c=d, http://t.example/scrape?a=b&c=d",
            "http://t.example:8080/p/announce, http://t.example:8080/p/scrape",
            "http://t.example/a, ", "http://t.example/announce/x, ", "http://t.example/my-announce, ",
            "http://t.example, " })
    void scrapeUrlFollowsTheBep48Convention(String announce, String scrape) {
        URI derived = HttpTrackerClient.scrapeUrl(URI.create(announce));
        assertEquals(scrape, derived == null ? null : derived.toString());
    }

    @Test
    void scrapeReadsTheFilesDictForTheHashesAsked() throws Exception {
        byte[] other = bytes(20, 1);
        byte[] unknown = bytes(20, 2);
        BDict files = BDict.builder()
                .put(org.stampede.bencode.BString.of(HASH),
                        BDict.builder().put("complete", 4).put("incomplete", 2).put("downloaded", 9).build())
                .put(org.stampede.bencode.BString.of(other), BDict.builder().put("complete", 1).build()).build();
        try (FakeHttpTracker t = FakeHttpTracker.replying(bencode(BDict.builder().put("files", files).build()))) {
            TrackerClient c = FACTORY.create(t.announceUrl());
            assertTrue(c.supportsScrape());
            ScrapeResponse s = c.scrape(List.of(HASH, other, unknown));
            assertEquals(new ScrapeResponse.Entry(HASH, 4, 2, 9), s.find(HASH));
            assertEquals(new ScrapeResponse.Entry(other, 1, 0, 0), s.find(other));
            assertNull(s.find(unknown));
            URI asked = t.requests.get(0);
            assertEquals("/scrape", asked.getRawPath());
            assertEquals(3, Arrays.stream(asked.getRawQuery().split("&")).filter(p -> p.startsWith("info_hash="))
                    .count());
        }
    }

    @Test
    void scrapeReplyWithoutFilesIsAClearError() throws Exception {
        try (FakeHttpTracker t = FakeHttpTracker.replying("d5:filesi1ee")) {
            String m = assertThrows(TrackerException.class, () -> FACTORY.create(t.announceUrl()).scrape(List.of(HASH)))
                    .getMessage();
            assertTrue(m.endsWith("bad scrape reply: 'files' is not a dict"), m);
        }
    }

    @Test
    void trackerWithoutScrapeConventionCannotBeScraped() throws Exception {
        TrackerClient c = FACTORY.create(URI.create("http://127.0.0.1:1/tracker.php"));
        assertFalse(c.supportsScrape());
        String m = assertThrows(TrackerException.class, () -> c.scrape(List.of(HASH))).getMessage();
        assertTrue(m.contains("cannot scrape"), m);
    }

    @Test
    void scrapeOfTooManyHashesIsRefusedBeforeSending() {
        TrackerClient c = FACTORY.create(URI.create("http://127.0.0.1:1/announce"));
        List<byte[]> many = java.util.Collections.nCopies(TrackerClient.MAX_SCRAPE_HASHES + 1, HASH);
        assertThrows(IllegalArgumentException.class, () -> c.scrape(many));
    }

    @Test
    void factoryRejectsOtherSchemes() {
        assertThrows(IllegalArgumentException.class, () -> FACTORY.create(URI.create("udp://127.0.0.1:1/announce")));
    }
}
