package org.stampede.testing.plugins;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.stampede.spi.PeerOrigin;
import org.stampede.spi.PeerSink;
import org.stampede.spi.PeerSource;
import org.stampede.spi.SwarmContext;

/**
 * A peer source for tests: gives every torrent the addresses of its {@code peers} property ({@code host:port,...})
 * and then {@code flood} made-up ones (127.x.y.z on loopback, where nothing listens: dialing them is refused at
 * once; origin {@link PeerOrigin#OTHER}), as a hostile source might.
 */
@Component(service = PeerSource.class, configurationPid = "org.stampede.testing.plugins.peers",
        configurationPolicy = ConfigurationPolicy.REQUIRE)
public final class FixedPeerSource implements PeerSource {
    public static final String NAME = "fixed";
    private static final AtomicInteger STARTED = new AtomicInteger();
    private static final AtomicInteger STOPPED = new AtomicInteger();
    private List<InetSocketAddress> peers = List.of();
    private int flood;

    /** Lookups started and stopped so far, by every instance of the JVM. */
    public static int started() {
        return STARTED.get();
    }

    public static int stopped() {
        return STOPPED.get();
    }

    @Activate
    void activate(Map<String, Object> config) {
        List<InetSocketAddress> out = new ArrayList<>();
        Object p = config.get("peers");
        if (p != null) {
            for (String s : p.toString().split(",")) {
                s = s.strip();
                int colon = s.lastIndexOf(':');
                if (colon > 0) {
                    out.add(new InetSocketAddress(s.substring(0, colon), Integer.parseInt(s.substring(colon + 1))));
                }
            }
        }
        peers = List.copyOf(out);
        Object f = config.get("flood");
        flood = f == null ? 0 : Integer.parseInt(f.toString());
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public Lookup start(SwarmContext torrent, PeerSink sink) {
        STARTED.incrementAndGet();
        for (InetSocketAddress a : peers) {
            sink.add(a, PeerOrigin.OTHER);
        }
        for (int i = 0; i < flood; i++) {
            try {
                sink.add(new InetSocketAddress(InetAddress.getByAddress(new byte[] { 127, (byte) (100 + (i >>> 16)),
                        (byte) (i >>> 8), (byte) i }), 9), PeerOrigin.OTHER);
            } catch (java.net.UnknownHostException e) {
                throw new IllegalStateException(e);
            }
        }
        return () -> {
            STOPPED.incrementAndGet();
            return CompletableFuture.completedFuture(null);
        };
    }
}
