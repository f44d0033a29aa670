package org.stampede.tracker;

import java.util.List;

import org.osgi.annotation.versioning.ProviderType;

/**
 * Talks to one tracker, identified by its announce URL. Implementations are thread-safe and keep no resources
 * open between calls, so a client can simply be dropped. Calls block until the tracker has answered or the
 * transport's timeouts have run out; every call is bounded in time.
 */
@ProviderType
public interface TrackerClient {

    /** Most info-hashes one {@link #scrape} call accepts: what fits in one UDP packet (BEP 15). */
    int MAX_SCRAPE_HASHES = 74;

    /**
     * Announces to the tracker.
     *
     * @return the tracker's reply, intervals clamped to sane bounds
     * @throws TrackerException if the tracker is unreachable, times out, refuses the request or answers with
     *                          something that is not a valid reply
     */
    AnnounceResponse announce(AnnounceRequest request) throws TrackerException;

    /**
     * Asks the tracker for the swarm sizes of up to {@value #MAX_SCRAPE_HASHES} torrents (BEP 48, BEP 15).
     *
     * @param infoHashes 20-byte info-hashes (v1, or v2 truncated to 20 bytes)
     * @return what the tracker reported; torrents it does not know are missing from it
     * @throws TrackerException              if the tracker cannot be scraped, is unreachable or answers badly
     * @throws IllegalArgumentException      if the list is empty, longer than {@value #MAX_SCRAPE_HASHES}, or holds
     *                                       a hash that is not 20 bytes
     */
    ScrapeResponse scrape(List<byte[]> infoHashes) throws TrackerException;

    /** @return whether {@link #scrape} can work for this tracker (for HTTP: whether a scrape URL can be derived) */
    boolean supportsScrape();
}
