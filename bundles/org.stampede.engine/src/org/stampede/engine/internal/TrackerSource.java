package org.stampede.engine.internal;

import java.net.InetSocketAddress;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Function;

import org.stampede.spi.PeerOrigin;
import org.stampede.spi.PeerSink;
import org.stampede.spi.PeerSource;
import org.stampede.spi.SwarmContext;
import org.stampede.tracker.AnnounceRequest;
import org.stampede.tracker.AnnounceResponse;
import org.stampede.tracker.ReannouncePolicy;
import org.stampede.tracker.Reannouncer;
import org.stampede.tracker.ScrapeResponse;
import org.stampede.tracker.TrackerClient;
import org.stampede.tracker.TrackerException;
import org.stampede.tracker.TrackerTiers;

/**
 * Tracker announces as a peer source: for each torrent a {@link Reannouncer} over its tiers (BEP 12), announcing
 * {@code started}, {@code completed} and {@code stopped} and re-announcing as the trackers ask; the peers they give
 * go into the torrent's peer list tagged {@link PeerOrigin#TRACKER}. The engine's built-in source, held like any
 * other; the only one private torrents use.
 */
final class TrackerSource implements PeerSource {
    static final String NAME = "tracker";

    private final Function<URI, TrackerClient> clients;
    private final ScheduledExecutorService announcer;

    /**
     * @param clients   the tracker client for an announce URL (cached per URL by the engine), or null for none
     * @param announcer the threads announces and scrapes run on
     */
    TrackerSource(Function<URI, TrackerClient> clients, ScheduledExecutorService announcer) {
        this.clients = clients;
        this.announcer = announcer;
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public boolean allowsPrivate() {
        return true;
    }

    @Override
    public Lookup start(SwarmContext torrent, PeerSink sink) {
        return new TrackerLookup(torrent, sink);
    }

    /** The announce URLs of a torrent's tiers that parse; bad ones are logged and left out. */
    static List<List<URI>> tiers(SwarmContext torrent) {
        List<List<URI>> tiers = new ArrayList<>();
        for (List<String> tier : torrent.trackers()) {
            List<URI> uris = new ArrayList<>();
            for (String u : tier) {
                try {
                    uris.add(URI.create(u));
                } catch (IllegalArgumentException e) {
                    torrent.log("ignored tracker " + u + ": " + e.getMessage());
                }
            }
            if (!uris.isEmpty()) {
                tiers.add(uris);
            }
        }
        return tiers;
    }

    /** One torrent's announces, and what its trackers said (for {@code TorrentHandle#trackers}). */
    final class TrackerLookup implements Lookup {
        final TrackerBook book;
        private final SwarmContext torrent;
        private final Reannouncer reannouncer;

        TrackerLookup(SwarmContext torrent, PeerSink sink) {
            this.torrent = torrent;
            this.book = new TrackerBook(torrent.trackers());
            List<List<URI>> tiers = tiers(torrent);
            if (tiers.isEmpty()) {
                reannouncer = null;
                return;
            }
            int key = ThreadLocalRandom.current().nextInt();
            reannouncer = new Reannouncer(new TrackerTiers(tiers), url -> {
                TrackerClient c = clients.apply(url);
                if (c == null) {
                    throw new TrackerException(url, "no tracker client for scheme " + url.getScheme());
                }
                return c;
            }, event -> new AnnounceRequest(torrent.infoHash(), torrent.peerId(), torrent.listenPort(),
                    torrent.uploaded(), torrent.downloaded(), torrent.left(), event, AnnounceRequest.DEFAULT_NUM_WANT,
                    true, key, null, null, null), Reannouncer.Scheduler.of(announcer), ReannouncePolicy.DEFAULT,
                    new Reannouncer.Listener() {
                        @Override
                        public void announced(AnnounceRequest.Event event, TrackerTiers.Result result,
                                Duration next) {
                            AnnounceResponse response = result.response();
                            for (InetSocketAddress a : response.peers()) {
                                sink.add(a, PeerOrigin.TRACKER);
                            }
                            book.answered(result.tracker(), response, wallClockIn(next));
                            if (event != AnnounceRequest.Event.STOPPED) {
                                scrapeLater(result.tracker());
                            }
                        }

                        @Override
                        public void failed(AnnounceRequest.Event event, TrackerException failure, Duration retry) {
                            if (event == AnnounceRequest.Event.STOPPED) {
                                return; // the stop goes on regardless
                            }
                            book.failed(failure, wallClockIn(retry));
                            String message = "tracker: " + failure.getMessage();
                            if (torrent instanceof SwarmView s) {
                                s.error(message);
                            }
                            torrent.log(message + (retry == null ? "" : "; retry in " + retry.toSeconds() + " s"));
                        }
                    });
            reannouncer.start();
        }

        private static long wallClockIn(Duration d) {
            return d == null ? 0 : System.currentTimeMillis() + d.toMillis();
        }

        /** Asks a tracker that just answered for the swarm's download count, off the announce thread's path. */
        private void scrapeLater(URI url) {
            try {
                announcer.execute(() -> {
                    try {
                        TrackerClient c = clients.apply(url);
                        if (c != null && c.supportsScrape()) {
                            ScrapeResponse.Entry e = c.scrape(List.of(torrent.infoHash())).find(torrent.infoHash());
                            if (e != null) {
                                book.scraped(url, e);
                            }
                        }
                    } catch (TrackerException | RuntimeException e) {
                        torrent.log("scrape " + url + ": " + e.getMessage());
                    }
                });
            } catch (RejectedExecutionException e) {
                // the engine is closing
            }
        }

        @Override
        public void completed() {
            if (reannouncer != null) {
                reannouncer.completed();
            }
        }

        @Override
        public void refresh() {
            if (reannouncer != null) {
                reannouncer.requestPeers();
            }
        }

        @Override
        public CompletableFuture<Void> stop() {
            return reannouncer == null ? CompletableFuture.completedFuture(null) : reannouncer.stop();
        }
    }
}
