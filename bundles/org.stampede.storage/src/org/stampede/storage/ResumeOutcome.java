package org.stampede.storage;

import java.util.BitSet;

/**
 * How {@link FileStorage#resume} went. Every piece in {@code verified} was either hashed by the resume or trusted
 * from resume data that passed all the checks of {@link ResumeData} (checksum, torrent, files, spot check).
 *
 * @param verified    the pieces known good now (trusted or checked)
 * @param trusted     pieces taken from the resume data without hashing
 * @param spotChecked pieces the resume data records as verified that were hashed to test it (see
 *                    {@link ResumeData}); if one failed, nothing was trusted
 * @param rechecked   the other pieces hashed (or found missing): those of files that changed, or all of them when
 *                    the resume data was not used
 * @param problem     why not everything was trusted (no resume data, damaged, of an old format, for another torrent,
 *                    files changed, a spot-checked piece bad), as a sentence that ends with what was rechecked; or
 *                    null if nothing had to be rechecked
 */
public record ResumeOutcome(BitSet verified, int trusted, int spotChecked, int rechecked, String problem) {

    public ResumeOutcome {
        verified = (BitSet) verified.clone();
    }

    /**
     * An outcome without a spot check (as before it existed), kept for callers built against version 0.1.
     *
     * @deprecated use the canonical constructor, which counts the pieces spot-checked
     */
    @Deprecated
    public ResumeOutcome(BitSet verified, int trusted, int rechecked, String problem) {
        this(verified, trusted, 0, rechecked, problem);
    }

    @Override
    public BitSet verified() {
        return (BitSet) verified.clone();
    }
}
