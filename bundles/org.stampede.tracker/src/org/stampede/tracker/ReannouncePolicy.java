package org.stampede.tracker;

import java.time.Duration;
import java.util.Objects;

/**
 * When to announce next. After a success, at the reply's (already clamped) interval; after failures, with
 * exponential backoff from {@code firstRetry} (15 s by default) doubling up to {@code maxRetry} (30 minutes), but
 * never sooner than a retry hint the tracker gave (itself capped at {@link AnnounceResponse#MAX_INTERVAL}). An
 * announce out of turn (to get more peers) waits for the last reply's minimum interval. So no reply, however
 * hostile, can make a client announce more often than once a minute after a success or every {@code firstRetry}
 * after a failure.
 * <p>
 * Immutable.
 */
public final class ReannouncePolicy {
    /** First retry delay of {@link #DEFAULT}. */
    public static final Duration FIRST_RETRY = Duration.ofSeconds(15);
    /** Longest retry delay of {@link #DEFAULT}. */
    public static final Duration MAX_RETRY = Duration.ofMinutes(30);
    /** 15 s doubling to 30 minutes. */
    public static final ReannouncePolicy DEFAULT = new ReannouncePolicy(FIRST_RETRY, MAX_RETRY);

    private final Duration firstRetry;
    private final Duration maxRetry;

    /**
     * @throws IllegalArgumentException unless {@code 0 < firstRetry <= maxRetry}
     */
    public ReannouncePolicy(Duration firstRetry, Duration maxRetry) {
        Objects.requireNonNull(firstRetry, "firstRetry");
        Objects.requireNonNull(maxRetry, "maxRetry");
        if (!firstRetry.isPositive() || maxRetry.compareTo(firstRetry) < 0) {
            throw new IllegalArgumentException("need 0 < firstRetry <= maxRetry: " + firstRetry + ", " + maxRetry);
        }
        this.firstRetry = firstRetry;
        this.maxRetry = maxRetry;
    }

    /** @return the delay before the next regular announce after {@code response}: its interval */
    public Duration afterSuccess(AnnounceResponse response) {
        return response.interval();
    }

    /**
     * @param consecutiveFailures failures since the last success, including this one (at least 1)
     * @param failure             the failure, for its retry hint
     * @return {@code firstRetry * 2^(consecutiveFailures - 1)}, at most {@code maxRetry}, at least the tracker's
     *         retry hint capped at {@link AnnounceResponse#MAX_INTERVAL}
     */
    public Duration afterFailure(int consecutiveFailures, TrackerException failure) {
        if (consecutiveFailures < 1) {
            throw new IllegalArgumentException("consecutiveFailures must be at least 1, not " + consecutiveFailures);
        }
        Duration d = maxRetry;
        int shift = consecutiveFailures - 1;
        if (shift < 62) {
            long nanos = firstRetry.toNanos();
            if (nanos <= (maxRetry.toNanos() >> shift)) {
                d = Duration.ofNanos(nanos << shift);
            }
        }
        Duration hint = failure == null ? null : failure.retryAfter().orElse(null);
        if (hint != null) {
            if (hint.compareTo(AnnounceResponse.MAX_INTERVAL) > 0) {
                hint = AnnounceResponse.MAX_INTERVAL;
            }
            if (hint.compareTo(d) > 0) {
                d = hint;
            }
        }
        return d;
    }

    /**
     * @param sinceLastReply time since {@code lastReply} arrived
     * @return how long an announce out of turn must still wait: what is left of the reply's minimum interval
     */
    public Duration untilExtraAllowed(Duration sinceLastReply, AnnounceResponse lastReply) {
        Duration left = lastReply.minInterval().minus(sinceLastReply);
        return left.isNegative() ? Duration.ZERO : left;
    }

    /** @return the first retry delay */
    public Duration firstRetry() {
        return firstRetry;
    }

    /** @return the longest retry delay (without a tracker's hint) */
    public Duration maxRetry() {
        return maxRetry;
    }
}
