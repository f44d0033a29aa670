package org.stampede.engine.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** The rate limit's accounting, on a simulated clock. */
class TokenBucketTest {
    private static final long SECOND = 1_000_000_000L;
    private static final int BLOCK = 16 * 1024;
    private static final long T0 = 5 * SECOND;

    @Test
    void aLimitBelowOneBlockPerSecondStillLetsAWholeBlockThrough() {
        TokenBucket b = new TokenBucket(8 * 1024, T0);
        b.take(8 * 1024, T0);
        assertTrue(b.nanosUntil(BLOCK, T0) > 0);
        assertEquals(0, b.nanosUntil(BLOCK, T0 + 2 * SECOND), "a 16 KiB block never fits a bucket of 8 KiB");
    }

    @Test
    void anUploaderWaitingForWholeBlocksSendsAtMostTheRateOverTimePlusOneBucket() {
        long rate = 100_000;
        TokenBucket b = new TokenBucket(rate, T0);
        long sent = 0;
        long seconds = 20;
        for (long t = T0; t <= T0 + seconds * SECOND; t += SECOND / 100) {
            while (b.nanosUntil(BLOCK, t) == 0) {
                assertEquals(BLOCK, b.take(BLOCK, t));
                sent += BLOCK;
            }
        }
        assertTrue(sent <= rate * seconds + rate, sent + " bytes in " + seconds + " s at " + rate + " B/s");
        assertTrue(sent >= rate * seconds - BLOCK, "the limit held back more than it should: " + sent);
    }

    @Test
    void bytesThatArrivedBeyondTheTokensAreOwedInFull() {
        TokenBucket b = new TokenBucket(BLOCK, T0); // one block per second, one block in the bucket
        assertEquals(0, b.charge(BLOCK, T0));
        // three more blocks in the same read: three seconds of debt, not one block's worth
        b.charge(BLOCK, T0);
        b.charge(BLOCK, T0);
        assertEquals(3 * SECOND, b.charge(BLOCK, T0));
        assertTrue(b.nanosUntil(1, T0 + 2 * SECOND) > 0, "the debt was forgotten");
        assertEquals(0, b.nanosUntil(1, T0 + 3 * SECOND + SECOND / 10));
    }

    @Test
    void aBucketIdleForHoursIsFullAgain() {
        long rate = 1024 * 1024;
        TokenBucket b = new TokenBucket(rate, T0);
        b.take(rate, T0);
        long later = T0 + 3 * 3600 * SECOND; // elapsed nanoseconds times the rate no longer fit a long
        assertEquals(0, b.nanosUntil(rate, later), "an idle bucket did not refill");
        assertEquals(rate, b.take(rate, later));
        assertEquals(0, b.take(1, later), "more than one second's worth after a long idle time");
    }

    @Test
    void anUnlimitedBucketGrantsEverythingAndNeverWaits() {
        TokenBucket b = new TokenBucket(0, T0);
        assertEquals(1L << 40, b.take(1L << 40, T0));
        assertEquals(0, b.charge(1L << 40, T0));
        assertEquals(0, b.nanosUntil(1L << 40, T0));
    }
}
