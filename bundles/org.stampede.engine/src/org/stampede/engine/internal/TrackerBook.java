package org.stampede.engine.internal;

import java.net.URI;
import java.util.ArrayList;
import java.util.List;

import org.stampede.engine.TrackerStatus;
import org.stampede.tracker.AnnounceResponse;
import org.stampede.tracker.ScrapeResponse;
import org.stampede.tracker.TrackerException;

/**
 * What is known of each tracker of one torrent, for {@link org.stampede.engine.TorrentHandle#trackers()}: written
 * by the announce threads when an announce or scrape ends, read by the UI. Its own small lock, never a torrent's.
 */
final class TrackerBook {
    private final String[] urls;
    private final URI[] uris;
    private final int[] tiers;
    private final TrackerStatus.State[] states;
    private final String[] errors;
    private final long[] nextAt;
    private final int[] seeds;
    private final int[] leechers;
    private final int[] downloaded;

    TrackerBook(List<List<String>> tierList) {
        List<String> u = new ArrayList<>();
        List<Integer> t = new ArrayList<>();
        for (int tier = 0; tier < tierList.size(); tier++) {
            for (String url : tierList.get(tier)) {
                u.add(url);
                t.add(tier);
            }
        }
        int n = u.size();
        urls = u.toArray(String[]::new);
        uris = new URI[n];
        tiers = new int[n];
        states = new TrackerStatus.State[n];
        errors = new String[n];
        nextAt = new long[n];
        seeds = new int[n];
        leechers = new int[n];
        downloaded = new int[n];
        for (int i = 0; i < n; i++) {
            tiers[i] = t.get(i);
            states[i] = TrackerStatus.State.NOT_CONTACTED;
            seeds[i] = -1;
            leechers[i] = -1;
            downloaded[i] = -1;
            try {
                uris[i] = URI.create(urls[i]);
            } catch (IllegalArgumentException e) {
                states[i] = TrackerStatus.State.FAILED;
                errors[i] = "not a valid URL: " + e.getMessage();
            }
        }
    }

    private int indexOf(URI url) {
        for (int i = 0; i < uris.length; i++) {
            if (uris[i] != null && uris[i].equals(url)) {
                return i;
            }
        }
        return -1;
    }

    /** {@code url} answered an announce; the next one is due at {@code next} (wall-clock ms, 0 for none). */
    synchronized void answered(URI url, AnnounceResponse response, long next) {
        int i = indexOf(url);
        if (i < 0) {
            return;
        }
        states[i] = TrackerStatus.State.WORKING;
        errors[i] = response.warningMessage() == null ? null : "warning: " + response.warningMessage();
        nextAt[i] = next;
        seeds[i] = response.complete() == null ? -1 : response.complete();
        leechers[i] = response.incomplete() == null ? -1 : response.incomplete();
    }

    /**
     * Every tracker tried failed: each one named in {@code failure} or its suppressed failures gets its message;
     * the next try is at {@code next} (wall-clock ms, 0 for none).
     */
    synchronized void failed(TrackerException failure, long next) {
        Throwable[] each = failure.getSuppressed();
        if (each.length == 0) {
            failed(failure.tracker(), failure.getMessage(), next);
        }
        for (Throwable t : each) {
            if (t instanceof TrackerException e) {
                failed(e.tracker(), e.getMessage(), next);
            }
        }
    }

    private void failed(URI url, String message, long next) {
        int i = url == null ? -1 : indexOf(url);
        if (i >= 0) {
            states[i] = TrackerStatus.State.FAILED;
            errors[i] = message;
            nextAt[i] = next;
        }
    }

    synchronized void scraped(URI url, ScrapeResponse.Entry entry) {
        int i = indexOf(url);
        if (i >= 0) {
            seeds[i] = entry.complete();
            leechers[i] = entry.incomplete();
            downloaded[i] = entry.downloaded();
        }
    }

    synchronized List<TrackerStatus> snapshot() {
        List<TrackerStatus> out = new ArrayList<>(urls.length);
        for (int i = 0; i < urls.length; i++) {
            out.add(new TrackerStatus(urls[i], tiers[i], states[i], errors[i], nextAt[i], seeds[i], leechers[i],
                    downloaded[i]));
        }
        return out;
    }
}
