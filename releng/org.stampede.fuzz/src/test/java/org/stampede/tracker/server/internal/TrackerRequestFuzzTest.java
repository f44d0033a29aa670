package org.stampede.tracker.server.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.reflect.Field;
import java.net.InetAddress;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.Arrays;
import java.util.Random;

import org.stampede.bencode.BDict;
import org.stampede.bencode.BValue;
import org.stampede.bencode.BencodeDecoder;
import org.stampede.fuzz.Allocation;

import com.code_intelligence.jazzer.junit.FuzzTest;

/**
 * The embedded tracker's side: what clients send it.
 * <p>
 * {@link #http}: the bytes an HTTP client sends, arriving in chunks, until {@link RequestHead#end} finds the end of
 * the head; {@link RequestHead#parse} (whose {@link RequestHead.Malformed} the server answers with a failure), then
 * {@link HttpTrackerHandler#handle}, which promises that nothing a client sends makes it throw. Every reply has a
 * known status, and a 200's body is a bencoded dict with a failure reason, peers, or files. The first byte chooses
 * the chunk size (one of {@link #CHUNKS}); the rest is the request.
 * <p>
 * {@link #udp}: a datagram (BEP 15) handed to {@link UdpTrackerServer#handle}, whose receive loop would only log
 * an exception at debug level: it must throw none, and a reply echoes the transaction id with a known action. The
 * connection id of a request other than connect is replaced by a valid one (a MAC with a random key, which no
 * fuzzer guesses), so that announces and scrapes get past it.
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

    @FuzzTest
    void udp(byte[] data) throws ReflectiveOperationException {
        if (data.length >= UdpTrackerServer.MAX_REQUEST) {
            return; // the receive loop drops these
        }
        long now = 1_000_000_000L;
        Swarms swarms = new Swarms(Duration.ofMinutes(30), 16, 16, () -> now, new Random(1));
        UdpTrackerServer server = new UdpTrackerServer(null, swarms, Duration.ofMinutes(30), 50, () -> now);
        ByteBuffer in = buffer(server, "in");
        ByteBuffer out = buffer(server, "out");
        in.clear();
        in.put(data).flip();
        if (data.length >= 12 && in.getInt(8) != UdpTrackerServer.CONNECT) {
            in.putLong(0, server.connectionId(SOURCE, Math.floorDiv(now, 60_000_000_000L)));
        }
        Allocation.bounded(data.length, 128, () -> {
            out.clear();
            if (server.handle(SOURCE)) {
                out.flip();
                assertTrue(out.remaining() >= 8, () -> "a reply of " + out.remaining() + " bytes");
                int action = out.getInt(0);
                assertTrue(action >= UdpTrackerServer.CONNECT && action <= UdpTrackerServer.ERROR, "action " + action);
                assertEquals(in.getInt(12), out.getInt(4), "the reply echoes the transaction id");
            }
        });
    }

    private static ByteBuffer buffer(UdpTrackerServer server, String name) throws ReflectiveOperationException {
        Field f = UdpTrackerServer.class.getDeclaredField(name); // the datagram and the reply of the receive loop
        f.setAccessible(true);
        return (ByteBuffer) f.get(server);
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
