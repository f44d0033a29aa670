package org.stampede.tracker.internal;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import org.stampede.bencode.BDict;
import org.stampede.bencode.BInteger;
import org.stampede.bencode.BList;
import org.stampede.bencode.BString;
import org.stampede.bencode.BValue;
import org.stampede.bencode.BencodeDecoder;
import org.stampede.bencode.BencodeException;
import org.stampede.bencode.BencodeLimits;
import org.stampede.tracker.AnnounceResponse;
import org.stampede.tracker.ScrapeResponse;
import org.stampede.tracker.TrackerException;

/**
 * Interprets the body of an HTTP tracker's reply to an announce (BEP 3, 7, 23, 31) or scrape (BEP 48). Pure: no
 * I/O, so every hostile reply can be tested directly.
 */
final class HttpReplies {
    /** Largest reply body read; a bigger one is refused without being kept. */
    static final int MAX_BODY = 2 * 1024 * 1024;
    /** Longest {@code tracker id} echoed; a longer one is ignored rather than sent back in every URL. */
    static final int MAX_TRACKER_ID = 200;

    /**
     * Depth 8 covers every real reply (dict, list of peer dicts, a dict inside at most); the token limit allows a
     * 2 MiB reply of small peer dicts.
     */
    private static final BencodeDecoder DECODER = BencodeDecoder.lenient()
            .withLimits(new BencodeLimits(8, 200_000, MAX_BODY));

    /** What is known about an HTTP reply besides its body. */
    record Meta(int status, String contentType, Duration retryAfter) {
    }

    private HttpReplies() {
    }

    static AnnounceResponse announce(URI tracker, Meta meta, byte[] body, int len) throws TrackerException {
        BDict d = dict(tracker, meta, body, len);
        try {
            List<InetSocketAddress> peers = new ArrayList<>();
            BValue p = d.get("peers");
            if (p instanceof BString s) {
                Peers.compact(s.asReadOnlyBuffer(), Peers.IPV4_ENTRY, "peers", peers);
            } else if (p instanceof BList list) {
                nonCompact(list, peers);
            } else if (p != null) {
                throw new BadReply("'peers' is neither a string nor a list");
            }
            BValue p6 = d.get("peers6");
            if (p6 instanceof BString s) {
                Peers.compact(s.asReadOnlyBuffer(), Peers.IPV6_ENTRY, "peers6", peers);
            } else if (p6 != null) {
                throw new BadReply("'peers6' is not a string");
            }
            return new AnnounceResponse(AnnounceResponse.seconds(integer(d, "interval", 0)),
                    AnnounceResponse.seconds(integer(d, "min interval", 0)), peers, count(d, "complete"),
                    count(d, "incomplete"), text(d, "warning message"), trackerId(d));
        } catch (BadReply e) {
            throw new TrackerException(tracker, "bad announce reply: " + e.getMessage());
        }
    }

    static ScrapeResponse scrape(URI tracker, Meta meta, byte[] body, int len, List<byte[]> requested)
            throws TrackerException {
        BDict d = dict(tracker, meta, body, len);
        BValue files = d.get("files");
        if (!(files instanceof BDict f)) {
            throw new TrackerException(tracker, "bad scrape reply: " + (files == null ? "no 'files' dict"
                    : "'files' is not a dict"));
        }
        List<ScrapeResponse.Entry> entries = new ArrayList<>();
        for (byte[] hash : requested) {
            if (f.get(BString.of(hash)) instanceof BDict stats) {
                entries.add(new ScrapeResponse.Entry(hash, intOrZero(stats, "complete"), intOrZero(stats, "incomplete"),
                        intOrZero(stats, "downloaded")));
            }
        }
        return new ScrapeResponse(entries);
    }

    /** Decodes the body as a dict, or explains why it is not one; raises the tracker's failure reason. */
    private static BDict dict(URI tracker, Meta meta, byte[] body, int len) throws TrackerException {
        BValue v;
        try {
            v = DECODER.decodePrefix(body, 0, len);
        } catch (BencodeException e) {
            throw new TrackerException(tracker, notBencode(meta, body, len, e.getMessage()), meta.retryAfter(), null);
        }
        if (!(v instanceof BDict d)) {
            throw new TrackerException(tracker, notBencode(meta, body, len, "top-level value is not a dict"),
                    meta.retryAfter(), null);
        }
        BValue failure = d.get("failure reason");
        if (failure != null) {
            String reason = failure instanceof BString s ? s.asString() : String.valueOf(failure);
            Duration retry = retryIn(d);
            throw new TrackerException(tracker, "failure reason " + Text.quote(reason, Text.MAX_TRACKER_TEXT)
                    + (meta.status() >= 400 ? " (HTTP " + meta.status() + ")" : ""),
                    retry != null ? retry : meta.retryAfter(), null);
        }
        if (meta.status() >= 400) {
            throw new TrackerException(tracker, "HTTP " + meta.status(), meta.retryAfter(), null);
        }
        return d;
    }

    private static String notBencode(Meta meta, byte[] body, int len, String why) {
        StringBuilder sb = new StringBuilder();
        if (meta.status() >= 400) {
            sb.append("HTTP ").append(meta.status()).append(", ");
        }
        if (len == 0) {
            return sb.append("empty reply").toString();
        }
        sb.append(looksLikeHtml(body, len) ? "an HTML page, not a bencoded reply" : "reply is not bencode (" + why + ")");
        if (meta.contentType() != null) {
            sb.append(", content type ").append(Text.quote(meta.contentType(), 60));
        }
        return sb.append(", starts with ").append("'").append(Text.escape(body, 0, Math.min(len, 240), 60)
                .replace("'", "\\'")).append("'").toString();
    }

    private static boolean looksLikeHtml(byte[] body, int len) {
        int i = 0;
        while (i < len && i < 64 && (body[i] == ' ' || body[i] == '\t' || body[i] == '\r' || body[i] == '\n')) {
            i++;
        }
        return i < len && body[i] == '<';
    }

    /** BEP 31: {@code retry in} minutes; "never" and nonsense give no hint. */
    private static Duration retryIn(BDict d) {
        if (d.get("retry in") instanceof BInteger i && i.value() > 0) {
            return Duration.ofMinutes(Math.min(i.value(), 7 * 24 * 60));
        }
        return null;
    }

    /** Peers as a list of dicts with "ip" (numeric only: names are not resolved) and "port". */
    private static void nonCompact(BList list, List<InetSocketAddress> out) {
        for (BValue e : list) {
            if (out.size() >= Peers.MAX_PEERS) {
                return;
            }
            if (e instanceof BDict peer && peer.get("ip") instanceof BString ip
                    && peer.get("port") instanceof BInteger port && port.value() > 0 && port.value() <= 65535) {
                InetAddress a = Peers.literal(ip.asString());
                if (a != null) {
                    out.add(new InetSocketAddress(a, (int) port.value()));
                }
            }
        }
    }

    private static long integer(BDict d, String key, long absent) {
        return d.get(key) instanceof BInteger i ? i.value() : absent;
    }

    /** A count: an integer in int range that is not negative, else null. */
    private static Integer count(BDict d, String key) {
        if (d.get(key) instanceof BInteger i && i.value() >= 0) {
            return (int) Math.min(i.value(), Integer.MAX_VALUE);
        }
        return null;
    }

    private static int intOrZero(BDict d, String key) {
        Integer c = count(d, key);
        return c == null ? 0 : c;
    }

    private static String text(BDict d, String key) {
        return d.get(key) instanceof BString s ? Text.escape(s.asString(), Text.MAX_TRACKER_TEXT) : null;
    }

    /** The tracker id with each byte as one ISO-8859-1 char, so that a binary id is echoed unchanged. */
    private static String trackerId(BDict d) {
        if (d.get("tracker id") instanceof BString s && s.length() > 0 && s.length() <= MAX_TRACKER_ID) {
            return new String(s.bytes(), StandardCharsets.ISO_8859_1);
        }
        return null;
    }
}
