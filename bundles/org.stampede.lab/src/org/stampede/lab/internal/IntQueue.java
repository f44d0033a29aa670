package org.stampede.lab.internal;

import java.util.Arrays;

/** A first-in first-out queue of ints on a growable ring buffer; small (a request queue), so search is linear. */
final class IntQueue {
    private int[] items = new int[8];
    private int head;
    private int size;

    int size() {
        return size;
    }

    boolean isEmpty() {
        return size == 0;
    }

    void add(int value) {
        if (size == items.length) {
            int[] grown = new int[items.length * 2];
            for (int i = 0; i < size; i++) {
                grown[i] = get(i);
            }
            items = grown;
            head = 0;
        }
        items[(head + size) & (items.length - 1)] = value;
        size++;
    }

    int get(int i) {
        return items[(head + i) & (items.length - 1)];
    }

    int first() {
        if (size == 0) {
            throw new IllegalStateException("empty");
        }
        return items[head];
    }

    int removeFirst() {
        int v = first();
        head = (head + 1) & (items.length - 1);
        size--;
        return v;
    }

    /** The position of the first occurrence of {@code value}, or -1. */
    int indexOf(int value) {
        for (int i = 0; i < size; i++) {
            if (get(i) == value) {
                return i;
            }
        }
        return -1;
    }

    /** Removes the element at position {@code i}, keeping the order of the others. */
    void removeAt(int i) {
        for (int j = i; j < size - 1; j++) {
            items[(head + j) & (items.length - 1)] = get(j + 1);
        }
        size--;
    }

    void clear() {
        head = 0;
        size = 0;
    }

    @Override
    public String toString() {
        int[] a = new int[size];
        Arrays.setAll(a, this::get);
        return Arrays.toString(a);
    }
}
