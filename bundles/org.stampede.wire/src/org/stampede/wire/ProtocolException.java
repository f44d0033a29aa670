package org.stampede.wire;

/**
 * Signals that a peer broke the wire protocol: a malformed handshake, a frame longer than allowed, a message of the
 * wrong length, an index or block outside the torrent, a message of an extension that was not negotiated, a garbled
 * extension handshake. The connection cannot continue and should be closed.
 * <p>
 * The message names the message and the rule broken, for example
 * {@code "request: length 16385 larger than 16 KiB (BEP 3)"}. Text that came from the peer is escaped (see
 * {@link #quote(byte[], int, int)}) so it cannot disturb a log or a terminal.
 */
public class ProtocolException extends Exception {
    private static final long serialVersionUID = 1L;

    /** Most bytes of peer data that {@link #quote(byte[], int, int)} copies into a message. */
    static final int QUOTE_LIMIT = 64;

    /**
     * @param message what the peer did wrong and which rule that breaks
     */
    public ProtocolException(String message) {
        super(message);
    }

    /**
     * @param message what the peer did wrong and which rule that breaks
     * @param cause the underlying failure (for example a bencode error)
     */
    public ProtocolException(String message, Throwable cause) {
        super(message, cause);
    }

    /**
     * Quotes peer bytes for a message: printable ASCII as is, everything else (and quote and backslash) as
     * {@code \xNN}, at most {@value #QUOTE_LIMIT} bytes, in single quotes.
     */
    static String quote(byte[] b, int off, int len) {
        int n = Math.min(len, QUOTE_LIMIT);
        StringBuilder sb = new StringBuilder(n + 8).append('\'');
        for (int i = 0; i < n; i++) {
            int c = b[off + i] & 0xff;
            if (c >= 0x20 && c < 0x7f && c != '\\' && c != '\'') {
                sb.append((char) c);
            } else {
                sb.append("\\x").append(Character.forDigit(c >>> 4, 16)).append(Character.forDigit(c & 15, 16));
            }
        }
        if (len > n) {
            sb.append("...");
        }
        return sb.append('\'').toString();
    }
}
