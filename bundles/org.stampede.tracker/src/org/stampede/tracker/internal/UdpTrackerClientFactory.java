package org.stampede.tracker.internal;

import java.net.URI;
import java.time.Duration;
import java.util.Locale;
import java.util.Set;
import java.util.function.LongSupplier;

import org.osgi.service.component.annotations.Component;
import org.stampede.tracker.TrackerClient;
import org.stampede.tracker.TrackerClientFactory;

/**
 * Makes UDP tracker clients (BEP 15) with the specification's retransmission schedule: 15 s, doubling up to
 * 15 * 2^8 s.
 */
@Component(service = TrackerClientFactory.class, property = TrackerClientFactory.SCHEMES + "=udp")
public final class UdpTrackerClientFactory implements TrackerClientFactory {
    static final Duration BASE_TIMEOUT = Duration.ofSeconds(15);
    static final int MAX_RETRANSMITS = 8;

    private final Duration base;
    private final int maxRetransmits;
    private final LongSupplier clock;

    /** With the BEP 15 schedule. */
    public UdpTrackerClientFactory() {
        this(BASE_TIMEOUT, MAX_RETRANSMITS, System::nanoTime);
    }

    /**
     * @param base           first timeout
     * @param maxRetransmits largest n in {@code base * 2^n}, 0..16
     * @param clock          nanosecond clock for the connection id's lifetime
     */
    UdpTrackerClientFactory(Duration base, int maxRetransmits, LongSupplier clock) {
        if (!base.isPositive() || maxRetransmits < 0 || maxRetransmits > 16) {
            throw new IllegalArgumentException("bad retransmission schedule: " + base + ", " + maxRetransmits);
        }
        this.base = base;
        this.maxRetransmits = maxRetransmits;
        this.clock = clock;
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
        return new UdpTrackerClient(announceUrl, base, maxRetransmits, clock);
    }
}
