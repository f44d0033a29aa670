package org.stampede.api;

/**
 * Where one 16 KiB block of a piece stands.
 *
 * @since 0.1
 */
public enum BlockState {
    /** Neither requested nor received. */
    MISSING,
    /** Requested from at least one peer, not yet received. */
    REQUESTED,
    /** Received (written or being written); the piece may still fail its hash check. */
    RECEIVED
}
