package org.stampede.ui.internal;

/**
 * The session's download and upload rates, one sample per second, for the last {@code capacity} seconds: a ring
 * buffer written from the engine's stats events and read by the speed graph. Samples within one second replace
 * each other (the last sum of the torrents' rates wins); seconds without a sample read as 0. Thread-safe.
 */
public final class RateHistory {
    private final long[] down;
    private final long[] up;
    private long lastSecond = Long.MIN_VALUE;
    private int newest = -1;
    private int size;

    public RateHistory(int capacity) {
        if (capacity < 2) {
            throw new IllegalArgumentException("capacity " + capacity + " is below 2");
        }
        down = new long[capacity];
        up = new long[capacity];
    }

    public int capacity() {
        return down.length;
    }

    /** Records the session's rates at wall-clock {@code nowMillis}. */
    public synchronized void record(long nowMillis, long downRate, long upRate) {
        long second = Math.floorDiv(nowMillis, 1000);
        if (newest >= 0 && second < lastSecond) {
            second = lastSecond; // the clock went back: count it as now
        }
        if (newest < 0 || second != lastSecond) {
            long gap = newest < 0 ? 1 : Math.min(second - lastSecond, down.length);
            for (long i = 1; i < gap; i++) { // seconds without any sample
                advance(0, 0);
            }
            advance(downRate, upRate);
            lastSecond = second;
        } else {
            down[newest] = downRate;
            up[newest] = upRate;
        }
    }

    private void advance(long d, long u) {
        newest = (newest + 1) % down.length;
        down[newest] = d;
        up[newest] = u;
        size = Math.min(size + 1, down.length);
    }

    /**
     * Copies the samples, oldest first, into the caller's arrays (no allocation).
     *
     * @return how many samples were copied: at most the shorter array's length, the newest ones
     */
    public synchronized int copy(long[] downOut, long[] upOut) {
        int n = Math.min(size, Math.min(downOut.length, upOut.length));
        int start = newest - n + 1;
        for (int i = 0; i < n; i++) {
            int at = Math.floorMod(start + i, down.length);
            downOut[i] = down[at];
            upOut[i] = up[at];
        }
        return n;
    }

    public synchronized int size() {
        return size;
    }
}
