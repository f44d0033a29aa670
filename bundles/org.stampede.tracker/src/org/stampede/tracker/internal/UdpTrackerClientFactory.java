package org.stampede.tracker.internal;

import java.net.URI;
import java.time.Duration;
import java.util.Locale;
import java.util.Set;
import java.util.function.LongSupplier;

import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.stampede.tracker.TrackerClient;
import org.stampede.tracker.TrackerClientFactory;

/**
 * Makes UDP tracker clients (BEP 15) with the specification's retransmission timeouts, 15 s doubling, but giving up
 * after the second (45 s in all) instead of the specification's eighth (over an hour): the shared socket cannot see
 * a closed port's ICMP answer, so a dead tracker is only known by its silence, and an announce thread held for an
 * hour would keep every later tracker of the tier waiting. The {@code Reannouncer} retries a failed announce with its
 * own back-off, as libtorrent gives up on a tracker within its completion timeout and retries later. All of them share the factory's {@link UdpTrackerSockets}: one UDP socket per address family, opened
 * when the first request of that family goes out, one receiving thread, and the trackers' connection ids. The
 * clients own nothing and can simply be dropped; {@link #deactivate()} closes the sockets.
 */
@Component(service = TrackerClientFactory.class, property = TrackerClientFactory.SCHEMES + "=udp")
public final class UdpTrackerClientFactory implements TrackerClientFactory {
    static final Duration BASE_TIMEOUT = Duration.ofSeconds(15);
    static final int MAX_RETRANSMITS = 1;

    private final Duration base;
    private final int maxRetransmits;
    private final UdpTrackerSockets sockets;

    /** With the BEP 15 timeouts, cut after the second. */
    public UdpTrackerClientFactory() {
        this(BASE_TIMEOUT, MAX_RETRANSMITS, System::nanoTime);
    }

    /**
     * @param base           first timeout
     * @param maxRetransmits largest n in {@code base * 2^n}, 0..16
     * @param clock          nanosecond clock for the connection ids' lifetime
     */
    UdpTrackerClientFactory(Duration base, int maxRetransmits, LongSupplier clock) {
        if (!base.isPositive() || maxRetransmits < 0 || maxRetransmits > 16) {
            throw new IllegalArgumentException("bad retransmission schedule: " + base + ", " + maxRetransmits);
        }
        this.base = base;
        this.maxRetransmits = maxRetransmits;
        this.sockets = new UdpTrackerSockets(clock);
    }

    @Override
    public Set<String> schemes() {
        return Set.of("udp");
    }

    @Override
    public TrackerClient create(URI announceUrl) {
        String scheme = announceUrl.getScheme() == null ? "" : announceUrl.getScheme().toLowerCase(Locale.ROOT);
        if (!scheme.equals("udp")) {
            throw new IllegalArgumentException("not a udp tracker URL: " + Text.tracker(announceUrl));
        }
        if (announceUrl.getHost() == null) {
            throw new IllegalArgumentException("udp tracker URL has no host: " + Text.tracker(announceUrl));
        }
        if (announceUrl.getPort() <= 0 || announceUrl.getPort() > 65535) {
            throw new IllegalArgumentException("udp tracker URL has no port: " + Text.tracker(announceUrl));
        }
        return new UdpTrackerClient(announceUrl, sockets, base, maxRetransmits);
    }

    /** The shared sockets (for tests). */
    UdpTrackerSockets sockets() {
        return sockets;
    }

    /** Closes the shared sockets: requests in flight fail at once, and so does every later one. */
    @Deactivate
    void deactivate() {
        sockets.close();
    }
}
