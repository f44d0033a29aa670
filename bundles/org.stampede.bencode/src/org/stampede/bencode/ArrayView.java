package org.stampede.bencode;

import java.util.AbstractList;
import java.util.RandomAccess;

/** Unmodifiable list view over an array that is never modified after construction. */
final class ArrayView<T> extends AbstractList<T> implements RandomAccess {
    private final T[] items;

    ArrayView(T[] items) {
        this.items = items;
    }

    @Override
    public T get(int index) {
        return items[index];
    }

    @Override
    public int size() {
        return items.length;
    }
}
