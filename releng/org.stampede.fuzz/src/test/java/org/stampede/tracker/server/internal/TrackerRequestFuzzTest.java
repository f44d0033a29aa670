package org.stampede.tracker.server.internal;

import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import java.time.Duration;
import java.util.Arrays;
import java.util.Random;

import org.stampede.bencode.BDict;
import org.stampede.bencode.BValue;
import org.stampede.bencode.BencodeDecoder;
import org.stampede.fuzz.Allocation;

import com.code_intelligence.jazzer.junit.FuzzTest;

/**
 * The embedded tracker's side of HTTP: the bytes a client sends, arriving in chunks, until {@link RequestHead#end}
 * finds the end of the head; {@link RequestHead#parse} (whose {@link RequestHead.Malformed} the server answers with a
 * failure), then {@link HttpTrackerHandler#handle}, which promises that nothing a client sends makes it throw. Every
 * reply has a known status, and a 200's body is a bencoded dict with a failure reason, peers, or files.
 * <p>
 * The first byte chooses the chunk size (one of {@link #CHUNKS}); the rest is the request.
 */
class TrackerRequestFuzzTest {
    static final int[] CHUNKS = { 0, 1, 2, 5, 17, 64, 300, 1024 };
    private static final InetAddress SOURCE = InetAddress.getLoopbackAddress();

    @FuzzTest
    void http(byte[] data) {
        if (data.length == 0) {
            return;
        }
        int chunk = CHUNKS[data[0] & 7];
        byte[] request = Arrays.copyOfRange(data, 1, data.length);
        Allocation.bounded(data.length, 128, () -> serve(request, chunk));
    }

    private static void serve(byte[] request, int chunk) {
        // as the server takes a request in: the head so far, scanned from where the last chunk ended
        int step = chunk == 0 ? Math.max(1, request.length) : chunk;
        int end = -1;
        for (int length = 0; length < request.length && end < 0;) {
            int from = length;
            length = Math.min(request.length, length + step);
            end = RequestHead.end(request, from, length);
            if (end >= 0) {
                assertTrue(end <= length, "a head ending past what arrived");
            }
        }
        assertTrue(end == RequestHead.end(request, 0, request.length), "the head ends where it ends read at once");
        if (end < 0) {
            return; // the head is not complete: the server waits (within its deadline and size limit)
        }
        RequestHead head;
        try {
            head = RequestHead.parse(request, end);
        } catch (RequestHead.Malformed e) {
            assertNotNull(e.getMessage());
            return;
        }
        Swarms swarms = new Swarms(Duration.ofMinutes(30), 16, 16, () -> 1_000_000_000L, new Random(1));
        HttpTrackerHandler.Response r = new HttpTrackerHandler(swarms, Duration.ofMinutes(30), 50)
                .handle(head.method(), head.rawPath(), head.rawQuery(), SOURCE);
        assertTrue(r.status() == 200 || r.status() == 404 || r.status() == 405, () -> "status " + r.status());
        if (r.status() == 200) {
            BValue body = BencodeDecoder.strict().decode(r.body());
            assertTrue(body instanceof BDict d && (d.containsKey("failure reason") || d.containsKey("peers")
                    || d.containsKey("files")), body::toString);
        }
    }
}
