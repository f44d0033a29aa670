package org.stampede.tracker.server;

import java.io.IOException;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.StandardProtocolFamily;
import java.net.URI;
import java.net.UnknownHostException;
import java.nio.channels.DatagramChannel;
import java.time.Duration;
import java.util.Objects;
import java.util.Random;
import java.util.concurrent.atomic.AtomicInteger;

import org.stampede.tracker.server.internal.HttpTrackerHandler;
import org.stampede.tracker.server.internal.HttpTrackerServer;
import org.stampede.tracker.server.internal.Swarms;
import org.stampede.tracker.server.internal.UdpTrackerServer;

/**
 * A small BitTorrent tracker to run inside the client or a test: HTTP announce and scrape (BEP 3, 7, 23, 48) on
 * non-blocking sockets (Apache MINA), and UDP (BEP 15) on one thread. It tracks any torrent announced to it, keeps
 * peers until they stop or are silent for twice the interval, and hands out at most {@link Config#maxNumWant()}
 * peers per reply. A peer is recorded at the address its request came from; an {@code ip} it gives is only
 * believed when it is a loopback address (so that tests can run several peers on one machine), since honouring
 * arbitrary addresses would let anyone point a swarm at a third party.
 * <p>
 * Hostile requests get a {@code failure reason} (HTTP), an error (UDP) or no reply at all (UDP datagrams that are
 * garbage or carry a wrong connection id); none can stop the tracker or make it use memory beyond the
 * configured limits. A slow or silent HTTP client holds no thread, and none of its connections stays open longer
 * than twice {@link HttpLimits#requestTimeout()}; see {@link HttpLimits}.
 */
public final class EmbeddedTracker implements AutoCloseable {

    /**
     * How to run the tracker.
     *
     * @param bindAddress      the address to listen on (the default is the loopback address)
     * @param httpPort         TCP port for HTTP, 0 for an ephemeral one, -1 for no HTTP
     * @param udpPort          UDP port, 0 for an ephemeral one, -1 for no UDP
     * @param interval         the announce interval handed out; peers silent for twice as long are dropped
     * @param maxNumWant       most peers in one reply
     * @param maxSwarms        most torrents tracked at once; announces for more are refused
     * @param maxPeersPerSwarm most peers recorded per torrent
     * @param httpLimits       how the HTTP side bounds its clients (since 0.2)
     */
    public record Config(InetAddress bindAddress, int httpPort, int udpPort, Duration interval, int maxNumWant,
            int maxSwarms, int maxPeersPerSwarm, HttpLimits httpLimits) {

        /** @throws IllegalArgumentException if a port or limit is out of range */
        public Config {
            Objects.requireNonNull(bindAddress, "bindAddress");
            Objects.requireNonNull(interval, "interval");
            Objects.requireNonNull(httpLimits, "httpLimits");
            if (httpPort < -1 || httpPort > 65535 || udpPort < -1 || udpPort > 65535) {
                throw new IllegalArgumentException("ports must be -1..65535: " + httpPort + ", " + udpPort);
            }
            if (interval.toSeconds() < 1 || interval.toSeconds() > Integer.MAX_VALUE) {
                throw new IllegalArgumentException("interval must be at least 1 s: " + interval);
            }
            if (maxNumWant < 0 || maxNumWant > 1000 || maxSwarms < 1 || maxPeersPerSwarm < 1) {
                throw new IllegalArgumentException("limits out of range: maxNumWant " + maxNumWant + ", maxSwarms "
                        + maxSwarms + ", maxPeersPerSwarm " + maxPeersPerSwarm);
            }
        }

        /** The configuration with {@link HttpLimits#defaults()}. */
        public Config(InetAddress bindAddress, int httpPort, int udpPort, Duration interval, int maxNumWant,
                int maxSwarms, int maxPeersPerSwarm) {
            this(bindAddress, httpPort, udpPort, interval, maxNumWant, maxSwarms, maxPeersPerSwarm,
                    HttpLimits.defaults());
        }

        /**
         * Loopback, ephemeral HTTP and UDP ports, interval 30 minutes, 50 peers per reply, 10,000 torrents of at
         * most 10,000 peers, {@link HttpLimits#defaults()}.
         */
        public static Config defaults() {
            return new Config(InetAddress.getLoopbackAddress(), 0, 0, Duration.ofMinutes(30), 50, 10_000, 10_000);
        }

        public Config withBindAddress(InetAddress address) {
            return new Config(address, httpPort, udpPort, interval, maxNumWant, maxSwarms, maxPeersPerSwarm,
                    httpLimits);
        }

        /** @param http TCP port, 0 ephemeral, -1 none; @param udp UDP port, likewise */
        public Config withPorts(int http, int udp) {
            return new Config(bindAddress, http, udp, interval, maxNumWant, maxSwarms, maxPeersPerSwarm, httpLimits);
        }

        public Config withInterval(Duration newInterval) {
            return new Config(bindAddress, httpPort, udpPort, newInterval, maxNumWant, maxSwarms, maxPeersPerSwarm,
                    httpLimits);
        }

        public Config withMaxNumWant(int newMaxNumWant) {
            return new Config(bindAddress, httpPort, udpPort, interval, newMaxNumWant, maxSwarms, maxPeersPerSwarm,
                    httpLimits);
        }

        public Config withLimits(int newMaxSwarms, int newMaxPeersPerSwarm) {
            return new Config(bindAddress, httpPort, udpPort, interval, maxNumWant, newMaxSwarms, newMaxPeersPerSwarm,
                    httpLimits);
        }

        /** @since 0.2 */
        public Config withHttpLimits(HttpLimits newHttpLimits) {
            return new Config(bindAddress, httpPort, udpPort, interval, maxNumWant, maxSwarms, maxPeersPerSwarm,
                    newHttpLimits);
        }
    }

    /**
     * How the HTTP side bounds slow and numerous clients, so that none can hold back another's announce: reading is
     * non-blocking (a slow client costs no thread), and
     *
     * @param requestTimeout           the time a connection has, from its accept, to send its whole request head:
     *                                 a deadline that bytes trickled one at a time do not extend. Then it gets a
     *                                 bencoded failure and is closed. An answered connection has as long again to
     *                                 take its reply.
     * @param maxConnections           most HTTP connections open at once; one more is closed as it is accepted
     * @param maxConnectionsPerAddress most open at once from one address; one more is closed as it is accepted
     * @since 0.2
     */
    public record HttpLimits(Duration requestTimeout, int maxConnections, int maxConnectionsPerAddress) {

        /** @throws IllegalArgumentException if a limit is out of range */
        public HttpLimits {
            Objects.requireNonNull(requestTimeout, "requestTimeout");
            if (requestTimeout.toMillis() < 1 || requestTimeout.toSeconds() > 3600) {
                throw new IllegalArgumentException("requestTimeout must be 1 ms to 1 h: " + requestTimeout);
            }
            if (maxConnections < 1 || maxConnectionsPerAddress < 1) {
                throw new IllegalArgumentException("limits out of range: maxConnections " + maxConnections
                        + ", maxConnectionsPerAddress " + maxConnectionsPerAddress);
            }
        }

        /** 5 s to send a request, 512 connections, 16 per address. */
        public static HttpLimits defaults() {
            return new HttpLimits(Duration.ofSeconds(5), 512, 16);
        }
    }

    /**
     * A torrent's numbers as the tracker sees them.
     *
     * @param complete   seeders
     * @param incomplete leechers
     * @param downloaded completed downloads reported
     */
    public record SwarmStats(int complete, int incomplete, int downloaded) {
    }

    private static final AtomicInteger INSTANCES = new AtomicInteger();
    private static final InetAddress IPV6_LOOPBACK;

    static {
        try {
            IPV6_LOOPBACK = InetAddress.getByAddress(new byte[] { 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1 });
        } catch (UnknownHostException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    private final Config config;
    private final Swarms swarms;
    private final HttpTrackerServer http;
    private final UdpTrackerServer udp;
    private final int httpPort;
    private final int udpPort;

    private EmbeddedTracker(Config config, Swarms swarms, HttpTrackerServer http, UdpTrackerServer udp, int httpPort,
            int udpPort) {
        this.config = config;
        this.swarms = swarms;
        this.http = http;
        this.udp = udp;
        this.httpPort = httpPort;
        this.udpPort = udpPort;
    }

    /**
     * Binds the ports and starts serving.
     *
     * @throws IOException if a port cannot be bound (nothing is left open then)
     */
    public static EmbeddedTracker start(Config config) throws IOException {
        Swarms swarms = new Swarms(config.interval(), config.maxSwarms(), config.maxPeersPerSwarm(),
                System::nanoTime, new Random());
        int id = INSTANCES.incrementAndGet();
        HttpTrackerServer http = null;
        UdpTrackerServer udp = null;
        DatagramChannel channel = null;
        try {
            int httpPort = -1;
            if (config.httpPort() >= 0) {
                HttpLimits limits = config.httpLimits();
                http = HttpTrackerServer.start(new InetSocketAddress(config.bindAddress(), config.httpPort()),
                        new HttpTrackerHandler(swarms, config.interval(), config.maxNumWant()),
                        limits.requestTimeout(), limits.maxConnections(), limits.maxConnectionsPerAddress(),
                        "stampede-tracker-http-" + id);
                httpPort = http.port();
            }
            int udpPort = -1;
            if (config.udpPort() >= 0) {
                channel = DatagramChannel.open(config.bindAddress() instanceof Inet6Address
                        ? StandardProtocolFamily.INET6 : StandardProtocolFamily.INET);
                channel.bind(new InetSocketAddress(config.bindAddress(), config.udpPort()));
                udp = new UdpTrackerServer(channel, swarms, config.interval(), config.maxNumWant(), System::nanoTime);
                udpPort = udp.port();
                udp.start();
            }
            return new EmbeddedTracker(config, swarms, http, udp, httpPort, udpPort);
        } catch (IOException | RuntimeException e) {
            if (http != null) {
                http.close();
            }
            if (udp != null) {
                udp.close();
            } else if (channel != null) {
                channel.close();
            }
            throw e;
        }
    }

    /** @return the HTTP port bound, or -1 without HTTP */
    public int httpPort() {
        return httpPort;
    }

    /** @return the UDP port bound, or -1 without UDP */
    public int udpPort() {
        return udpPort;
    }

    /**
     * @return {@code http://<address>:<port>/announce}
     * @throws IllegalStateException without HTTP
     */
    public URI httpAnnounceUrl() {
        if (httpPort < 0) {
            throw new IllegalStateException("HTTP is off");
        }
        return URI.create("http://" + host() + ":" + httpPort + "/announce");
    }

    /**
     * @return {@code udp://<address>:<port>/announce}
     * @throws IllegalStateException without UDP
     */
    public URI udpAnnounceUrl() {
        if (udpPort < 0) {
            throw new IllegalStateException("UDP is off");
        }
        return URI.create("udp://" + host() + ":" + udpPort + "/announce");
    }

    /** @return the numbers of the torrent {@code infoHash} (20 bytes), or null if nobody announced it lately */
    public SwarmStats stats(byte[] infoHash) {
        if (infoHash.length != 20) {
            throw new IllegalArgumentException("info-hash must be 20 bytes, not " + infoHash.length);
        }
        Swarms.Counts c = swarms.scrape(infoHash);
        return c == null ? null : new SwarmStats(c.complete(), c.incomplete(), c.downloaded());
    }

    /** @return how many torrents are tracked */
    public int torrentCount() {
        return swarms.size();
    }

    /** For tests: the HTTP connections open and counted against the limits, or 0 without HTTP. */
    int httpConnections() {
        return http == null ? 0 : http.openConnections();
    }

    /** @return the configuration it runs with */
    public Config config() {
        return config;
    }

    /** Stops serving and closes the ports. */
    @Override
    public void close() {
        if (http != null) {
            http.close();
        }
        if (udp != null) {
            try {
                udp.close();
            } catch (IOException e) {
                // closing a datagram channel: nothing left to do
            }
        }
    }

    /** The host part of the URLs: the bind address, or loopback for a wildcard bind. */
    private String host() {
        InetAddress a = config.bindAddress();
        if (a.isAnyLocalAddress()) {
            a = a instanceof Inet6Address ? IPV6_LOOPBACK : InetAddress.getLoopbackAddress();
        }
        String s = a.getHostAddress();
        int scope = s.indexOf('%');
        if (scope >= 0) {
            s = s.substring(0, scope);
        }
        return a instanceof Inet6Address ? "[" + s + "]" : s;
    }
}
