package org.stampede.bencode;

import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import java.util.Objects;

/** A bencoded list ({@code l<values>e}); immutable. */
public final class BList implements BValue, Iterable<BValue> {
    static final BValue[] NO_VALUES = new BValue[0];

    private final byte[] src; // decoded input, null when built in code
    private final int start;
    private final int end;
    private final BValue[] items;

    BList(byte[] src, int start, int end, BValue[] items) {
        this.src = src;
        this.start = start;
        this.end = end;
        this.items = items;
    }

    /** @return a list of the given values (copied; no nulls) */
    public static BList of(BValue... values) {
        return owning(values.clone());
    }

    /** @return a list of the given values (copied; no nulls) */
    public static BList of(List<? extends BValue> values) {
        return owning(values.toArray(new BValue[0]));
    }

    private static BList owning(BValue[] items) {
        for (BValue v : items) {
            Objects.requireNonNull(v, "list element");
        }
        return new BList(null, -1, -1, items.length == 0 ? NO_VALUES : items);
    }

    /** @return the elements, an unmodifiable list */
    public List<BValue> values() {
        return new ArrayView<>(items);
    }

    /** @return number of elements */
    public int size() {
        return items.length;
    }

    /** @return element {@code index} */
    public BValue get(int index) {
        return items[Objects.checkIndex(index, items.length)];
    }

    @Override
    public Iterator<BValue> iterator() {
        return values().iterator();
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

    BValue[] items() {
        return items;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof BList other && Arrays.equals(items, other.items);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(items);
    }

    @Override
    public String toString() {
        return values().toString();
    }
}
