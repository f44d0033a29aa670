package org.stampede.tracker.internal;

import java.io.IOException;
import java.net.ConnectException;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import org.stampede.tracker.AnnounceRequest;
import org.stampede.tracker.AnnounceResponse;
import org.stampede.tracker.ScrapeResponse;
import org.stampede.tracker.TrackerClient;
import org.stampede.tracker.TrackerException;

/**
 * An HTTP(S) tracker (BEP 3, 7, 23, 48) over {@link HttpClient}. The binary info-hash and peer id are sent with
 * every byte that is not unreserved percent-encoded; the reply is read into memory up to
 * {@link HttpReplies#MAX_BODY} bytes and interpreted by {@link HttpReplies}.
 */
final class HttpTrackerClient implements TrackerClient {
    static final String USER_AGENT = "Stampede/0.1.0";

    private final HttpClient http;
    private final URI announceUrl;
    private final URI scrapeUrl;
    private final Duration requestTimeout;
    private final int maxBody;

    HttpTrackerClient(HttpClient http, URI announceUrl, Duration requestTimeout, int maxBody) {
        this.http = http;
        this.announceUrl = announceUrl;
        this.scrapeUrl = scrapeUrl(announceUrl);
        this.requestTimeout = requestTimeout;
        this.maxBody = maxBody;
    }

    @Override
    public AnnounceResponse announce(AnnounceRequest request) throws TrackerException {
        URI uri = withQuery(announceUrl, announceQuery(request));
        Reply r = get(announceUrl, uri);
        return HttpReplies.announce(announceUrl, r.meta, r.body.data(), r.body.length());
    }

    @Override
    public ScrapeResponse scrape(List<byte[]> infoHashes) throws TrackerException {
        checkScrapeHashes(infoHashes);
        if (scrapeUrl == null) {
            throw new TrackerException(announceUrl, "cannot scrape: the announce URL's last path segment does not"
                    + " start with 'announce' (BEP 48)");
        }
        StringBuilder q = new StringBuilder(infoHashes.size() * 72);
        for (byte[] h : infoHashes) {
            q.append(q.isEmpty() ? "" : "&").append("info_hash=");
            percentEncode(h, q);
        }
        Reply r = get(announceUrl, withQuery(scrapeUrl, q.toString()));
        return HttpReplies.scrape(announceUrl, r.meta, r.body.data(), r.body.length(), infoHashes);
    }

    @Override
    public boolean supportsScrape() {
        return scrapeUrl != null;
    }

    static void checkScrapeHashes(List<byte[]> infoHashes) {
        if (infoHashes.isEmpty() || infoHashes.size() > MAX_SCRAPE_HASHES) {
            throw new IllegalArgumentException("scrape takes 1.." + MAX_SCRAPE_HASHES + " info-hashes, not "
                    + infoHashes.size());
        }
        for (byte[] h : infoHashes) {
            if (h.length != 20) {
                throw new IllegalArgumentException("info-hash must be 20 bytes, not " + h.length);
            }
        }
    }

    private record Reply(HttpReplies.Meta meta, BoundedBody.Bytes body) {
    }

    private Reply get(URI tracker, URI uri) throws TrackerException {
        HttpRequest req = HttpRequest.newBuilder(uri).timeout(requestTimeout).header("User-Agent", USER_AGENT)
                .header("Accept-Encoding", "identity").GET().build();
        CompletableFuture<HttpResponse<BoundedBody.Bytes>> f = http.sendAsync(req, BoundedBody.handler(maxBody));
        HttpResponse<BoundedBody.Bytes> resp;
        try {
            // the request timeout covers the wait for the headers; this bounds the body too
            resp = f.get(requestTimeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            f.cancel(true);
            throw new TrackerException(tracker, "no complete reply within " + seconds(requestTimeout));
        } catch (InterruptedException e) {
            f.cancel(true);
            Thread.currentThread().interrupt();
            throw new TrackerException(tracker, "interrupted", e);
        } catch (ExecutionException e) {
            throw failure(tracker, e.getCause());
        }
        String type = resp.headers().firstValue("Content-Type").orElse(null);
        return new Reply(new HttpReplies.Meta(resp.statusCode(), type, retryAfter(resp)), resp.body());
    }

    private TrackerException failure(URI tracker, Throwable cause) {
        for (Throwable t = cause; t != null; t = t.getCause()) {
            if (t instanceof BoundedBody.TooLarge tl) {
                return new TrackerException(tracker, "reply larger than " + tl.limit + " bytes, refused", cause);
            }
            if (t instanceof HttpConnectTimeoutException) {
                return new TrackerException(tracker, "cannot connect within the connect timeout", cause);
            }
            if (t instanceof HttpTimeoutException) {
                return new TrackerException(tracker, "no reply within " + seconds(requestTimeout), cause);
            }
            if (t instanceof ConnectException) {
                String why = t.getMessage() == null ? "" : " (" + Text.escape(t.getMessage(), 100) + ")";
                return new TrackerException(tracker, "cannot connect" + why, cause);
            }
        }
        String what = cause instanceof IOException ? "I/O error" : "request failed";
        return new TrackerException(tracker, what + ": " + Text.escape(String.valueOf(cause), 200), cause);
    }

    /** HTTP Retry-After in seconds (the date form is not used by trackers and is ignored). */
    private static Duration retryAfter(HttpResponse<?> resp) {
        String v = resp.headers().firstValue("Retry-After").orElse(null);
        if (v == null || v.isEmpty() || v.length() > 9) {
            return null;
        }
        for (int i = 0; i < v.length(); i++) {
            if (v.charAt(i) < '0' || v.charAt(i) > '9') {
                return null;
            }
        }
        long s = Long.parseLong(v);
        return s > 0 ? Duration.ofSeconds(Math.min(s, 7 * 24 * 3600)) : null;
    }

    private static String seconds(Duration d) {
        return d.toMillis() % 1000 == 0 ? d.toSeconds() + " s" : d.toMillis() + " ms";
    }

    /** The query of an announce (without '?'); binary values percent-encoded byte by byte. */
    static String announceQuery(AnnounceRequest r) {
        StringBuilder q = new StringBuilder(256);
        q.append("info_hash=");
        percentEncode(r.infoHash(), q);
        q.append("&peer_id=");
        percentEncode(r.peerId(), q);
        q.append("&port=").append(r.port());
        q.append("&uploaded=").append(r.uploaded());
        q.append("&downloaded=").append(r.downloaded());
        q.append("&left=").append(r.left());
        q.append("&compact=").append(r.compact() ? '1' : '0');
        if (r.numWant() >= 0) {
            q.append("&numwant=").append(r.numWant());
        }
        q.append("&key=").append(String.format(Locale.ROOT, "%08X", r.key()));
        if (r.event() != AnnounceRequest.Event.NONE) {
            q.append("&event=").append(r.event().httpName());
        }
        if (r.ip() != null) {
            q.append("&ip=");
            percentEncode(address(r.ip()).getBytes(StandardCharsets.US_ASCII), q);
        }
        if (r.ipv6() != null) {
            q.append("&ipv6=");
            percentEncode(address(r.ipv6()).getBytes(StandardCharsets.US_ASCII), q);
        }
        if (r.trackerId() != null) {
            q.append("&trackerid=");
            percentEncode(r.trackerId().getBytes(StandardCharsets.ISO_8859_1), q);
        }
        return q.toString();
    }

    private static String address(InetAddress a) {
        String s = a.getHostAddress();
        int scope = a instanceof Inet6Address ? s.indexOf('%') : -1;
        return scope >= 0 ? s.substring(0, scope) : s;
    }

    private static final char[] HEX = "0123456789ABCDEF".toCharArray();

    /** Appends {@code bytes} with every byte that is not unreserved (RFC 3986: ALPHA DIGIT - . _ ~) as %XX. */
    static void percentEncode(byte[] bytes, StringBuilder out) {
        for (byte b : bytes) {
            int c = b & 0xff;
            if (c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '-' || c == '.'
                    || c == '_' || c == '~') {
                out.append((char) c);
            } else {
                out.append('%').append(HEX[c >> 4]).append(HEX[c & 15]);
            }
        }
    }

    /** {@code base} with {@code query} appended to its own query (passkeys stay), fragment dropped. */
    static URI withQuery(URI base, String query) {
        StringBuilder sb = new StringBuilder(base.getScheme()).append("://").append(base.getRawAuthority());
        String path = base.getRawPath();
        sb.append(path == null || path.isEmpty() ? "/" : path);
        sb.append('?');
        if (base.getRawQuery() != null && !base.getRawQuery().isEmpty()) {
            sb.append(base.getRawQuery()).append('&');
        }
        return URI.create(sb.append(query).toString());
    }

    /**
     * The BEP 48 convention: the scrape URL is the announce URL with the last path segment's leading
     * {@code announce} replaced by {@code scrape} ({@code /announce.php?k=1} becomes {@code /scrape.php?k=1}).
     *
     * @return the scrape URL, or null if the last segment does not start with {@code announce}
     */
    static URI scrapeUrl(URI announce) {
        String path = announce.getRawPath();
        if (path == null) {
            return null;
        }
        int slash = path.lastIndexOf('/');
        if (!path.startsWith("announce", slash + 1)) {
            return null;
        }
        String scrapePath = path.substring(0, slash + 1) + "scrape" + path.substring(slash + 1 + "announce".length());
        StringBuilder sb = new StringBuilder(announce.getScheme()).append("://").append(announce.getRawAuthority())
                .append(scrapePath);
        if (announce.getRawQuery() != null) {
            sb.append('?').append(announce.getRawQuery());
        }
        return URI.create(sb.toString());
    }
}
