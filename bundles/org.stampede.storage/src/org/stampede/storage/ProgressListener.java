package org.stampede.storage;

import org.osgi.annotation.versioning.ConsumerType;

/**
 * Hears how far a hash check has come. Called on a disk thread after each piece, with strictly increasing
 * {@code checked} counts (never two calls at once for one check); it must be quick and must not block. An exception
 * thrown by the listener fails the check.
 */
@ConsumerType
@FunctionalInterface
public interface ProgressListener {

    /** Ignores progress. */
    ProgressListener NONE = (checked, total) -> {
    };

    /**
     * @param checked pieces hashed (or found missing) so far
     * @param total   pieces this check will look at
     */
    void progress(int checked, int total);
}
