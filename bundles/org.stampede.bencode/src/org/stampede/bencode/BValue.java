package org.stampede.bencode;

import org.osgi.annotation.versioning.ProviderType;

/**
 * A bencoded value: {@link BInteger}, {@link BString}, {@link BList} or {@link BDict}.
 * <p>
 * Values are immutable. A value produced by {@link BencodeDecoder} remembers where its encoding lies in
 * the decoded array ({@link #start()} inclusive, {@link #end()} exclusive; absolute indices into that
 * array); a value built in code has {@code -1} for both.
 * <p>
 * Equality is by content and ignores source positions. Dicts compare like {@link java.util.Map}s
 * (key order does not matter), lists element by element.
 */
@ProviderType
public sealed interface BValue permits BInteger, BString, BList, BDict {

    /** @return index of the first byte of this value's encoding in the decoded array, or -1 if built in code */
    int start();

    /** @return index just after the last byte of this value's encoding, or -1 if built in code */
    int end();

    /**
     * Returns the bytes this value was decoded from, exactly as they appeared in the input (a fresh copy),
     * or, for a value built in code, its {@link BencodeEncoder encoding}. This is what an info-hash must be
     * computed over.
     *
     * @return a new array
     */
    default byte[] rawBytes() {
        return BencodeEncoder.encode(this);
    }
}
