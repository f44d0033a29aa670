package org.stampede.lab.internal;

/**
 * Bytes per second over the last five seconds of virtual time, in one-second buckets, like the engine's rate
 * meters; integer arithmetic only, so a rate is the same on every machine.
 */
final class Meter {
    private static final int WINDOW = 5;
    private final long[] buckets = new long[WINDOW];
    private long second = Long.MIN_VALUE;
    private long total;

    void add(long bytes, long nowMillis) {
        roll(nowMillis);
        buckets[(int) Math.floorMod(second, (long) WINDOW)] += bytes;
        total += bytes;
    }

    /** The average over the completed seconds of the window plus the current one, pro rata. */
    long rate(long nowMillis) {
        roll(nowMillis);
        long sum = 0;
        for (long b : buckets) {
            sum += b;
        }
        long millis = (WINDOW - 1) * 1000L + Math.floorMod(nowMillis, 1000L);
        return millis <= 0 ? 0 : sum * 1000 / millis;
    }

    long total() {
        return total;
    }

    private void roll(long nowMillis) {
        long s = Math.floorDiv(nowMillis, 1000L);
        if (second == Long.MIN_VALUE) {
            second = s;
            return;
        }
        long steps = Math.min(s - second, WINDOW);
        for (long i = 1; i <= steps; i++) {
            buckets[(int) Math.floorMod(second + i, (long) WINDOW)] = 0;
        }
        if (s > second) {
            second = s;
        }
    }
}
