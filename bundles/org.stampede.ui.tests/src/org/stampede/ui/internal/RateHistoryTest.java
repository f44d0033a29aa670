package org.stampede.ui.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Arrays;

import org.junit.jupiter.api.Test;

/** The speed graph's ring buffer: one sample a second, oldest first, gaps as zero, bounded. */
class RateHistoryTest {
    private static long[] downs(RateHistory h, int room) {
        long[] d = new long[room];
        int n = h.copy(d, new long[room]);
        return Arrays.copyOf(d, n);
    }

    @Test
    void samplesWithinOneSecondReplaceEachOther() {
        RateHistory h = new RateHistory(10);
        h.record(5_000, 1, 0);
        h.record(5_900, 2, 0);
        assertArrayEquals(new long[] { 2 }, downs(h, 10));
    }

    @Test
    void secondsWithoutASampleReadAsZero() {
        RateHistory h = new RateHistory(10);
        h.record(1_000, 7, 0);
        h.record(4_000, 9, 0);
        assertArrayEquals(new long[] { 7, 0, 0, 9 }, downs(h, 10));
    }

    @Test
    void onlyTheNewestCapacitySamplesAreKept() {
        RateHistory h = new RateHistory(3);
        for (int s = 0; s < 5; s++) {
            h.record(s * 1000L, s, 10 + s);
        }
        long[] up = new long[3];
        assertEquals(3, h.copy(new long[3], up));
        assertArrayEquals(new long[] { 2, 3, 4 }, downs(h, 3));
        assertArrayEquals(new long[] { 12, 13, 14 }, up);
    }

    @Test
    void aLongSilenceClearsTheBufferWithoutLoopingPastItsCapacity() {
        RateHistory h = new RateHistory(4);
        h.record(0, 5, 5);
        h.record(Long.MAX_VALUE / 2, 6, 6);
        assertArrayEquals(new long[] { 0, 0, 0, 6 }, downs(h, 4));
    }

    @Test
    void copyIntoAShortArrayGivesTheNewestSamples() {
        RateHistory h = new RateHistory(10);
        for (int s = 0; s < 6; s++) {
            h.record(s * 1000L, s, 0);
        }
        assertArrayEquals(new long[] { 4, 5 }, downs(h, 2));
    }
}
