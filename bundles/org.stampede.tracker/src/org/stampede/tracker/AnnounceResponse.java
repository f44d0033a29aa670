package org.stampede.tracker;

import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * A tracker's answer to an announce. The intervals are clamped on construction, so that no reply, however
 * hostile, can make a client announce in a tight loop or never again:
 * <ul>
 * <li>{@code interval}: absent (null), zero or negative means {@link #DEFAULT_INTERVAL 30 minutes}; otherwise
 * clamped to {@link #MIN_INTERVAL 60 seconds}..{@link #MAX_INTERVAL 2 hours}.</li>
 * <li>{@code minInterval}: absent, zero or negative means {@link #DEFAULT_MIN_INTERVAL 5 minutes}; then clamped
 * to {@link #MIN_INTERVAL 60 seconds}..{@code interval}.</li>
 * </ul>
 * Counts that are negative are treated as not reported (null).
 *
 * @param interval       how long to wait before the next regular announce
 * @param minInterval    the shortest time to wait before announcing again out of turn (to get more peers)
 * @param peers          the peers the tracker handed out, IPv4 and IPv6, in the tracker's order
 * @param complete       seeders in the swarm, or null if not reported
 * @param incomplete     leechers in the swarm, or null if not reported
 * @param warningMessage the tracker's {@code warning message} (escaped, at most 200 characters), or null
 * @param trackerId      the {@code tracker id} to echo in later announces to this tracker, or null; each char is
 *                       one byte of the tracker's value (ISO-8859-1), so that a binary id is echoed unchanged
 */
public record AnnounceResponse(Duration interval, Duration minInterval, List<InetSocketAddress> peers,
        Integer complete, Integer incomplete, String warningMessage, String trackerId) {

    /** The shortest interval accepted: shorter ones are raised to this. */
    public static final Duration MIN_INTERVAL = Duration.ofSeconds(60);
    /** The longest interval accepted: longer ones are lowered to this. */
    public static final Duration MAX_INTERVAL = Duration.ofHours(2);
    /** The interval used when the tracker gives none or a meaningless one. */
    public static final Duration DEFAULT_INTERVAL = Duration.ofMinutes(30);
    /** The minimum interval used when the tracker gives none or a meaningless one. */
    public static final Duration DEFAULT_MIN_INTERVAL = Duration.ofMinutes(5);

    /** Clamps the intervals, copies the peer list and drops negative counts (see the class comment). */
    public AnnounceResponse {
        interval = clamp(interval == null || !interval.isPositive() ? DEFAULT_INTERVAL : interval, MIN_INTERVAL,
                MAX_INTERVAL);
        minInterval = clamp(minInterval == null || !minInterval.isPositive() ? DEFAULT_MIN_INTERVAL : minInterval,
                MIN_INTERVAL, interval);
        peers = List.copyOf(Objects.requireNonNull(peers, "peers"));
        complete = complete == null || complete < 0 ? null : complete;
        incomplete = incomplete == null || incomplete < 0 ? null : incomplete;
    }

    /**
     * @return a duration of {@code seconds} as a tracker sent it, or null (meaning "absent") if it is not positive;
     *         for building a response from raw numbers
     */
    public static Duration seconds(long seconds) {
        return seconds > 0 ? Duration.ofSeconds(seconds) : null;
    }

    private static Duration clamp(Duration d, Duration min, Duration max) {
        return d.compareTo(min) < 0 ? min : d.compareTo(max) > 0 ? max : d;
    }
}
