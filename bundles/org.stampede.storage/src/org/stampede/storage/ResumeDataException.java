package org.stampede.storage;

/** Resume data that cannot be read: not bencode, a field missing or of the wrong type or size. */
public final class ResumeDataException extends Exception {
    private static final long serialVersionUID = 1L;

    public ResumeDataException(String message) {
        super(message);
    }

    public ResumeDataException(String message, Throwable cause) {
        super(message, cause);
    }
}
