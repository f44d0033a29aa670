package org.stampede.engine.internal;

/** A peer broke the protocol: its connection is closed with this as the reason. */
final class Violation extends RuntimeException {
    private static final long serialVersionUID = 1L;

    Violation(String message) {
        super(message, null, false, false);
    }
}
