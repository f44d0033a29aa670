package org.stampede.bencode;

import java.util.Arrays;

/** A bencoded integer ({@code i<digits>e}), a signed 64-bit value. */
public final class BInteger implements BValue {
    private final byte[] src; // decoded input, null when built in code
    private final int start;
    private final int end;
    private final long value;

    BInteger(byte[] src, int start, int end, long value) {
        this.src = src;
        this.start = start;
        this.end = end;
        this.value = value;
    }

    /** @return an integer value built in code */
    public static BInteger of(long value) {
        return new BInteger(null, -1, -1, value);
    }

    /** @return the value */
    public long value() {
        return value;
    }

    @Override
    public int start() {
        return start;
    }

    @Override
    public int end() {
        return end;
    }

    @Override
    public byte[] rawBytes() {
        return src != null ? Arrays.copyOfRange(src, start, end) : BencodeEncoder.encode(this);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof BInteger other && other.value == value;
    }

    @Override
    public int hashCode() {
        return Long.hashCode(value);
    }

    @Override
    public String toString() {
        return Long.toString(value);
    }
}
