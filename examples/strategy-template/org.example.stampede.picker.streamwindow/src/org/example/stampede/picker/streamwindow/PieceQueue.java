package org.example.stampede.picker.streamwindow;

import java.util.Arrays;

/**
 * A min-heap of {@code long} keys, reused from pick to pick so that a pick allocates nothing once the array has
 * grown. Keys are appended with {@link #add}, ordered once with {@link #heapify} (O(n)) and taken smallest first
 * with {@link #poll} (O(log n) each), so a pick that needs only the few smallest of many candidates does not sort
 * them all. Not thread-safe: the engine calls a torrent's picker from one thread at a time.
 */
final class PieceQueue {
    private long[] keys = new long[64];
    private int size;

    void clear() {
        size = 0;
    }

    boolean isEmpty() {
        return size == 0;
    }

    int size() {
        return size;
    }

    /** Appends a key; call {@link #heapify} after the last one and before the first {@link #poll}. */
    void add(long key) {
        if (size == keys.length) {
            keys = Arrays.copyOf(keys, size * 2);
        }
        keys[size++] = key;
    }

    /** Orders the keys added since the last {@link #clear} into a heap, bottom up. */
    void heapify() {
        for (int i = (size >>> 1) - 1; i >= 0; i--) {
            siftDown(i);
        }
    }

    /** Removes and returns the smallest key. */
    long poll() {
        if (size == 0) {
            throw new IllegalStateException("empty");
        }
        long top = keys[0];
        keys[0] = keys[--size];
        siftDown(0);
        return top;
    }

    private void siftDown(int i) {
        long key = keys[i];
        int half = size >>> 1;
        while (i < half) {
            int child = 2 * i + 1;
            if (child + 1 < size && keys[child + 1] < keys[child]) {
                child++;
            }
            if (key <= keys[child]) {
                break;
            }
            keys[i] = keys[child];
            i = child;
        }
        keys[i] = key;
    }
}
