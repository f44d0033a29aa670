package org.stampede.bencode;

/**
 * Signals malformed bencode, a violated {@link BencodeLimits limit}, or a value of the wrong type.
 * <p>
 * {@link #offset()} is the index, in the byte array that was decoded, of the offending byte
 * (or of the start of the offending value); it is {@code -1} when no source position applies.
 */
public final class BencodeException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final String reason;
    private final long offset;

    /**
     * @param reason what is wrong, without position information
     * @param offset index of the offending byte in the decoded array, or -1
     */
    public BencodeException(String reason, long offset) {
        super(reason + " at offset " + offset);
        this.reason = reason;
        this.offset = offset;
    }

    /** @return index of the offending byte in the decoded array, or -1 if unknown */
    public long offset() {
        return offset;
    }

    /** @return the reason, without position information */
    public String reason() {
        return reason;
    }

    /** @return {@code reason() + " at offset " + offset()} */
    @Override
    public String getMessage() {
        return reason + " at offset " + offset;
    }
}
