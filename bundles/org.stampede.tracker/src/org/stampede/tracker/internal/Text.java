package org.stampede.tracker.internal;

import java.net.URI;
import java.nio.charset.StandardCharsets;

/** Renders untrusted text (tracker messages, URLs from torrent files) safely for messages and logs. */
public final class Text {
    /** Longest stretch of a tracker's own text that is copied into a message. */
    public static final int MAX_TRACKER_TEXT = 200;

    private Text() {
    }

    /**
     * Escapes backslash, control characters (C0, DEL, C1), Unicode format characters (bidi controls, zero-width
     * characters), line/paragraph separators and unpaired surrogates as {@code \\uXXXX}, and shortens the result to
     * {@code max} characters of the input (marked with {@code ...}).
     */
    public static String escape(String untrusted, int max) {
        if (untrusted == null) {
            return "null";
        }
        int n = Math.min(untrusted.length(), max);
        if (n > 0 && n < untrusted.length() && Character.isHighSurrogate(untrusted.charAt(n - 1))) {
            n--; // do not cut a surrogate pair in half
        }
        StringBuilder out = new StringBuilder(n + 8);
        for (int i = 0; i < n; i++) {
            char c = untrusted.charAt(i);
            if (c == '\\') {
                out.append("\\\\");
            } else if (needsEscape(untrusted, i, c)) {
                out.append(String.format("\\u%04X", (int) c));
            } else {
                out.append(c);
            }
        }
        if (n < untrusted.length()) {
            out.append("...");
        }
        return out.toString();
    }

    /** {@link #escape} of bytes decoded as UTF-8 (ill-formed sequences become U+FFFD), shortened to {@code max}. */
    public static String escape(byte[] untrusted, int off, int len, int max) {
        // decode a little more than max characters' worth of bytes at most, so a huge message costs nothing
        int take = Math.min(len, max * 4 + 4);
        String s = new String(untrusted, off, take, StandardCharsets.UTF_8);
        if (take < len && s.length() <= max) {
            return escape(s, max) + "...";
        }
        return escape(s, max);
    }

    /** {@link #escape} wrapped in single quotes (a quote inside is escaped too), for quoting a tracker's text. */
    public static String quote(String untrusted, int max) {
        return "'" + escape(untrusted, max).replace("'", "\\'") + "'";
    }

    private static boolean needsEscape(String s, int i, char c) {
        if (c < 0x20 || (c >= 0x7f && c <= 0x9f) || c == '\u2028' || c == '\u2029') {
            return true;
        }
        if (Character.isHighSurrogate(c)) {
            return i + 1 >= s.length() || !Character.isLowSurrogate(s.charAt(i + 1));
        }
        if (Character.isLowSurrogate(c)) {
            return i == 0 || !Character.isHighSurrogate(s.charAt(i - 1));
        }
        return Character.getType(c) == Character.FORMAT;
    }

    /**
     * Describes a tracker for a message: scheme, host, port and path, without the query and user info, which on
     * private trackers carry a personal passkey that must not end up in logs; path segments that look like such a
     * key (16 or more letters, digits, '-' or '_') are replaced by {@code <key>}. Escaped and shortened.
     */
    public static String tracker(URI url) {
        if (url == null) {
            return "(none)";
        }
        StringBuilder sb = new StringBuilder();
        if (url.getScheme() != null) {
            sb.append(url.getScheme()).append("://");
        }
        String host = url.getHost();
        if (host == null) {
            // opaque or unparsable authority: show what there is, minus the query
            String ssp = url.getRawSchemeSpecificPart();
            int q = ssp == null ? -1 : ssp.indexOf('?');
            sb.append(q >= 0 ? ssp.substring(0, q) : ssp);
            return escape(sb.toString(), 120);
        }
        sb.append(host);
        if (url.getPort() >= 0) {
            sb.append(':').append(url.getPort());
        }
        if (url.getRawPath() != null) {
            sb.append(redactTokens(url.getRawPath()));
        }
        if (url.getRawQuery() != null) {
            sb.append("?...");
        }
        return escape(sb.toString(), 120);
    }

    private static String redactTokens(String path) {
        StringBuilder out = new StringBuilder(path.length());
        int start = 0;
        while (start <= path.length()) {
            int slash = path.indexOf('/', start);
            int end = slash < 0 ? path.length() : slash;
            String segment = path.substring(start, end);
            out.append(looksLikeKey(segment) ? "<key>" : segment);
            if (slash < 0) {
                break;
            }
            out.append('/');
            start = slash + 1;
        }
        return out.toString();
    }

    private static boolean looksLikeKey(String segment) {
        if (segment.length() < 16) {
            return false;
        }
        for (int i = 0; i < segment.length(); i++) {
            char c = segment.charAt(i);
            if (!(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '-' || c == '_')) {
                return false;
            }
        }
        return true;
    }
}
