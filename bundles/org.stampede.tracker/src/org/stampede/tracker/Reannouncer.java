package org.stampede.tracker;

import java.lang.System.Logger.Level;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

import org.osgi.annotation.versioning.ConsumerType;
import org.stampede.tracker.AnnounceRequest.Event;
import org.stampede.tracker.internal.Text;

/**
 * Keeps announcing one torrent to its {@link TrackerTiers}: {@link Event#STARTED} on {@link #start()}, then a
 * regular announce at every interval the trackers ask for, {@link Event#COMPLETED} when told, and
 * {@link Event#STOPPED} once on {@link #stop()}. Failures are retried with the {@link ReannouncePolicy}'s bounded
 * exponential backoff, repeating the event that has not got through yet (a failed {@code started} is retried as
 * {@code started}). Announces out of turn ({@link #requestPeers()}) honour the last reply's minimum interval.
 * <p>
 * At most one announce is in flight at a time; a request made meanwhile is served when it ends. Announces run on
 * the {@link Scheduler}'s threads and block them while trackers are contacted (bounded by the clients' timeouts).
 * Thread-safe.
 */
public final class Reannouncer implements AutoCloseable {
    private static final System.Logger LOG = System.getLogger(Reannouncer.class.getName());

    /** Runs tasks after a delay; {@link #of(ScheduledExecutorService)} adapts an executor. */
    @ConsumerType
    public interface Scheduler {
        /** Runs {@code task} once after {@code delay}, unless cancelled. */
        Cancellable schedule(Runnable task, Duration delay);

        /** @return the current time of this scheduler's clock, in nanoseconds (as {@link System#nanoTime()}) */
        long nanoTime();

        /** @return a scheduler running tasks on {@code executor}, on the {@link System#nanoTime()} clock */
        static Scheduler of(ScheduledExecutorService executor) {
            Objects.requireNonNull(executor, "executor");
            return new Scheduler() {
                @Override
                public Cancellable schedule(Runnable task, Duration delay) {
                    ScheduledFuture<?> f = executor.schedule(task, delay.toNanos(), TimeUnit.NANOSECONDS);
                    return () -> f.cancel(false);
                }

                @Override
                public long nanoTime() {
                    return System.nanoTime();
                }
            };
        }
    }

    /** A scheduled task that can be called off. */
    @ConsumerType
    @FunctionalInterface
    public interface Cancellable {
        /** Calls the task off if it has not started yet. */
        void cancel();
    }

    /** Builds the request for an announce with the torrent's current numbers. */
    @ConsumerType
    @FunctionalInterface
    public interface RequestSource {
        /** @return the request to send, with the given event */
        AnnounceRequest request(Event event);
    }

    /** Hears the outcome of each announce; called on the scheduler's thread, outside any lock. */
    @ConsumerType
    public interface Listener {
        /**
         * @param event  the event that was announced
         * @param result which tracker answered, and its reply
         * @param next   when the next announce is due, or null if none is planned (after {@link Event#STOPPED}
         *               or {@link Reannouncer#close()})
         */
        default void announced(Event event, TrackerTiers.Result result, Duration next) {
        }

        /**
         * @param event   the event that was not announced
         * @param failure why (all trackers failed)
         * @param retryIn when it is tried again, or null if it is not (after {@link Event#STOPPED} or
         *                {@link Reannouncer#close()})
         */
        default void failed(Event event, TrackerException failure, Duration retryIn) {
        }
    }

    private enum State {
        NEW, RUNNING, STOPPING, CLOSED
    }

    private final TrackerTiers tiers;
    private final TrackerTiers.ClientLookup clients;
    private final RequestSource requests;
    private final Scheduler scheduler;
    private final ReannouncePolicy policy;
    private final Listener listener;

    // all guarded by this
    private State state = State.NEW;
    private boolean startedAcknowledged;
    private boolean completedPending;
    private Cancellable task;
    private long token;
    private long dueAt;
    private boolean inFlight;
    private long requestedDuringFlight;
    private boolean requestedWhileInFlight;
    private int failures;
    private long lastReplyAt;
    private AnnounceResponse lastReply;
    private final CompletableFuture<Void> stopped = new CompletableFuture<>();

    /**
     * @param tiers     the torrent's trackers
     * @param clients   finds the client for a tracker URL
     * @param requests  builds each request with the torrent's current numbers
     * @param scheduler runs the announces
     * @param policy    when to announce after successes and failures
     * @param listener  hears each outcome
     */
    public Reannouncer(TrackerTiers tiers, TrackerTiers.ClientLookup clients, RequestSource requests,
            Scheduler scheduler, ReannouncePolicy policy, Listener listener) {
        this.tiers = Objects.requireNonNull(tiers, "tiers");
        this.clients = Objects.requireNonNull(clients, "clients");
        this.requests = Objects.requireNonNull(requests, "requests");
        this.scheduler = Objects.requireNonNull(scheduler, "scheduler");
        this.policy = Objects.requireNonNull(policy, "policy");
        this.listener = Objects.requireNonNull(listener, "listener");
    }

    /**
     * Announces {@link Event#STARTED} now, then keeps announcing.
     *
     * @throws IllegalStateException if already started
     */
    public synchronized void start() {
        if (state != State.NEW) {
            throw new IllegalStateException("already started");
        }
        state = State.RUNNING;
        due(scheduler.nanoTime());
    }

    /**
     * Announces {@link Event#COMPLETED} now, or as soon as the announce in flight, or {@code started}, has got
     * through; it is retried until it does. While the trackers are failing it waits for the next retry.
     */
    public synchronized void completed() {
        if (state != State.RUNNING || completedPending) {
            return;
        }
        completedPending = true;
        if (failures == 0) {
            due(scheduler.nanoTime());
        }
    }

    /**
     * Asks for an announce out of turn, for more peers: as soon as the last reply's minimum interval allows. While
     * the trackers are failing this does nothing: the backoff decides.
     */
    public synchronized void requestPeers() {
        if (state != State.RUNNING || failures > 0) {
            return;
        }
        long now = scheduler.nanoTime();
        long earliest = lastReply == null ? now
                : now + policy.untilExtraAllowed(Duration.ofNanos(now - lastReplyAt), lastReply).toNanos();
        due(earliest);
    }

    /**
     * Stops the regular announces and sends {@link Event#STOPPED} once (after the announce in flight, if any); it
     * is not retried.
     *
     * @return completes when the stopped announce has been tried (or at once if never started or closed)
     */
    public synchronized CompletableFuture<Void> stop() {
        if (state == State.NEW || state == State.CLOSED) {
            state = State.CLOSED;
            cancelTask();
            stopped.complete(null);
        } else if (state == State.RUNNING) {
            state = State.STOPPING;
            due(scheduler.nanoTime());
        }
        return stopped;
    }

    /** Stops without announcing anything more; an announce in flight still completes. */
    @Override
    public synchronized void close() {
        state = State.CLOSED;
        cancelTask();
        stopped.complete(null);
    }

    /** @return time until the next announce, zero if one is in flight or due, or null if none is planned */
    public synchronized Duration nextAnnounceIn() {
        if (state == State.CLOSED) {
            return null;
        }
        if (inFlight) {
            return Duration.ZERO;
        }
        if (task == null) {
            return null;
        }
        return Duration.ofNanos(Math.max(0, dueAt - scheduler.nanoTime()));
    }

    /** Makes the next announce happen at {@code at} at the latest. Caller holds the lock. */
    private void due(long at) {
        if (inFlight) {
            if (!requestedWhileInFlight || at - requestedDuringFlight < 0) {
                requestedDuringFlight = at;
                requestedWhileInFlight = true;
            }
            return;
        }
        if (task != null && dueAt - at <= 0) {
            return; // already due at least as early
        }
        scheduleAt(at);
    }

    private void scheduleAt(long at) {
        cancelTask();
        long mine = ++token;
        dueAt = at;
        long delay = Math.max(0, at - scheduler.nanoTime());
        task = scheduler.schedule(() -> run(mine), Duration.ofNanos(delay));
    }

    private void cancelTask() {
        if (task != null) {
            task.cancel();
            task = null;
        }
        token++;
    }

    /** The event the next announce carries. Caller holds the lock. */
    private Event nextEvent() {
        if (state == State.STOPPING) {
            return Event.STOPPED;
        }
        if (!startedAcknowledged) {
            return Event.STARTED;
        }
        return completedPending ? Event.COMPLETED : Event.NONE;
    }

    private void run(long mine) {
        Event event;
        synchronized (this) {
            if (mine != token || state == State.CLOSED || state == State.NEW || inFlight) {
                return;
            }
            task = null;
            inFlight = true;
            requestedWhileInFlight = false;
            event = nextEvent();
        }
        TrackerTiers.Result result = null;
        TrackerException failure = null;
        try {
            result = tiers.announce(requests.request(event), clients);
        } catch (TrackerException e) {
            failure = e;
        } catch (RuntimeException e) {
            failure = new TrackerException(null, "announce failed: " + Text.escape(String.valueOf(e), 200), e);
        }
        Duration next = null;
        synchronized (this) {
            inFlight = false;
            long now = scheduler.nanoTime();
            if (event == Event.STOPPED) {
                state = State.CLOSED;
                stopped.complete(null);
            } else {
                if (result != null) {
                    failures = 0;
                    lastReply = result.response();
                    lastReplyAt = now;
                    if (event == Event.STARTED) {
                        startedAcknowledged = true;
                    } else if (event == Event.COMPLETED) {
                        completedPending = false;
                    }
                    // an event still waiting (completed after started) goes out at once
                    next = nextEvent() != Event.NONE ? Duration.ZERO : policy.afterSuccess(result.response());
                } else {
                    failures = failures == Integer.MAX_VALUE ? failures : failures + 1;
                    next = policy.afterFailure(failures, failure);
                }
                if (state == State.CLOSED) {
                    next = null;
                } else {
                    long at = now + next.toNanos();
                    // after a failure only a new event may cut the backoff short, never a request for peers
                    boolean honour = result != null || nextEvent() != event;
                    if (honour && requestedWhileInFlight && requestedDuringFlight - at < 0) {
                        at = requestedDuringFlight;
                    }
                    requestedWhileInFlight = false;
                    scheduleAt(at);
                    next = Duration.ofNanos(Math.max(0, at - now));
                }
            }
        }
        try {
            if (result != null) {
                listener.announced(event, result, next);
            } else {
                listener.failed(event, failure, next);
            }
        } catch (RuntimeException e) {
            LOG.log(Level.WARNING, "announce listener failed", e);
        }
    }
}
