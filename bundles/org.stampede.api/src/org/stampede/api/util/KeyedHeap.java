package org.stampede.api.util;

import java.util.Arrays;

/**
 * A binary min-heap of (long key, int item) pairs on reusable arrays, ordered by key and then by item. Filled
 * unordered with {@link #add}, ordered once with {@link #heapify} in O(n), then drained smallest first with
 * {@link #removeTop} in O(log n) each, so a caller that needs only the first few entries never pays for a full
 * sort. Allocates only when it grows (doubling), never per use. Not thread-safe: one per strategy instance.
 *
 * @since 0.1
 */
public final class KeyedHeap {
    private long[] keys = new long[16];
    private int[] items = new int[16];
    private int size;

    public void clear() {
        size = 0;
    }

    public int size() {
        return size;
    }

    public boolean isEmpty() {
        return size == 0;
    }

    /** Appends an entry; the heap order holds again only after {@link #heapify}. */
    public void add(long key, int item) {
        if (size == keys.length) {
            int capacity = size * 2;
            keys = Arrays.copyOf(keys, capacity);
            items = Arrays.copyOf(items, capacity);
        }
        keys[size] = key;
        items[size] = item;
        size++;
    }

    public void heapify() {
        for (int i = (size >>> 1) - 1; i >= 0; i--) {
            siftDown(i);
        }
    }

    public long topKey() {
        return keys[0];
    }

    public int topItem() {
        return items[0];
    }

    public void removeTop() {
        size--;
        if (size > 0) {
            keys[0] = keys[size];
            items[0] = items[size];
            siftDown(0);
        }
    }

    private boolean less(int i, int j) {
        return keys[i] < keys[j] || keys[i] == keys[j] && items[i] < items[j];
    }

    private void siftDown(int i) {
        int half = size >>> 1;
        while (i < half) {
            int child = 2 * i + 1;
            if (child + 1 < size && less(child + 1, child)) {
                child++;
            }
            if (!less(child, i)) {
                return;
            }
            long k = keys[i];
            keys[i] = keys[child];
            keys[child] = k;
            int v = items[i];
            items[i] = items[child];
            items[child] = v;
            i = child;
        }
    }
}
