package org.stampede.tracker.server.internal;

import java.nio.charset.StandardCharsets;

/**
 * The head of an HTTP/1.x request as far as a tracker needs it: the request line's method and its target split into
 * the raw (still percent-encoded) path and query. Header fields are skipped: a tracker request needs none. Lenient
 * where clients differ (bare LF line ends, HTTP/1.0, an absolute-form target such as a proxy sends), strict about
 * the shape of the request line. The size of a head is bounded by the caller.
 *
 * @param method   the request method, e.g. {@code GET}
 * @param rawPath  the target's path, e.g. {@code /announce}
 * @param rawQuery what follows the first {@code ?} of the target, or null when there is no {@code ?}
 */
record RequestHead(String method, String rawPath, String rawQuery) {

    /** A request line that is not HTTP; the message goes back to the client. */
    static final class Malformed extends Exception {
        private static final long serialVersionUID = 1L;

        Malformed(String message) {
            super(message, null, false, false);
        }
    }

    /**
     * Where the head ends: just past the empty line after the header fields ({@code \r\n\r\n} or {@code \n\n}).
     * Scans {@code b[from..to)} only, looking back into what was scanned before, so that bytes arriving one by one
     * are each looked at once.
     *
     * @return the length of the head, or -1 if {@code b[0..to)} does not hold a whole head yet
     */
    static int end(byte[] b, int from, int to) {
        for (int i = Math.max(from, 1); i < to; i++) {
            if (b[i] == '\n' && (b[i - 1] == '\n' || b[i - 1] == '\r' && i >= 2 && b[i - 2] == '\n')) {
                return i + 1;
            }
        }
        return -1;
    }

    /**
     * Parses the request line at the start of {@code b[0..length)}.
     *
     * @throws Malformed if it is not {@code METHOD SP target SP HTTP/d.d}
     */
    static RequestHead parse(byte[] b, int length) throws Malformed {
        int eol = 0;
        while (eol < length && b[eol] != '\n') {
            eol++;
        }
        int lineEnd = eol > 0 && b[eol - 1] == '\r' ? eol - 1 : eol;
        String line = new String(b, 0, lineEnd, StandardCharsets.ISO_8859_1);
        int sp1 = line.indexOf(' ');
        int sp2 = line.lastIndexOf(' ');
        if (sp1 <= 0 || sp2 <= sp1 + 1) {
            throw new Malformed("not an HTTP request line");
        }
        String method = line.substring(0, sp1);
        for (int i = 0; i < method.length(); i++) {
            char c = method.charAt(i);
            if (c < 'A' || c > 'Z') {
                throw new Malformed("not an HTTP request line");
            }
        }
        String version = line.substring(sp2 + 1);
        if (version.length() != 8 || !version.startsWith("HTTP/") || !digit(version.charAt(5))
                || version.charAt(6) != '.' || !digit(version.charAt(7))) {
            throw new Malformed("not an HTTP/1.x request");
        }
        String target = line.substring(sp1 + 1, sp2);
        if (target.startsWith("http://") || target.startsWith("https://")) { // absolute-form: drop scheme and host
            int i = target.indexOf("://") + 3;
            while (i < target.length() && target.charAt(i) != '/' && target.charAt(i) != '?') {
                i++;
            }
            target = i < target.length() && target.charAt(i) == '/' ? target.substring(i) : "/" + target.substring(i);
        }
        int q = target.indexOf('?');
        return q < 0 ? new RequestHead(method, target, null)
                : new RequestHead(method, target.substring(0, q), target.substring(q + 1));
    }

    private static boolean digit(char c) {
        return c >= '0' && c <= '9';
    }
}
