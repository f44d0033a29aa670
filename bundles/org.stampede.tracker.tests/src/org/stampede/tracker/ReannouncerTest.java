package org.stampede.tracker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Deque;
import java.util.LinkedList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CompletableFuture;

import org.junit.jupiter.api.Test;
import org.stampede.tracker.AnnounceRequest.Event;

/** The re-announce schedule, run on a manual clock: no test waits for real time. */
class ReannouncerTest {
    static final URI T = URI.create("http://t.example/announce");
    static final AnnounceRequest REQUEST = AnnounceRequest.of(new byte[20], new byte[20], 6881, 100);

    /** Runs tasks only when told, on a clock that moves only when told. */
    static final class ManualScheduler implements Reannouncer.Scheduler {
        long now = 1_000_000_000L;
        final List<Task> tasks = new ArrayList<>();

        final class Task implements Reannouncer.Cancellable {
            final Runnable run;
            final long at;

            Task(Runnable run, long at) {
                this.run = run;
                this.at = at;
            }

            @Override
            public void cancel() {
                tasks.remove(this);
            }
        }

        @Override
        public Reannouncer.Cancellable schedule(Runnable task, Duration delay) {
            Task t = new Task(task, now + delay.toNanos());
            tasks.add(t);
            return t;
        }

        @Override
        public long nanoTime() {
            return now;
        }

        /** @return the delay until the next task, or null if none */
        Duration nextDelay() {
            return tasks.stream().min(Comparator.comparingLong(t -> t.at)).map(t -> Duration.ofNanos(t.at - now))
                    .orElse(null);
        }

        /** Moves the clock to the next task and runs it; returns how far the clock moved. */
        Duration runNext() {
            Task t = tasks.stream().min(Comparator.comparingLong(x -> x.at)).orElseThrow();
            tasks.remove(t);
            Duration moved = Duration.ofNanos(t.at - now);
            now = t.at;
            t.run.run();
            return moved;
        }
    }

    /** One tracker answering from a script: a Duration is a reply with that interval, null a failure. */
    static final class ScriptedTracker implements TrackerTiers.ClientLookup {
        final Deque<Duration> script = new LinkedList<>(); // null elements: failures
        final List<Event> events = new ArrayList<>();
        Duration minInterval = Duration.ofMinutes(5);
        Runnable during = () -> {
        };

        @Override
        public TrackerClient clientFor(URI url) {
            return new TrackerClient() {
                @Override
                public AnnounceResponse announce(AnnounceRequest request) throws TrackerException {
                    events.add(request.event());
                    during.run();
                    Duration next = script.isEmpty() ? Duration.ofMinutes(30) : script.poll();
                    if (next == null) {
                        throw new TrackerException(url, "down");
                    }
                    return new AnnounceResponse(next, minInterval, List.of(), null, null, null, null);
                }

                @Override
                public ScrapeResponse scrape(List<byte[]> infoHashes) {
                    throw new UnsupportedOperationException();
                }

                @Override
                public boolean supportsScrape() {
                    return false;
                }
            };
        }
    }

    final ManualScheduler scheduler = new ManualScheduler();
    final ScriptedTracker tracker = new ScriptedTracker();
    final Reannouncer announcer = new Reannouncer(new TrackerTiers(List.of(List.of(T)), new Random(1)), tracker,
            REQUEST::withEvent, scheduler, ReannouncePolicy.DEFAULT, new Reannouncer.Listener() {
            });

    @Test
    void startAnnouncesStartedAtOnce() {
        announcer.start();
        assertEquals(Duration.ZERO, scheduler.runNext());
        assertEquals(List.of(Event.STARTED), tracker.events);
    }

    @Test
    void regularAnnouncesFollowTheTrackersInterval() {
        tracker.script.add(Duration.ofMinutes(10));
        tracker.script.add(Duration.ofMinutes(20));
        announcer.start();
        scheduler.runNext();
        assertEquals(Duration.ofMinutes(10), scheduler.runNext());
        assertEquals(Duration.ofMinutes(20), scheduler.nextDelay());
        assertEquals(List.of(Event.STARTED, Event.NONE), tracker.events);
    }

    @Test
    void failedStartedIsRetriedAsStartedWithGrowingDelays() {
        tracker.script.add(null);
        tracker.script.add(null);
        tracker.script.add(null);
        announcer.start();
        scheduler.runNext();
        assertEquals(Duration.ofSeconds(15), scheduler.runNext());
        assertEquals(Duration.ofSeconds(30), scheduler.runNext());
        assertEquals(Duration.ofSeconds(60), scheduler.runNext());
        assertEquals(List.of(Event.STARTED, Event.STARTED, Event.STARTED, Event.STARTED), tracker.events);
        scheduler.runNext();
        assertEquals(Event.NONE, tracker.events.get(4));
    }

    @Test
    void completedBeforeStartedGotThroughFollowsItAtOnce() {
        tracker.script.add(null);
        announcer.start();
        scheduler.runNext();
        announcer.completed();
        assertEquals(Duration.ofSeconds(15), scheduler.runNext());
        assertEquals(Duration.ZERO, scheduler.runNext());
        assertEquals(List.of(Event.STARTED, Event.STARTED, Event.COMPLETED), tracker.events);
    }

    @Test
    void hostileIntervalsNeverMakeATightLoop() {
        for (int i = 0; i < 20; i++) {
            tracker.script.add(i % 2 == 0 ? Duration.ZERO : Duration.ofNanos(1));
        }
        announcer.start();
        scheduler.runNext();
        for (int i = 0; i < 19; i++) {
            Duration d = scheduler.runNext();
            assertTrue(d.compareTo(Duration.ofSeconds(60)) >= 0, d.toString());
        }
    }

    @Test
    void completedIsAnnouncedAtOnceAndOnlyOnce() {
        announcer.start();
        scheduler.runNext();
        announcer.completed();
        assertEquals(Duration.ZERO, scheduler.runNext());
        scheduler.runNext();
        assertEquals(List.of(Event.STARTED, Event.COMPLETED, Event.NONE), tracker.events);
    }

    @Test
    void completedDuringAnAnnounceIsSentRightAfterIt() {
        announcer.start();
        tracker.during = () -> {
            tracker.during = () -> {
            };
            announcer.completed();
        };
        scheduler.runNext();
        assertEquals(Duration.ZERO, scheduler.runNext());
        assertEquals(List.of(Event.STARTED, Event.COMPLETED), tracker.events);
    }

    @Test
    void requestForPeersWaitsForTheMinInterval() {
        announcer.start();
        scheduler.runNext();
        scheduler.now += Duration.ofMinutes(2).toNanos();
        announcer.requestPeers();
        assertEquals(Duration.ofMinutes(3), scheduler.nextDelay());
    }

    @Test
    void requestForPeersIsIgnoredWhileTrackersFail() {
        tracker.script.add(null);
        announcer.start();
        scheduler.runNext();
        announcer.requestPeers();
        assertEquals(Duration.ofSeconds(15), scheduler.nextDelay());
    }

    @Test
    void stopAnnouncesStoppedOnceAndPlansNothingMore() {
        announcer.start();
        scheduler.runNext();
        tracker.script.add(null); // even a failed stopped is not retried
        CompletableFuture<Void> done = announcer.stop();
        assertEquals(Duration.ZERO, scheduler.runNext());
        assertTrue(done.isDone());
        assertEquals(List.of(Event.STARTED, Event.STOPPED), tracker.events);
        assertNull(scheduler.nextDelay());
        assertNull(announcer.nextAnnounceIn());
    }

    @Test
    void closeCancelsWithoutAnnouncing() {
        announcer.start();
        scheduler.runNext();
        announcer.close();
        assertNull(scheduler.nextDelay());
        assertEquals(List.of(Event.STARTED), tracker.events);
    }

    @Test
    void stopBeforeStartSendsNothing() {
        assertTrue(announcer.stop().isDone());
        assertNull(scheduler.nextDelay());
    }
}
