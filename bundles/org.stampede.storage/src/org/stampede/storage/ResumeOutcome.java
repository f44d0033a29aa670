package org.stampede.storage;

import java.util.BitSet;

/**
 * How {@link FileStorage#resume} went.
 *
 * @param verified  the pieces known good now (trusted or checked)
 * @param trusted   pieces taken from the resume data without hashing
 * @param rechecked pieces hashed (or found missing) because their files changed or the resume data was unusable
 * @param problem   why not everything was trusted (no resume data, corrupt, for another torrent, files changed),
 *                  or null if nothing had to be rechecked
 */
public record ResumeOutcome(BitSet verified, int trusted, int rechecked, String problem) {

    public ResumeOutcome {
        verified = (BitSet) verified.clone();
    }

    @Override
    public BitSet verified() {
        return (BitSet) verified.clone();
    }
}
