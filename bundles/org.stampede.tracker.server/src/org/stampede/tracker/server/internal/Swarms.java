package org.stampede.tracker.server.internal;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;

/**
 * The tracker's state: one swarm per info-hash, each with its own lock (no global lock on the announce path).
 * Peers are keyed by address and port; a peer not heard from for twice the announce interval is dropped. Memory is
 * bounded by the number of swarms and of peers per swarm; an announce beyond those limits is refused (new swarm) or
 * served without being recorded (new peer in a full swarm).
 * <p>
 * Pure logic on a clock: no I/O.
 */
public final class Swarms {

    /** Why a peer announces. */
    public enum Event {
        NONE, COMPLETED, STARTED, STOPPED
    }

    /** Which peers a reply may carry. */
    public enum Family {
        IPV4, IPV6, ANY;

        boolean admits(Peer p) {
            return this == ANY || (this == IPV4) == p.ipv4();
        }
    }

    /**
     * One announce, validated by the transport.
     *
     * @param infoHash 20 bytes
     * @param peerId   20 bytes
     * @param address  where the peer is (the packet's source, or a loopback address it gave)
     * @param port     its listen port, 1..65535
     * @param left     bytes it still needs; 0 means a seeder
     * @param numWant  peers wanted, already capped by the transport
     * @param family   which peers the reply can carry
     */
    public record Announce(byte[] infoHash, byte[] peerId, InetAddress address, int port, long left, Event event,
            int numWant, Family family) {
    }

    /**
     * A swarm's numbers.
     *
     * @param complete   seeders
     * @param incomplete leechers
     * @param downloaded completed downloads reported
     */
    public record Counts(int complete, int incomplete, int downloaded) {
        static final Counts NONE = new Counts(0, 0, 0);
    }

    /**
     * The answer to an announce.
     *
     * @param peers  other peers of the swarm, at most numWant, randomly chosen
     * @param counts the swarm's numbers after the announce
     */
    public record Reply(List<Peer> peers, Counts counts) {
    }

    /** An announce that cannot be served; the message goes back to the peer. */
    public static final class Refused extends Exception {
        private static final long serialVersionUID = 1L;

        public Refused(String message) {
            super(message, null, false, false);
        }
    }

    /** A peer: its endpoint, its compact form (6 or 18 bytes) and what it last said. */
    public static final class Peer {
        final InetSocketAddress endpoint;
        final byte[] compact;
        byte[] peerId;
        boolean seeder;
        boolean countedComplete;
        long lastSeen;

        Peer(InetSocketAddress endpoint) {
            this.endpoint = endpoint;
            byte[] a = endpoint.getAddress().getAddress();
            this.compact = ByteBuffer.allocate(a.length + 2).put(a).putShort((short) endpoint.getPort()).array();
        }

        public boolean ipv4() {
            return compact.length == 6;
        }

        /** @return address and port as in a compact peer list (not a copy: do not modify) */
        public byte[] compact() {
            return compact;
        }

        public InetSocketAddress endpoint() {
            return endpoint;
        }

        public byte[] peerId() {
            return peerId;
        }
    }

    private record Key(long a, long b, int c) {
        static Key of(byte[] h) {
            ByteBuffer bb = ByteBuffer.wrap(h);
            return new Key(bb.getLong(), bb.getLong(), bb.getInt());
        }
    }

    /** One torrent's peers: a list for cheap random picks, and an index by endpoint. Guarded by itself. */
    private static final class Swarm {
        final ArrayList<Peer> peers = new ArrayList<>();
        final Map<InetSocketAddress, Integer> index = new HashMap<>();
        int seeders;
        int downloaded;
        long lastPurge;
        boolean dead;

        Swarm(long now) {
            lastPurge = now;
        }

        Counts counts() {
            return new Counts(seeders, peers.size() - seeders, downloaded);
        }

        void remove(int i) {
            Peer p = peers.get(i);
            index.remove(p.endpoint);
            if (p.seeder) {
                seeders--;
            }
            Peer last = peers.remove(peers.size() - 1);
            if (last != p) {
                peers.set(i, last);
                index.put(last.endpoint, i);
            }
        }

        void purge(long now, long ttl) {
            lastPurge = now;
            for (int i = peers.size() - 1; i >= 0; i--) {
                if (now - peers.get(i).lastSeen > ttl) {
                    remove(i);
                }
            }
        }
    }

    private final ConcurrentHashMap<Key, Swarm> swarms = new ConcurrentHashMap<>();
    private final long ttl;
    private final long purgeEvery;
    private final int maxSwarms;
    private final int maxPeersPerSwarm;
    private final LongSupplier clock;
    private final Random random;
    private final AtomicLong nextSweep;
    private final long sweepEvery;

    /**
     * @param interval         the announce interval handed out; peers expire after twice that
     * @param maxSwarms        most torrents tracked at once
     * @param maxPeersPerSwarm most peers recorded per torrent
     * @param clock            nanosecond clock
     * @param random           picks the peers handed out
     */
    public Swarms(Duration interval, int maxSwarms, int maxPeersPerSwarm, LongSupplier clock, Random random) {
        this.ttl = interval.toNanos() * 2;
        this.purgeEvery = Math.max(1, interval.toNanos() / 16);
        this.maxSwarms = maxSwarms;
        this.maxPeersPerSwarm = maxPeersPerSwarm;
        this.clock = clock;
        this.random = random;
        this.sweepEvery = interval.toNanos();
        this.nextSweep = new AtomicLong(clock.getAsLong() + sweepEvery);
    }

    /** Records the announce and picks peers for the reply. */
    public Reply announce(Announce a) throws Refused {
        long now = clock.getAsLong();
        sweepIfDue(now);
        Key key = Key.of(a.infoHash());
        InetSocketAddress endpoint = new InetSocketAddress(a.address(), a.port());
        for (;;) {
            Swarm s = a.event() == Event.STOPPED ? swarms.get(key) : swarmFor(key, now);
            if (s == null) {
                return new Reply(List.of(), Counts.NONE);
            }
            synchronized (s) {
                if (s.dead) {
                    continue; // swept away meanwhile: take the new one
                }
                if (now - s.lastPurge >= purgeEvery) {
                    s.purge(now, ttl);
                }
                Integer at = s.index.get(endpoint);
                if (a.event() == Event.STOPPED) {
                    if (at != null) {
                        s.remove(at);
                    }
                    return new Reply(List.of(), s.counts());
                }
                Peer p = at == null ? null : s.peers.get(at);
                if (p == null && s.peers.size() < maxPeersPerSwarm) {
                    p = new Peer(endpoint);
                    s.index.put(endpoint, s.peers.size());
                    s.peers.add(p);
                }
                if (p != null) {
                    update(s, p, a, now);
                } else if (a.event() == Event.COMPLETED) {
                    s.downloaded++; // full swarm: the download still counts
                }
                return new Reply(pick(s, endpoint, a.numWant(), a.family(), now), s.counts());
            }
        }
    }

    /** @return the numbers of the swarm of {@code infoHash}, or null if there is none */
    public Counts scrape(byte[] infoHash) {
        Swarm s = swarms.get(Key.of(infoHash));
        if (s == null) {
            return null;
        }
        synchronized (s) {
            return s.dead ? null : s.counts();
        }
    }

    /** @return the number of swarms (torrents with peers, or recently with peers) */
    public int size() {
        return swarms.size();
    }

    private Swarm swarmFor(Key key, long now) throws Refused {
        Swarm s = swarms.get(key);
        if (s != null) {
            return s;
        }
        if (swarms.size() >= maxSwarms) {
            throw new Refused("tracker is full: it tracks " + maxSwarms + " torrents already");
        }
        return swarms.computeIfAbsent(key, k -> new Swarm(now));
    }

    private static void update(Swarm s, Peer p, Announce a, long now) {
        boolean seeder = a.left() == 0;
        if (seeder != p.seeder) {
            s.seeders += seeder ? 1 : -1;
            p.seeder = seeder;
        }
        if (a.event() == Event.COMPLETED && !p.countedComplete) {
            p.countedComplete = true;
            s.downloaded++;
        }
        p.peerId = a.peerId();
        p.lastSeen = now;
    }

    /** Up to {@code n} live peers other than {@code self}, a window from a random start. */
    private List<Peer> pick(Swarm s, InetSocketAddress self, int n, Family family, long now) {
        int size = s.peers.size();
        List<Peer> out = new ArrayList<>(Math.min(n, size));
        if (n <= 0 || size == 0) {
            return out;
        }
        int start = random.nextInt(size);
        for (int i = 0; i < size && out.size() < n; i++) {
            Peer p = s.peers.get((start + i) % size);
            if (!p.endpoint.equals(self) && family.admits(p) && now - p.lastSeen <= ttl) {
                out.add(p);
            }
        }
        return out;
    }

    /**
     * Every interval, one announcing thread purges every swarm and drops the empty ones (their download counts are
     * forgotten: an empty swarm must not hold a slot of {@code maxSwarms} for ever).
     */
    private void sweepIfDue(long now) {
        long due = nextSweep.get();
        if (now - due < 0 || !nextSweep.compareAndSet(due, now + sweepEvery)) {
            return;
        }
        for (Map.Entry<Key, Swarm> e : swarms.entrySet()) {
            Swarm s = e.getValue();
            synchronized (s) {
                s.purge(now, ttl);
                if (s.peers.isEmpty()) {
                    s.dead = true;
                    swarms.remove(e.getKey(), s);
                }
            }
        }
    }
}
