package org.example.stampede.picker.streamwindow;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.SplittableRandom;

import org.junit.jupiter.api.Test;

/** The reusable heap of candidate pieces. */
class PieceQueueTest {
    @Test
    void pollsKeysSmallestFirstAfterGrowingPastItsFirstArray() {
        SplittableRandom random = new SplittableRandom(3);
        long[] keys = new long[1000];
        PieceQueue queue = new PieceQueue();
        for (int i = 0; i < keys.length; i++) {
            keys[i] = random.nextLong(1L << 62);
            queue.add(keys[i]);
        }
        queue.heapify();
        long[] polled = new long[keys.length];
        for (int i = 0; i < polled.length; i++) {
            polled[i] = queue.poll();
        }
        Arrays.sort(keys);
        assertArrayEquals(keys, polled);
        assertTrue(queue.isEmpty());
    }

    @Test
    void clearForgetsEveryKey() {
        PieceQueue queue = new PieceQueue();
        queue.add(5);
        queue.add(1);
        queue.clear();
        queue.add(9);
        queue.heapify();
        assertArrayEquals(new long[] { 9 }, new long[] { queue.poll() });
        assertTrue(queue.isEmpty());
    }

    @Test
    void pollingAnEmptyQueueFails() {
        assertThrows(IllegalStateException.class, () -> new PieceQueue().poll());
    }
}
