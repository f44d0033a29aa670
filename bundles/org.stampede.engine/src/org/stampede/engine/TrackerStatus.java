package org.stampede.engine;

/**
 * A snapshot of one tracker of a torrent, for the UI.
 *
 * @param url            the announce URL as the torrent gives it
 * @param tier           its tier (BEP 12), from 0
 * @param state          how the last announce to it went
 * @param lastError      why the last announce to it failed, or null
 * @param nextAnnounceAt wall-clock milliseconds of the next planned announce, or 0 when none is planned or known
 * @param seeds          seeders the tracker last reported, or -1 when it did not say
 * @param leechers       leechers the tracker last reported, or -1 when it did not say
 * @param downloaded     completed downloads from the tracker's last scrape, or -1 when unknown
 */
public record TrackerStatus(String url, int tier, State state, String lastError, long nextAnnounceAt, int seeds,
        int leechers, int downloaded) {

    public enum State {
        /** Not announced to yet (or only other trackers of its tier were needed). */
        NOT_CONTACTED,
        /** The last announce to it succeeded. */
        WORKING,
        /** The last announce to it failed. */
        FAILED
    }
}
