package org.stampede.tracker;

import java.net.URI;
import java.time.Duration;
import java.util.Optional;

import org.stampede.tracker.internal.Text;

/**
 * A tracker could not be used: it is unreachable, did not answer in time, answered with something that is not a
 * valid reply, or refused the request ({@code failure reason}, UDP error action).
 * <p>
 * The message says what went wrong and which tracker, for example
 * {@code "tracker http://127.0.0.1:6969/announce: failure reason 'unregistered torrent'"}. The tracker is shown
 * without its query (which on private trackers carries a passkey), and any text that came from the tracker is
 * escaped and shortened to 200 characters so that it cannot disturb a log or terminal.
 */
public class TrackerException extends Exception {
    private static final long serialVersionUID = 1L;

    private final URI tracker;
    private final Duration retryAfter;

    /**
     * @param tracker the announce URL of the tracker concerned
     * @param what    what went wrong (safe text: untrusted parts already escaped)
     */
    public TrackerException(URI tracker, String what) {
        this(tracker, what, null, null);
    }

    /**
     * @param tracker the announce URL of the tracker concerned
     * @param what    what went wrong (safe text: untrusted parts already escaped)
     * @param cause   the underlying failure, or null
     */
    public TrackerException(URI tracker, String what, Throwable cause) {
        this(tracker, what, null, cause);
    }

    /**
     * @param tracker    the announce URL of the tracker concerned
     * @param what       what went wrong (safe text: untrusted parts already escaped)
     * @param retryAfter how long the tracker asked us to wait before trying again, or null if it did not say
     * @param cause      the underlying failure, or null
     */
    public TrackerException(URI tracker, String what, Duration retryAfter, Throwable cause) {
        super("tracker " + Text.tracker(tracker) + ": " + what, cause);
        this.tracker = tracker;
        this.retryAfter = retryAfter;
    }

    /** @return the announce URL of the tracker concerned (may hold a passkey: do not log it) */
    public URI tracker() {
        return tracker;
    }

    /**
     * @return how long the tracker asked us to wait before the next try (BEP 31 {@code retry in}, HTTP
     *         {@code Retry-After}), if it said so
     */
    public Optional<Duration> retryAfter() {
        return Optional.ofNullable(retryAfter);
    }
}
