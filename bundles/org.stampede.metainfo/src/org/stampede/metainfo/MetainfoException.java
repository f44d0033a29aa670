package org.stampede.metainfo;

/**
 * Signals metainfo that cannot be accepted: a malformed or hostile magnet link, info-hash,
 * torrent file or file path.
 * <p>
 * The message always says <em>what</em> is wrong and <em>where</em> (which parameter, file or
 * path component), for example {@code "magnet: xt 'urn:btih:zz' is not 40 hex or 32 base32
 * characters"}. Untrusted text quoted in a message is escaped so that control and bidi
 * characters cannot disturb a log or terminal.
 */
public class MetainfoException extends Exception {
    private static final long serialVersionUID = 1L;

    /**
     * @param message what is wrong and where
     */
    public MetainfoException(String message) {
        super(message);
    }

    /**
     * @param message what is wrong and where
     * @param cause the underlying failure
     */
    public MetainfoException(String message, Throwable cause) {
        super(message, cause);
    }

    /** Longest stretch of untrusted text that {@link #quote} copies into a message. */
    static final int QUOTE_LIMIT = 120;

    /**
     * Quotes untrusted text for an error message: wraps it in single quotes, shortens it to
     * {@value #QUOTE_LIMIT} characters, and escapes backslash, quote, control characters
     * (C0, DEL, C1), Unicode format characters (bidi controls, zero-width characters),
     * line/paragraph separators and unpaired surrogates as a Java-style Unicode escape
     * (backslash, {@code u}, four hex digits).
     */
    static String quote(String untrusted) {
        if (untrusted == null) {
            return "null";
        }
        StringBuilder out = new StringBuilder(Math.min(untrusted.length(), QUOTE_LIMIT) + 8);
        out.append('\'');
        int n = Math.min(untrusted.length(), QUOTE_LIMIT);
        for (int i = 0; i < n; i++) {
            char c = untrusted.charAt(i);
            if (c == '\\' || c == '\'') {
                out.append('\\').append(c);
            } else if (needsEscape(untrusted, i)) {
                out.append(String.format("\\u%04X", (int) c));
            } else {
                out.append(c);
            }
        }
        out.append('\'');
        if (untrusted.length() > n) {
            out.append("... (").append(untrusted.length()).append(" characters)");
        }
        return out.toString();
    }

    private static boolean needsEscape(String s, int i) {
        char c = s.charAt(i);
        if (c < 0x20 || (c >= 0x7F && c <= 0x9F) || c == '\u2028' || c == '\u2029') {
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
}
