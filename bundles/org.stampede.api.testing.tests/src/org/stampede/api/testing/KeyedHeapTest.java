package org.stampede.api.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Random;

import org.junit.jupiter.api.Test;
import org.stampede.api.util.KeyedHeap;

/** The pickers' reusable heap, the strategy API's helper. */
class KeyedHeapTest {
    private static List<long[]> drain(KeyedHeap heap) {
        List<long[]> out = new ArrayList<>();
        while (!heap.isEmpty()) {
            out.add(new long[] { heap.topKey(), heap.topItem() });
            heap.removeTop();
        }
        return out;
    }

    @Test
    void drainsByKeyThenItemPastItsInitialCapacity() {
        Random random = new Random(5);
        KeyedHeap heap = new KeyedHeap();
        List<long[]> expected = new ArrayList<>();
        for (int i = 0; i < 1000; i++) {
            long key = random.nextInt(50);
            int item = random.nextInt(1000);
            heap.add(key, item);
            expected.add(new long[] { key, item });
        }
        heap.heapify();
        expected.sort(Comparator.<long[]>comparingLong(e -> e[0]).thenComparingLong(e -> e[1]));
        List<long[]> actual = drain(heap);
        assertEquals(expected.size(), actual.size());
        for (int i = 0; i < expected.size(); i++) {
            assertEquals(expected.get(i)[0], actual.get(i)[0], "key at " + i);
            assertEquals(expected.get(i)[1], actual.get(i)[1], "item at " + i);
        }
    }

    @Test
    void clearEmptiesItForReuse() {
        KeyedHeap heap = new KeyedHeap();
        heap.add(3, 1);
        heap.add(1, 2);
        heap.clear();
        assertTrue(heap.isEmpty());
        heap.add(9, 7);
        heap.heapify();
        assertEquals(9, heap.topKey());
        assertEquals(7, heap.topItem());
        assertEquals(1, heap.size());
    }
}
