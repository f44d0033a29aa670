package org.stampede.engine.internal;

/**
 * A rate limit: a bucket of byte tokens refilled at {@code rate} bytes per second, holding at most one second's
 * worth, or one block ({@value #MIN_CAPACITY} bytes) when that is more: callers that wait for a whole block
 * ({@link #nanosUntil}) would otherwise wait forever under a limit below 16 KiB/s. {@link #take} grants what is
 * available now, so callers send what they may and retry the rest later.
 * Thread-safe without a lock: limits are shared by all peers of a torrent (and globally), so they must not become
 * a point of contention.
 */
final class TokenBucket {
    private final java.util.concurrent.atomic.AtomicLong tokens = new java.util.concurrent.atomic.AtomicLong();
    private final java.util.concurrent.atomic.AtomicLong lastRefillNanos;
    private volatile long rate;
    /** The least the bucket can hold: one block of the peer wire protocol. */
    static final long MIN_CAPACITY = 16 * 1024;

    /** {@code bytesPerSecond} 0 or less means unlimited. */
    TokenBucket(long bytesPerSecond, long nowNanos) {
        this.rate = bytesPerSecond;
        this.lastRefillNanos = new java.util.concurrent.atomic.AtomicLong(nowNanos);
        tokens.set(Math.max(bytesPerSecond, 0));
    }

    boolean unlimited() {
        return rate <= 0;
    }

    void setRate(long bytesPerSecond) {
        this.rate = bytesPerSecond;
    }

    long rate() {
        return rate;
    }

    /** Takes up to {@code want} tokens; returns how many were granted (all of them when unlimited). */
    long take(long want, long nowNanos) {
        long r = rate;
        if (r <= 0) {
            return want;
        }
        refill(r, nowNanos);
        while (true) {
            long have = tokens.get();
            if (have <= 0) {
                return 0;
            }
            long grant = Math.min(have, want);
            if (tokens.compareAndSet(have, have - grant)) {
                return grant;
            }
        }
    }

    /**
     * Charges {@code bytes} already spent (data that has arrived), going into debt when there are not enough tokens,
     * so that every byte counts against the limit however the bytes were batched.
     *
     * @return nanoseconds until the debt is paid off, 0 when there was no debt
     */
    long charge(long bytes, long nowNanos) {
        long r = rate;
        if (r <= 0) {
            return 0;
        }
        refill(r, nowNanos);
        long left = tokens.addAndGet(-bytes);
        return left >= 0 ? 0 : -left * 1_000_000_000L / r;
    }

    /** Nanoseconds until {@code bytes} tokens will be available (0 when they are). */
    long nanosUntil(long bytes, long nowNanos) {
        long r = rate;
        if (r <= 0) {
            return 0;
        }
        refill(r, nowNanos);
        long missing = bytes - tokens.get();
        return missing <= 0 ? 0 : missing * 1_000_000_000L / r;
    }

    private void refill(long r, long nowNanos) {
        long last = lastRefillNanos.get();
        long elapsed = nowNanos - last;
        if (elapsed <= 0) {
            return;
        }
        long capacity = Math.max(r, MIN_CAPACITY);
        if (elapsed > Long.MAX_VALUE / 2 / r) {
            // idle so long that elapsed * r would overflow: full again, any debt long paid
            if (lastRefillNanos.compareAndSet(last, nowNanos)) {
                tokens.set(capacity);
            }
            return;
        }
        long add = elapsed * r / 1_000_000_000L;
        if (add > 0 && lastRefillNanos.compareAndSet(last, last + add * 1_000_000_000L / r)) {
            long cur;
            do {
                cur = tokens.get();
            } while (!tokens.compareAndSet(cur, Math.min(cur + add, capacity)));
        }
    }
}
