package org.stampede.tracker.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;

import org.stampede.fuzz.Allocation;
import org.stampede.tracker.AnnounceResponse;
import org.stampede.tracker.ScrapeResponse;
import org.stampede.tracker.TrackerException;

import com.code_intelligence.jazzer.junit.FuzzTest;

/**
 * Tracker replies, HTTP (a bencoded body with its status) and UDP (a datagram, BEP 15). Every reply either gives an
 * {@link AnnounceResponse} or {@link ScrapeResponse} within the limits those promise, or raises the documented
 * error ({@link TrackerException}, over HTTP; {@link BadReply}, which the UDP client turns into one); a tracker's
 * text reaches a message escaped and shortened, so it cannot forge log lines.
 */
class TrackerReplyFuzzTest {
    private static final URI TRACKER = URI.create("http://tracker.invalid:6969/announce?passkey=0123456789abcdef");
    private static final int[] STATUS = { 200, 200, 400, 503 };
    private static final List<byte[]> HASHES = List.of("AAAAAAAAAAAAAAAAAAAA".getBytes(),
            new byte[] { 0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19 },
            "info-hash-of-twenty!".getBytes());

    /** First byte: bit 0 scrape (else announce), bits 1-2 the HTTP status; the rest is the body. */
    @FuzzTest
    void http(byte[] data) {
        if (data.length == 0) {
            return;
        }
        boolean scrape = (data[0] & 1) != 0;
        HttpReplies.Meta meta = new HttpReplies.Meta(STATUS[(data[0] >>> 1) & 3], "text/plain",
                (data[0] & 8) != 0 ? Duration.ofSeconds(30) : null);
        byte[] body = Arrays.copyOfRange(data, 1, data.length);
        Allocation.bounded(data.length, 128, () -> {
            try {
                if (scrape) {
                    check(HttpReplies.scrape(TRACKER, meta, body, body.length, HASHES));
                } else {
                    check(HttpReplies.announce(TRACKER, meta, body, body.length));
                }
            } catch (TrackerException e) {
                safeMessage(e.getMessage());
                // the tracker is named without its query, which on private trackers holds the passkey
                assertTrue(e.getMessage().startsWith("tracker http://tracker.invalid:6969/announce?...: "),
                        e.getMessage());
            }
        });
    }

    /**
     * First byte: bit 0 an IPv6 tracker, bit 1 a scrape (else an announce), bits 2-3 how many info-hashes the scrape
     * asked for; the rest is the datagram, which the client's socket passes on when it is 8 to 8192 bytes long.
     */
    @FuzzTest
    void udp(byte[] data) {
        if (data.length < 1 + 8 || data.length > 1 + UdpTrackerClient.MAX_PACKET) {
            return;
        }
        boolean ipv6 = (data[0] & 1) != 0;
        boolean scrape = (data[0] & 2) != 0;
        List<byte[]> asked = HASHES.subList(0, Math.max(1, (data[0] >>> 2) & 3));
        Allocation.bounded(data.length, 128, () -> {
            // the reply as the shared socket hands it to its request: an array-backed buffer, position 0
            ByteBuffer reply = ByteBuffer.allocate(UdpTrackerClient.MAX_PACKET);
            reply.put(data, 1, data.length - 1).flip();
            if (reply.getInt(0) == UdpTrackerClient.ERROR) {
                safeMessage(Text.escape(reply.array(), 8, reply.remaining() - 8, Text.MAX_TRACKER_TEXT));
                return;
            }
            try {
                if (scrape) {
                    ScrapeResponse r = UdpTrackerClient.scrapeReply(reply, asked);
                    assertTrue(r.entries().size() <= asked.size());
                    check(r);
                } else {
                    check(UdpTrackerClient.announceReply(reply, ipv6));
                }
            } catch (BadReply e) {
                safeMessage(e.getMessage());
            }
        });
    }

    private static void check(AnnounceResponse r) {
        assertTrue(r.interval().compareTo(AnnounceResponse.MIN_INTERVAL) >= 0
                && r.interval().compareTo(AnnounceResponse.MAX_INTERVAL) <= 0);
        assertTrue(r.minInterval().compareTo(AnnounceResponse.MIN_INTERVAL) >= 0
                && r.minInterval().compareTo(r.interval()) <= 0);
        assertTrue(r.peers().size() <= Peers.MAX_PEERS, () -> r.peers().size() + " peers");
        r.peers().forEach(p -> {
            assertTrue(p.getPort() > 0 && !p.isUnresolved());
        });
        assertTrue(r.complete() == null || r.complete() >= 0);
        assertTrue(r.incomplete() == null || r.incomplete() >= 0);
        if (r.warningMessage() != null) {
            safeMessage(r.warningMessage());
        }
        assertTrue(r.trackerId() == null || r.trackerId().length() <= HttpReplies.MAX_TRACKER_ID);
    }

    private static void check(ScrapeResponse r) {
        for (ScrapeResponse.Entry e : r.entries()) {
            assertEquals(20, e.infoHash().length);
            assertTrue(HASHES.stream().anyMatch(h -> Arrays.equals(h, e.infoHash())));
            assertTrue(e.complete() >= 0 && e.incomplete() >= 0 && e.downloaded() >= 0);
        }
    }

    /**
     * A message with a tracker's text in it: one line, no control or format characters nor lone surrogates, bounded
     * length.
     */
    private static void safeMessage(String m) {
        assertNotNull(m);
        assertTrue(m.length() <= 2048, () -> "a message of " + m.length() + " characters");
        for (int i = 0; i < m.length(); i++) {
            char c = m.charAt(i);
            int type = Character.getType(c);
            boolean unpaired = Character.isHighSurrogate(c)
                    ? i + 1 >= m.length() || !Character.isLowSurrogate(m.charAt(i + 1))
                    : Character.isLowSurrogate(c) && (i == 0 || !Character.isHighSurrogate(m.charAt(i - 1)));
            boolean bad = c < 0x20 || (c >= 0x7f && c <= 0x9f) || c == '\u2028' || c == '\u2029'
                    || type == Character.FORMAT || unpaired;
            int at = i;
            assertTrue(!bad, () -> String.format("U+%04X at %d in a message: %s", (int) c, at, m));
        }
    }
}
