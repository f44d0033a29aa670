package org.stampede.tracker.server.internal;

import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import org.stampede.bencode.BDict;
import org.stampede.bencode.BList;
import org.stampede.bencode.BString;
import org.stampede.bencode.BValue;
import org.stampede.bencode.BencodeEncoder;

/**
 * Serves {@code /announce} (BEP 3, 7, 23) and {@code /scrape} (BEP 48), without the HTTP plumbing (that is
 * {@link HttpTrackerServer}'s). A request that cannot be served gets a bencoded {@code failure reason} with HTTP 200:
 * libtorrent (and the clients modelled on it) read a tracker's body only when the status is 200, so any other status
 * would hide the reason. A method other than GET gets a 405 and an unknown path a 404. Nothing a client sends can
 * make the handler throw. Thread-safe.
 */
public final class HttpTrackerHandler {

    /**
     * What goes back to the client.
     *
     * @param status      the HTTP status
     * @param contentType the body's type
     * @param body        the body
     */
    public record Response(int status, String contentType, byte[] body) {
    }

    private final Swarms swarms;
    private final long intervalSeconds;
    private final int maxNumWant;

    public HttpTrackerHandler(Swarms swarms, Duration interval, int maxNumWant) {
        this.swarms = swarms;
        this.intervalSeconds = Math.max(1, interval.toSeconds());
        this.maxNumWant = maxNumWant;
    }

    /** A bencoded {@code failure reason} with {@code status}. */
    public static Response failure(int status, String reason) {
        return new Response(status, "text/plain",
                BencodeEncoder.encode(BDict.builder().put("failure reason", reason).build()));
    }

    /**
     * The reply to one request.
     *
     * @param rawPath  the request target's path, still percent-encoded
     * @param rawQuery the target's query, still percent-encoded, or null
     * @param source   the address the request came from
     */
    public Response handle(String method, String rawPath, String rawQuery, InetAddress source) {
        if (!"GET".equals(method)) {
            return new Response(405, "text/plain", "only GET\n".getBytes(StandardCharsets.US_ASCII));
        }
        BDict reply;
        try {
            Query q = Query.parse(rawQuery);
            if ("/announce".equals(rawPath)) {
                reply = announce(q, source);
            } else if ("/scrape".equals(rawPath)) {
                reply = scrape(q);
            } else {
                return new Response(404, "text/plain", "not found\n".getBytes(StandardCharsets.US_ASCII));
            }
        } catch (Query.Malformed | Swarms.Refused e) {
            return failure(200, e.getMessage());
        }
        return new Response(200, "text/plain", BencodeEncoder.encode(reply));
    }

    private BDict announce(Query q, InetAddress source) throws Query.Malformed, Swarms.Refused {
        byte[] infoHash = twenty(q, "info_hash");
        byte[] peerId = twenty(q, "peer_id");
        int port = (int) q.number("port", -1, 1, 65535);
        if (port < 0) {
            throw new Query.Malformed("missing port");
        }
        q.number("uploaded", 0, 0, Long.MAX_VALUE);
        q.number("downloaded", 0, 0, Long.MAX_VALUE);
        long left = q.number("left", -1, 0, Long.MAX_VALUE);
        long numWant = q.number("numwant", -1, Long.MIN_VALUE, Long.MAX_VALUE);
        int want = numWant < 0 ? maxNumWant : (int) Math.min(numWant, maxNumWant);
        boolean compact = !"0".equals(q.text("compact"));
        boolean noPeerId = "1".equals(q.text("no_peer_id"));
        Swarms.Event event = switch (q.text("event") == null ? "" : q.text("event")) {
            case "", "empty", "paused" -> Swarms.Event.NONE;
            case "started" -> Swarms.Event.STARTED;
            case "completed" -> Swarms.Event.COMPLETED;
            case "stopped" -> Swarms.Event.STOPPED;
            default -> throw new Query.Malformed("invalid event");
        };
        // another address only for tests on one machine: a loopback one
        InetAddress given = Addresses.loopbackLiteral(q.text("ip"));
        InetAddress address = given != null ? given : source;
        Swarms.Reply r = swarms.announce(new Swarms.Announce(infoHash, peerId, address, port, left, event, want,
                Swarms.Family.ANY));

        BDict.Builder b = BDict.builder().put("interval", intervalSeconds)
                .put("min interval", Math.max(1, intervalSeconds / 2)).put("complete", r.counts().complete())
                .put("incomplete", r.counts().incomplete()).put("downloaded", r.counts().downloaded());
        if (compact) {
            b.put("peers", concat(r.peers(), true));
            byte[] v6 = concat(r.peers(), false);
            if (v6.length > 0) {
                b.put("peers6", v6);
            }
        } else {
            List<BValue> list = new ArrayList<>(r.peers().size());
            for (Swarms.Peer p : r.peers()) {
                BDict.Builder pd = BDict.builder().put("ip", p.endpoint().getAddress().getHostAddress())
                        .put("port", p.endpoint().getPort());
                if (!noPeerId) {
                    pd.put("peer id", BString.of(p.peerId()));
                }
                list.add(pd.build());
            }
            b.put("peers", BList.of(list));
        }
        return b.build();
    }

    private BDict scrape(Query q) throws Query.Malformed {
        List<byte[]> hashes = q.all("info_hash");
        if (hashes.isEmpty()) {
            throw new Query.Malformed("scrape needs info_hash (a full scrape is not offered)");
        }
        if (hashes.size() > 74) {
            throw new Query.Malformed("at most 74 info_hash per scrape");
        }
        BDict.Builder files = BDict.builder();
        List<BString> seen = new ArrayList<>();
        for (byte[] h : hashes) {
            if (h.length != 20) {
                throw new Query.Malformed("invalid info_hash");
            }
            BString key = BString.of(h);
            if (seen.contains(key)) {
                continue;
            }
            seen.add(key);
            Swarms.Counts c = swarms.scrape(h);
            if (c == null) {
                c = Swarms.Counts.NONE;
            }
            files.put(key, BDict.builder().put("complete", c.complete()).put("incomplete", c.incomplete())
                    .put("downloaded", c.downloaded()).build());
        }
        return BDict.builder().put("files", files.build()).build();
    }

    private static byte[] twenty(Query q, String name) throws Query.Malformed {
        byte[] v = q.first(name);
        if (v == null) {
            throw new Query.Malformed("missing " + name);
        }
        if (v.length != 20) {
            throw new Query.Malformed("invalid " + name + ": " + v.length + " bytes, not 20");
        }
        return v;
    }

    private static byte[] concat(List<Swarms.Peer> peers, boolean ipv4) {
        int n = 0;
        for (Swarms.Peer p : peers) {
            if (p.ipv4() == ipv4) {
                n += p.compact().length;
            }
        }
        byte[] out = new byte[n];
        int at = 0;
        for (Swarms.Peer p : peers) {
            if (p.ipv4() == ipv4) {
                System.arraycopy(p.compact(), 0, out, at, p.compact().length);
                at += p.compact().length;
            }
        }
        return out;
    }
}
