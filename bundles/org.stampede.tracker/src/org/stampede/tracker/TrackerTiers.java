package org.stampede.tracker;

import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Random;
import java.util.Set;

import org.osgi.annotation.versioning.ConsumerType;
import org.stampede.tracker.internal.Text;

/**
 * The trackers of one torrent, in tiers, used as BEP 12 prescribes: each tier is shuffled once, when this object
 * is made; an announce tries the trackers tier by tier, in order, and stops at the first that answers, which then
 * moves to the front of its tier. A URL listed twice is kept only where it first appears; empty tiers are dropped.
 * <p>
 * The {@code tracker id} a tracker hands out is remembered and echoed in later announces to that tracker.
 * <p>
 * Thread-safe. No lock is held while a tracker is contacted.
 */
public final class TrackerTiers {

    /** Finds the client for an announce URL, typically from the {@link TrackerClientFactory} of its scheme. */
    @ConsumerType
    @FunctionalInterface
    public interface ClientLookup {
        /**
         * @throws TrackerException if no client can be made (unknown scheme, malformed URL)
         */
        TrackerClient clientFor(URI announceUrl) throws TrackerException;
    }

    /**
     * A successful announce.
     *
     * @param tracker  the tracker that answered
     * @param response its reply
     */
    public record Result(URI tracker, AnnounceResponse response) {
    }

    private final List<List<URI>> tiers; // mutable inner lists; guarded by this
    private final Map<URI, String> trackerIds = new HashMap<>(); // guarded by this

    /** With a fresh {@link Random} for the shuffle. */
    public TrackerTiers(List<? extends List<URI>> tiers) {
        this(tiers, new Random());
    }

    /**
     * @param tiers  announce URLs by tier (BEP 12 {@code announce-list}, or one tier of the {@code announce} URL)
     * @param random shuffles each tier, once (a seeded one makes the order reproducible in tests)
     */
    public TrackerTiers(List<? extends List<URI>> tiers, Random random) {
        Objects.requireNonNull(random, "random");
        Set<URI> seen = new HashSet<>();
        List<List<URI>> copy = new ArrayList<>();
        for (List<URI> tier : tiers) {
            List<URI> t = new ArrayList<>();
            for (URI u : tier) {
                if (seen.add(Objects.requireNonNull(u, "tracker URL"))) {
                    t.add(u);
                }
            }
            if (!t.isEmpty()) {
                Collections.shuffle(t, random);
                copy.add(t);
            }
        }
        this.tiers = copy;
    }

    /** @return the current order: tiers, each with its trackers in the order they will be tried (a copy) */
    public synchronized List<List<URI>> order() {
        List<List<URI>> out = new ArrayList<>(tiers.size());
        for (List<URI> t : tiers) {
            out.add(List.copyOf(t));
        }
        return List.copyOf(out);
    }

    /** @return whether there is no tracker at all */
    public synchronized boolean isEmpty() {
        return tiers.isEmpty();
    }

    /**
     * Announces to the first tracker that answers, in BEP 12 order, and moves it to the front of its tier. The
     * request's {@code trackerId} is replaced by the one each tracker gave earlier (or none).
     *
     * @throws TrackerException if there is no tracker or none answered: its message sums up the failures, the
     *                          failure of each tracker is {@linkplain Throwable#getSuppressed() suppressed} in it
     *                          (in the order tried), and its {@link TrackerException#retryAfter() retryAfter} is
     *                          the shortest hint any tracker gave
     */
    public Result announce(AnnounceRequest request, ClientLookup clients) throws TrackerException {
        List<TrackerException> failures = new ArrayList<>();
        for (List<URI> tier : order()) {
            for (URI url : tier) {
                AnnounceRequest r = request.withTrackerId(trackerId(url));
                try {
                    AnnounceResponse response = clients.clientFor(url).announce(r);
                    answered(url, response.trackerId());
                    return new Result(url, response);
                } catch (TrackerException e) {
                    failures.add(e);
                } catch (RuntimeException e) {
                    // a bug or a URL the lookup could not handle: this tracker fails, the others are still tried
                    failures.add(new TrackerException(url, "unusable: " + Text.escape(String.valueOf(e), 200), e));
                }
            }
        }
        throw allFailed(failures);
    }

    private static TrackerException allFailed(List<TrackerException> failures) {
        if (failures.isEmpty()) {
            return new TrackerException(null, "no trackers to announce to");
        }
        Duration retry = null;
        for (TrackerException f : failures) {
            Duration d = f.retryAfter().orElse(null);
            if (d != null && (retry == null || d.compareTo(retry) < 0)) {
                retry = d;
            }
        }
        TrackerException last = failures.get(failures.size() - 1);
        String what = failures.size() == 1 ? strip(last) : "all " + failures.size() + " trackers failed; last: "
                + strip(last);
        TrackerException e = new TrackerException(last.tracker(), what, retry, null);
        for (TrackerException f : failures) {
            e.addSuppressed(f);
        }
        return e;
    }

    /** The message of {@code e} without its "tracker X: " prefix, which the summary repeats. */
    private static String strip(TrackerException e) {
        String m = e.getMessage();
        String prefix = "tracker " + Text.tracker(e.tracker()) + ": ";
        return m.startsWith(prefix) ? m.substring(prefix.length()) : m;
    }

    private synchronized String trackerId(URI url) {
        return trackerIds.get(url);
    }

    /** Moves {@code url} to the front of its tier and remembers its tracker id, if it sent one. */
    private synchronized void answered(URI url, String trackerId) {
        if (trackerId != null) {
            trackerIds.put(url, trackerId);
        }
        for (List<URI> tier : tiers) {
            int i = tier.indexOf(url);
            if (i > 0) {
                tier.add(0, tier.remove(i));
            }
            if (i >= 0) {
                return;
            }
        }
    }
}
