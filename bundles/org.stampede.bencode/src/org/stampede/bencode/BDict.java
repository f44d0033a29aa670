package org.stampede.bencode;

import java.util.AbstractMap;
import java.util.AbstractSet;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Objects;
import java.util.Set;

/**
 * A bencoded dictionary ({@code d<key><value>...e}); immutable. Keys are {@link BString}s and unique.
 * <p>
 * Iteration order is the order of the source: for a decoded dict the order in the input (which lenient
 * decoding allows to be unsorted), for a dict from {@link #builder()} the bencode order (keys sorted by
 * unsigned bytes). Lookups are binary searches and do not depend on that order.
 * <p>
 * The typed getters return {@code null} when the key is absent and throw a {@link BencodeException}
 * whose offset is the value's {@link BValue#start()} when the value has another type.
 */
public final class BDict implements BValue {
    private final byte[] src; // decoded input, null when built in code
    private final int start;
    private final int end;
    private final BString[] keys;
    private final BValue[] values;
    private final int[] order; // indices in key order; null when keys are already sorted
    private Map<BString, BValue> entriesView;

    BDict(byte[] src, int start, int end, BString[] keys, BValue[] values, int[] order) {
        this.src = src;
        this.start = start;
        this.end = end;
        this.keys = keys;
        this.values = values;
        this.order = order;
    }

    /** @return a new builder; see {@link Builder} */
    public static Builder builder() {
        return new Builder();
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

    /** @return number of entries */
    public int size() {
        return keys.length;
    }

    /** @return whether there are no entries */
    public boolean isEmpty() {
        return keys.length == 0;
    }

    /** @return the keys in dict order, an unmodifiable list */
    public List<BString> keys() {
        return new ArrayView<>(keys);
    }

    /** @return the keys in dict order, an unmodifiable set */
    public Set<BString> keySet() {
        return entries().keySet();
    }

    /** @return the entries in dict order, an unmodifiable map */
    public Map<BString, BValue> entries() {
        Map<BString, BValue> m = entriesView;
        if (m == null) {
            m = new EntriesView();
            entriesView = m;
        }
        return m;
    }

    /** @return whether {@code key} (as UTF-8) is present */
    public boolean containsKey(String key) {
        return indexOf(key) >= 0;
    }

    /** @return whether {@code key} is present */
    public boolean containsKey(BString key) {
        return indexOf(key) >= 0;
    }

    /** @return the value for {@code key} (as UTF-8), or null */
    public BValue get(String key) {
        int i = indexOf(key);
        return i < 0 ? null : values[i];
    }

    /** @return the value for {@code key}, or null */
    public BValue get(BString key) {
        int i = indexOf(key);
        return i < 0 ? null : values[i];
    }

    /** @return the dict under {@code key}, or null if absent */
    public BDict getDict(String key) {
        BValue v = get(key);
        if (v == null || v instanceof BDict) {
            return (BDict) v;
        }
        throw wrongType(key, v, "a dictionary");
    }

    /** @return the list under {@code key}, or null if absent */
    public BList getList(String key) {
        BValue v = get(key);
        if (v == null || v instanceof BList) {
            return (BList) v;
        }
        throw wrongType(key, v, "a list");
    }

    /** @return the string under {@code key}, or null if absent */
    public BString getString(String key) {
        BValue v = get(key);
        if (v == null || v instanceof BString) {
            return (BString) v;
        }
        throw wrongType(key, v, "a string");
    }

    /** @return the integer under {@code key}, or null if absent */
    public Long getLong(String key) {
        BValue v = get(key);
        if (v == null) {
            return null;
        }
        if (v instanceof BInteger i) {
            return i.value();
        }
        throw wrongType(key, v, "an integer");
    }

    /**
     * @return the string under {@code key} decoded as UTF-8 with ill-formed sequences replaced by U+FFFD
     *         (see {@link BString#asString()}), or null if absent; use {@link #getString(String)} and
     *         {@link BString#asStrictUtf8()} to reject ill-formed text instead
     */
    public String getText(String key) {
        BString s = getString(key);
        return s == null ? null : s.asString();
    }

    private static BencodeException wrongType(String key, BValue v, String expected) {
        return new BencodeException("key " + BString.of(key).quoted() + " must be " + expected, v.start());
    }

    BString[] keyArray() {
        return keys;
    }

    BValue[] valueArray() {
        return values;
    }

    private int sortedAt(int i) {
        return order == null ? i : order[i];
    }

    private int indexOf(String key) {
        int lo = 0;
        int hi = keys.length - 1;
        while (lo <= hi) {
            int mid = (lo + hi) >>> 1;
            int idx = sortedAt(mid);
            int c = keys[idx].compareToText(key);
            if (c < 0) {
                lo = mid + 1;
            } else if (c > 0) {
                hi = mid - 1;
            } else {
                return idx;
            }
        }
        return -1;
    }

    private int indexOf(BString key) {
        int lo = 0;
        int hi = keys.length - 1;
        while (lo <= hi) {
            int mid = (lo + hi) >>> 1;
            int idx = sortedAt(mid);
            int c = keys[idx].compareTo(key);
            if (c < 0) {
                lo = mid + 1;
            } else if (c > 0) {
                hi = mid - 1;
            } else {
                return idx;
            }
        }
        return -1;
    }

    /**
     * @return the indices of {@code keys} ordered by key (stable merge sort), or null if they already are
     *         in non-decreasing order
     */
    static int[] sortedOrder(BString[] keys) {
        int n = keys.length;
        boolean sorted = true;
        for (int i = 1; i < n && sorted; i++) {
            sorted = keys[i - 1].compareTo(keys[i]) <= 0;
        }
        if (sorted) {
            return null;
        }
        int[] a = new int[n];
        for (int i = 0; i < n; i++) {
            a[i] = i;
        }
        int[] tmp = new int[n];
        for (int width = 1; width < n; width *= 2) {
            for (int lo = 0; lo < n - width; lo += 2 * width) {
                int mid = lo + width;
                int hi = Math.min(lo + 2 * width, n);
                if (keys[a[mid - 1]].compareTo(keys[a[mid]]) <= 0) {
                    continue; // runs already in order
                }
                int i = lo;
                int j = mid;
                int k = lo;
                while (i < mid && j < hi) {
                    tmp[k++] = keys[a[j]].compareTo(keys[a[i]]) < 0 ? a[j++] : a[i++];
                }
                while (i < mid) {
                    tmp[k++] = a[i++];
                }
                while (j < hi) {
                    tmp[k++] = a[j++];
                }
                System.arraycopy(tmp, lo, a, lo, hi - lo);
            }
        }
        return a;
    }

    /**
     * @param order as returned by {@link #sortedOrder}
     * @return the smallest index of a key that equals an earlier key, or -1 if all keys are unique
     */
    static int firstDuplicate(BString[] keys, int[] order) {
        int dup = -1;
        for (int i = 1; i < keys.length; i++) {
            int prev = order == null ? i - 1 : order[i - 1];
            int cur = order == null ? i : order[i];
            if (keys[prev].equals(keys[cur])) {
                int later = Math.max(prev, cur); // the stable sort keeps equal keys in source order
                if (dup < 0 || later < dup) {
                    dup = later;
                }
            }
        }
        return dup;
    }

    @Override
    public boolean equals(Object o) {
        if (o == this) {
            return true;
        }
        if (!(o instanceof BDict other) || other.keys.length != keys.length) {
            return false;
        }
        for (int i = 0; i < keys.length; i++) {
            int j = other.indexOf(keys[i]);
            if (j < 0 || !values[i].equals(other.values[j])) {
                return false;
            }
        }
        return true;
    }

    @Override
    public int hashCode() {
        int h = 0;
        for (int i = 0; i < keys.length; i++) {
            h += keys[i].hashCode() ^ values[i].hashCode();
        }
        return h;
    }

    @Override
    public String toString() {
        return entries().toString();
    }

    private final class EntriesView extends AbstractMap<BString, BValue> {
        private Set<Map.Entry<BString, BValue>> entrySet;

        @Override
        public int size() {
            return keys.length;
        }

        @Override
        public boolean containsKey(Object key) {
            return key instanceof BString s && indexOf(s) >= 0;
        }

        @Override
        public BValue get(Object key) {
            return key instanceof BString s ? BDict.this.get(s) : null;
        }

        @Override
        public Set<Map.Entry<BString, BValue>> entrySet() {
            Set<Map.Entry<BString, BValue>> es = entrySet;
            if (es == null) {
                es = new AbstractSet<>() {
                    @Override
                    public Iterator<Map.Entry<BString, BValue>> iterator() {
                        return new Iterator<>() {
                            private int next;

                            @Override
                            public boolean hasNext() {
                                return next < keys.length;
                            }

                            @Override
                            public Map.Entry<BString, BValue> next() {
                                if (next >= keys.length) {
                                    throw new NoSuchElementException();
                                }
                                int i = next++;
                                return new AbstractMap.SimpleImmutableEntry<>(keys[i], values[i]);
                            }
                        };
                    }

                    @Override
                    public int size() {
                        return keys.length;
                    }
                };
                entrySet = es;
            }
            return es;
        }
    }

    /**
     * Collects entries for a dict built in code. {@link #build()} sorts the keys by unsigned bytes, as
     * bencode requires, and rejects duplicate keys. A builder is not thread-safe.
     */
    public static final class Builder {
        private final List<BString> keys = new ArrayList<>();
        private final List<BValue> values = new ArrayList<>();

        private Builder() {
        }

        /** Adds {@code key} (as UTF-8) with {@code value}. */
        public Builder put(String key, BValue value) {
            return put(BString.of(key), value);
        }

        /** Adds {@code key} (as UTF-8) with an integer value. */
        public Builder put(String key, long value) {
            return put(BString.of(key), BInteger.of(value));
        }

        /** Adds {@code key} (as UTF-8) with a UTF-8 string value. */
        public Builder put(String key, String value) {
            return put(BString.of(key), BString.of(value));
        }

        /** Adds {@code key} (as UTF-8) with a byte string value (copied). */
        public Builder put(String key, byte[] value) {
            return put(BString.of(key), BString.of(value));
        }

        /** Adds {@code key} with {@code value}. */
        public Builder put(BString key, BValue value) {
            keys.add(Objects.requireNonNull(key, "key"));
            values.add(Objects.requireNonNull(value, "value"));
            return this;
        }

        /**
         * @return a dict with the entries so far, keys sorted by unsigned bytes
         * @throws IllegalArgumentException if a key was added twice
         */
        public BDict build() {
            BString[] k = keys.toArray(new BString[0]);
            BValue[] v = values.toArray(BList.NO_VALUES);
            int[] order = sortedOrder(k);
            int dup = firstDuplicate(k, order);
            if (dup >= 0) {
                throw new IllegalArgumentException("duplicate dict key " + k[dup].quoted());
            }
            if (order != null) {
                BString[] sk = new BString[k.length];
                BValue[] sv = new BValue[k.length];
                for (int i = 0; i < order.length; i++) {
                    sk[i] = k[order[i]];
                    sv[i] = v[order[i]];
                }
                k = sk;
                v = sv;
            }
            return new BDict(null, -1, -1, k, v, null);
        }
    }
}
