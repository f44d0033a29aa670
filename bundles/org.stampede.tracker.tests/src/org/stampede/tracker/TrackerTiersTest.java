package org.stampede.tracker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;

import org.junit.jupiter.api.Test;

/** BEP 12: shuffle each tier once, try in order, promote the tracker that answered within its tier. */
class TrackerTiersTest {
    static final URI A = URI.create("http://a.example/announce");
    static final URI B = URI.create("http://b.example/announce");
    static final URI C = URI.create("udp://c.example:6969");
    static final URI D = URI.create("udp://d.example:6969");
    static final AnnounceRequest REQUEST = AnnounceRequest.of(new byte[20], new byte[20], 6881, 0);

    /** Trackers that fail unless listed as working; records the order tried and the tracker ids sent. */
    static final class Trackers implements TrackerTiers.ClientLookup {
        final Set<URI> working;
        final Map<URI, String> idsToHandOut = new HashMap<>();
        final List<URI> tried = new ArrayList<>();
        final List<String> idsSent = new ArrayList<>();

        Trackers(URI... working) {
            this.working = Set.of(working);
        }

        @Override
        public TrackerClient clientFor(URI url) {
            return new TrackerClient() {
                @Override
                public AnnounceResponse announce(AnnounceRequest request) throws TrackerException {
                    tried.add(url);
                    idsSent.add(request.trackerId());
                    if (!working.contains(url)) {
                        throw new TrackerException(url, "down", url == C ? Duration.ofMinutes(7) : null, null);
                    }
                    return new AnnounceResponse(null, null, List.of(), null, null, null, idsToHandOut.get(url));
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

    static List<URI> shuffled(List<URI> tier, long seed) {
        List<URI> copy = new ArrayList<>(tier);
        Collections.shuffle(copy, new Random(seed));
        return copy;
    }

    @Test
    void eachTierIsShuffledWithTheGivenRandom() {
        List<URI> tier0 = List.of(A, B, C, D);
        Random r = new Random(42);
        List<URI> expected = shuffled(tier0, 42);
        assertEquals(List.of(expected), new TrackerTiers(List.of(tier0), r).order());
    }

    @Test
    void duplicatesAndEmptyTiersAreDropped() {
        TrackerTiers t = new TrackerTiers(List.of(List.of(A), List.of(), List.of(A, B)), new Random(1));
        assertEquals(List.of(List.of(A), List.of(B)), t.order());
    }

    @Test
    void firstTrackerThatAnswersWinsAndLaterOnesAreNotTried() throws Exception {
        TrackerTiers t = new TrackerTiers(List.of(List.of(A), List.of(B)), new Random(1));
        Trackers trackers = new Trackers(A, B);
        assertEquals(A, t.announce(REQUEST, trackers).tracker());
        assertEquals(List.of(A), trackers.tried);
    }

    @Test
    void nextTierIsTriedOnlyWhenTheWholeTierFailed() throws Exception {
        TrackerTiers t = new TrackerTiers(List.of(List.of(A, B), List.of(C)), new Random(1));
        Trackers trackers = new Trackers(C);
        assertEquals(C, t.announce(REQUEST, trackers).tracker());
        assertEquals(Set.of(A, B), Set.copyOf(trackers.tried.subList(0, 2)));
        assertEquals(C, trackers.tried.get(2));
    }

    @Test
    void trackerThatAnsweredMovesToTheFrontOfItsTier() throws Exception {
        TrackerTiers t = new TrackerTiers(List.of(List.of(A, B, C, D)), new Random(7));
        List<URI> before = t.order().get(0);
        URI last = before.get(3);
        Trackers trackers = new Trackers(last);
        t.announce(REQUEST, trackers);
        List<URI> after = t.order().get(0);
        assertEquals(last, after.get(0));
        assertEquals(before.subList(0, 3), after.subList(1, 4));
        trackers.tried.clear();
        t.announce(REQUEST, trackers);
        assertEquals(List.of(last), trackers.tried);
    }

    @Test
    void allFailingGivesOneExceptionWithEachFailureAndTheShortestHint() {
        TrackerTiers t = new TrackerTiers(List.of(List.of(A), List.of(C, D)), new Random(1));
        TrackerException e = assertThrows(TrackerException.class, () -> t.announce(REQUEST, new Trackers()));
        assertEquals(3, e.getSuppressed().length);
        assertTrue(e.getMessage().contains("all 3 trackers failed; last: down"), e.getMessage());
        assertEquals(Duration.ofMinutes(7), e.retryAfter().orElseThrow());
    }

    @Test
    void lookupThatThrowsCountsAsAFailedTracker() throws Exception {
        TrackerTiers t = new TrackerTiers(List.of(List.of(A), List.of(B)), new Random(1));
        Trackers trackers = new Trackers(B);
        TrackerTiers.ClientLookup lookup = url -> {
            if (url == A) {
                throw new IllegalArgumentException("no factory for scheme");
            }
            return trackers.clientFor(url);
        };
        assertEquals(B, t.announce(REQUEST, lookup).tracker());
    }

    @Test
    void noTrackersIsAFailure() {
        TrackerTiers t = new TrackerTiers(List.of(), new Random(1));
        assertTrue(t.isEmpty());
        assertThrows(TrackerException.class, () -> t.announce(REQUEST, new Trackers()));
    }

    @Test
    void trackerIdIsEchoedToTheTrackerThatGaveIt() throws Exception {
        TrackerTiers t = new TrackerTiers(List.of(List.of(A)), new Random(1));
        Trackers trackers = new Trackers(A);
        trackers.idsToHandOut.put(A, "id-7");
        t.announce(REQUEST, trackers);
        t.announce(REQUEST.withTrackerId("stale"), trackers);
        assertEquals(Arrays.asList(null, "id-7"), trackers.idsSent);
    }
}
