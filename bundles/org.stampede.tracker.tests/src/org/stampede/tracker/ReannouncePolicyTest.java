package org.stampede.tracker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

class ReannouncePolicyTest {
    static final ReannouncePolicy P = ReannouncePolicy.DEFAULT;
    static final URI T = URI.create("http://t.example/announce");

    @Test
    void failuresBackOffFrom15SecondsDoublingTo30Minutes() {
        List<Long> seconds = new ArrayList<>();
        for (int n = 1; n <= 12; n++) {
            seconds.add(P.afterFailure(n, new TrackerException(T, "down")).toSeconds());
        }
        assertEquals(List.of(15L, 30L, 60L, 120L, 240L, 480L, 960L, 1800L, 1800L, 1800L, 1800L, 1800L), seconds);
    }

    @Test
    void backoffStaysBoundedForAnyNumberOfFailures() {
        assertEquals(Duration.ofMinutes(30), P.afterFailure(Integer.MAX_VALUE, null));
    }

    @Test
    void trackersRetryHintIsHonoured() {
        assertEquals(Duration.ofMinutes(10),
                P.afterFailure(1, new TrackerException(T, "busy", Duration.ofMinutes(10), null)));
    }

    @Test
    void retryHintIsCappedAtTwoHours() {
        assertEquals(Duration.ofHours(2), P.afterFailure(1, new TrackerException(T, "busy", Duration.ofDays(9), null)));
    }

    @Test
    void retryHintShorterThanTheBackoffDoesNotShortenIt() {
        assertEquals(Duration.ofSeconds(60),
                P.afterFailure(3, new TrackerException(T, "busy", Duration.ofSeconds(1), null)));
    }

    @Test
    void successWaitsForTheClampedInterval() {
        AnnounceResponse hostile = new AnnounceResponse(Duration.ofNanos(1), Duration.ofNanos(1), List.of(), null, null,
                null, null);
        assertEquals(Duration.ofSeconds(60), P.afterSuccess(hostile));
    }

    @Test
    void announceOutOfTurnWaitsForTheMinInterval() {
        AnnounceResponse r = new AnnounceResponse(Duration.ofMinutes(30), Duration.ofMinutes(5), List.of(), null, null,
                null, null);
        assertEquals(Duration.ofMinutes(3), P.untilExtraAllowed(Duration.ofMinutes(2), r));
        assertEquals(Duration.ZERO, P.untilExtraAllowed(Duration.ofMinutes(6), r));
    }

    @Test
    void zeroFirstRetryIsRejected() {
        assertThrows(IllegalArgumentException.class, () -> new ReannouncePolicy(Duration.ZERO, Duration.ofMinutes(1)));
    }
}
