package org.stampede.tracker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.time.Duration;
import java.util.List;

import org.junit.jupiter.api.Test;

class AnnounceResponseTest {

    static AnnounceResponse of(Duration interval, Duration minInterval) {
        return new AnnounceResponse(interval, minInterval, List.of(), 1, 2, null, null);
    }

    @Test
    void absentIntervalsGetDefaults() {
        AnnounceResponse r = of(null, null);
        assertEquals(Duration.ofMinutes(30), r.interval());
        assertEquals(Duration.ofMinutes(5), r.minInterval());
    }

    @Test
    void meaninglessIntervalsGetDefaults() {
        AnnounceResponse r = of(Duration.ofSeconds(-10), Duration.ZERO);
        assertEquals(AnnounceResponse.DEFAULT_INTERVAL, r.interval());
        assertEquals(AnnounceResponse.DEFAULT_MIN_INTERVAL, r.minInterval());
    }

    @Test
    void shortIntervalsAreRaisedToAMinute() {
        AnnounceResponse r = of(Duration.ofSeconds(1), Duration.ofMillis(1));
        assertEquals(Duration.ofSeconds(60), r.interval());
        assertEquals(Duration.ofSeconds(60), r.minInterval());
    }

    @Test
    void longIntervalsAreLoweredToTwoHours() {
        assertEquals(Duration.ofHours(2), of(Duration.ofDays(365_000), null).interval());
    }

    @Test
    void minIntervalNeverExceedsInterval() {
        assertEquals(Duration.ofSeconds(120), of(Duration.ofSeconds(120), Duration.ofHours(1)).minInterval());
    }

    @Test
    void defaultMinIntervalNeverExceedsAShortInterval() {
        assertEquals(Duration.ofSeconds(90), of(Duration.ofSeconds(90), null).minInterval());
    }

    @Test
    void negativeCountsAreNotReported() {
        AnnounceResponse r = new AnnounceResponse(null, null, List.of(), -1, -2, null, null);
        assertNull(r.complete());
        assertNull(r.incomplete());
    }

    @Test
    void secondsOfZeroOrLessMeanAbsent() {
        assertNull(AnnounceResponse.seconds(0));
        assertNull(AnnounceResponse.seconds(-1));
        assertEquals(Duration.ofSeconds(5), AnnounceResponse.seconds(5));
    }
}
