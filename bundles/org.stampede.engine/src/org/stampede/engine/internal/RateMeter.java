package org.stampede.engine.internal;

/**
 * Bytes per second over a sliding window of one-second buckets (default 5 s), on an injectable clock. Not
 * thread-safe: each meter is updated under its owner's lock.
 */
final class RateMeter {
    private final long[] buckets;
    private long currentSecond = Long.MIN_VALUE;
    private long total;

    RateMeter(int windowSeconds) {
        this.buckets = new long[windowSeconds];
    }

    void add(long bytes, long nowMillis) {
        roll(nowMillis);
        buckets[(int) Math.floorMod(currentSecond, (long) buckets.length)] += bytes;
        total += bytes;
    }

    /** Average over the completed seconds of the window plus the current one, pro rata. */
    long rate(long nowMillis) {
        roll(nowMillis);
        long sum = 0;
        for (long b : buckets) {
            sum += b;
        }
        long partial = Math.floorMod(nowMillis, 1000L);
        double seconds = buckets.length - 1 + partial / 1000.0;
        return seconds <= 0 ? 0 : (long) (sum / seconds);
    }

    long total() {
        return total;
    }

    private void roll(long nowMillis) {
        long second = Math.floorDiv(nowMillis, 1000L);
        if (currentSecond == Long.MIN_VALUE) {
            currentSecond = second;
            return;
        }
        long steps = Math.min(second - currentSecond, buckets.length);
        for (long s = 1; s <= steps; s++) {
            buckets[(int) Math.floorMod(currentSecond + s, (long) buckets.length)] = 0;
        }
        if (second > currentSecond) {
            currentSecond = second;
        }
    }
}
