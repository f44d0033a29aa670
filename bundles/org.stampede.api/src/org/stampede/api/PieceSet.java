package org.stampede.api;

import org.osgi.annotation.versioning.ProviderType;

/**
 * A read-only set of piece indices (a bitfield), 0 to {@link #size()} - 1.
 *
 * @since 0.1
 */
@ProviderType
public interface PieceSet {
    /** The number of pieces the set ranges over (the torrent's piece count). */
    int size();

    boolean contains(int piece);

    /** How many pieces are in the set. */
    int count();

    /** The first piece at or after {@code from} in the set, or -1. */
    int nextSetBit(int from);

    default boolean isEmpty() {
        return count() == 0;
    }

    default boolean isFull() {
        return count() == size();
    }
}
