package org.stampede.engine.internal;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.function.Predicate;

import org.stampede.spi.PeerOrigin;
import org.stampede.spi.PeerSink;

/**
 * One torrent's candidate peers, as every peer source feeds them: bounded, each address with the origins it was
 * heard from, its failed attempts and when it may be tried again. The model is libtorrent's {@code peer_list}
 * ({@code max_peerlist_size}, {@code max_failcount}): a full list evicts its worst candidate for a better one and
 * refuses the rest; an address that keeps failing is dropped; nothing a source sends can grow it past its bound.
 * <p>
 * Thread-safe (one lock per list, held briefly): sources add from their own threads, the engine's timer takes
 * candidates, and the network threads report outcomes.
 */
final class PeerList implements PeerSink {
    /** Default bound, as libtorrent's {@code max_peerlist_size} (3000 for a torrent that runs). */
    static final int DEFAULT_MAX = 4000;
    /** First wait after a failed attempt; it doubles with each further failure. */
    static final long RETRY_BASE_MS = 30_000;
    static final long RETRY_MAX_MS = 30 * 60_000;
    /** After a connection that worked ended: wait this long before dialing the peer again. */
    static final long RECONNECT_MS = 60_000;
    /** Failed attempts after which an address is dropped: verified origins (tracker, manual), and the rest. */
    static final int MAX_FAILURES_TRUSTED = 6;
    static final int MAX_FAILURES_UNVERIFIED = 3;
    private static final int TRUSTED = PeerOrigin.TRACKER.bit() | PeerOrigin.MANUAL.bit() | PeerOrigin.INCOMING.bit();

    /** One candidate. Guarded by the list's lock. */
    static final class Candidate {
        final InetSocketAddress address;
        int origins;
        int failures;
        long retryAt;
        boolean connecting;
        boolean connected;
        /** Order of arrival, to try older candidates first and evict the newest of equals last. */
        final long serial;

        Candidate(InetSocketAddress address, int origins, long serial) {
            this.address = address;
            this.origins = origins;
            this.serial = serial;
        }

        boolean trusted() {
            return (origins & TRUSTED) != 0;
        }

        boolean busy() {
            return connecting || connected;
        }

        /** Lower is better: failures first, then unverified origins. */
        int badness() {
            return failures * 2 + (trusted() ? 0 : 1);
        }
    }

    private final int max;
    private final Predicate<InetSocketAddress> refuse;
    private final LongClock clock;
    private final LinkedHashMap<InetSocketAddress, Candidate> entries = new LinkedHashMap<>();
    private long serial;
    private long refused;
    private long evicted;

    /** The engine's clock in milliseconds. */
    @FunctionalInterface
    interface LongClock {
        long nowMillis();
    }

    /**
     * @param max    most candidates kept
     * @param refuse addresses never to keep: ourselves, banned ones
     */
    PeerList(int max, Predicate<InetSocketAddress> refuse, LongClock clock) {
        if (max < 1) {
            throw new IllegalArgumentException("peer list bound " + max);
        }
        this.max = max;
        this.refuse = refuse;
        this.clock = clock;
    }

    static boolean usable(InetSocketAddress a) {
        if (a == null || a.isUnresolved() || a.getPort() <= 0 || a.getPort() > 65535) {
            return false;
        }
        InetAddress ip = a.getAddress();
        return !ip.isAnyLocalAddress() && !ip.isMulticastAddress();
    }

    @Override
    public boolean add(InetSocketAddress address, PeerOrigin origin) {
        if (!usable(address) || origin == null || refuse.test(address)) {
            synchronized (this) {
                refused++;
            }
            return false;
        }
        synchronized (this) {
            Candidate c = entries.get(address);
            if (c != null) {
                c.origins |= origin.bit();
                if (origin == PeerOrigin.MANUAL) {
                    c.failures = 0; // the user asks for it: try now
                    c.retryAt = 0;
                }
                return true;
            }
            if (entries.size() >= max && !evictFor(origin)) {
                refused++;
                return false;
            }
            entries.put(address, new Candidate(address, origin.bit(), serial++));
            return true;
        }
    }

    /** Makes room for a newcomer from {@code origin}: drops the worst idle candidate if it is no better. */
    private boolean evictFor(PeerOrigin origin) {
        int newcomer = (TRUSTED & origin.bit()) != 0 ? 0 : 1;
        Candidate worst = null;
        for (Candidate c : entries.values()) {
            if (!c.busy() && (worst == null || c.badness() > worst.badness()
                    || c.badness() == worst.badness() && c.serial > worst.serial)) {
                worst = c;
            }
        }
        if (worst == null || worst.badness() < newcomer) {
            return false;
        }
        entries.remove(worst.address);
        evicted++;
        return true;
    }

    /**
     * Up to {@code n} candidates to dial now, best first (fewest failures, trusted origins, oldest); each is marked
     * connecting until {@link #connected}, {@link #failed} or {@link #disconnected} is reported for it.
     *
     * @param skip addresses already connected some other way (an incoming connection of the same peer)
     */
    synchronized List<InetSocketAddress> candidates(int n, Predicate<InetSocketAddress> skip) {
        if (n <= 0 || entries.isEmpty()) {
            return List.of();
        }
        long now = clock.nowMillis();
        List<Candidate> eligible = new ArrayList<>();
        for (Candidate c : entries.values()) {
            if (!c.busy() && c.retryAt <= now && !skip.test(c.address)) {
                eligible.add(c);
            }
        }
        if (eligible.size() > 1) {
            eligible.sort((a, b) -> a.badness() != b.badness() ? Integer.compare(a.badness(), b.badness())
                    : Long.compare(a.serial, b.serial));
        }
        List<InetSocketAddress> out = new ArrayList<>(Math.min(n, eligible.size()));
        for (Candidate c : eligible) {
            if (out.size() >= n) {
                break;
            }
            c.connecting = true;
            out.add(c.address);
        }
        return out;
    }

    /** Whether a candidate could be dialed now (see {@link #candidates}); marks nothing. */
    synchronized boolean hasCandidate(Predicate<InetSocketAddress> skip) {
        long now = clock.nowMillis();
        for (Candidate c : entries.values()) {
            if (!c.busy() && c.retryAt <= now && !skip.test(c.address)) {
                return true;
            }
        }
        return false;
    }

    /** A dial to the address completed its handshake. */
    synchronized void connected(InetSocketAddress a) {
        Candidate c = entries.get(a);
        if (c != null) {
            c.connecting = false;
            c.connected = true;
            c.failures = 0;
        }
    }

    /** A dial failed or the peer closed before its handshake: try again later, or drop it after too many. */
    synchronized void failed(InetSocketAddress a) {
        Candidate c = entries.get(a);
        if (c == null) {
            return;
        }
        c.connecting = false;
        c.connected = false;
        c.failures++;
        if (c.failures >= (c.trusted() ? MAX_FAILURES_TRUSTED : MAX_FAILURES_UNVERIFIED)) {
            entries.remove(a);
            return;
        }
        c.retryAt = clock.nowMillis() + Math.min(RETRY_MAX_MS, RETRY_BASE_MS << Math.min(16, c.failures - 1));
    }

    /** A connection that worked ended. */
    synchronized void disconnected(InetSocketAddress a) {
        Candidate c = entries.get(a);
        if (c != null) {
            c.connecting = false;
            c.connected = false;
            c.retryAt = clock.nowMillis() + RECONNECT_MS;
        }
    }

    /** Drops a candidate (banned). */
    synchronized void remove(InetAddress ip) {
        for (Iterator<Candidate> it = entries.values().iterator(); it.hasNext();) {
            if (it.next().address.getAddress().equals(ip)) {
                it.remove();
            }
        }
    }

    /**
     * The torrent resumes after a pause: its connections are gone, so every candidate may be dialed at once (their
     * failure counts stay).
     */
    synchronized void resumed() {
        for (Candidate c : entries.values()) {
            c.connecting = false;
            c.connected = false;
            c.retryAt = 0;
        }
    }

    synchronized int size() {
        return entries.size();
    }

    synchronized int max() {
        return max;
    }

    /** Addresses refused so far (unusable, ours, banned, or no room). */
    synchronized long refused() {
        return refused;
    }

    synchronized long evicted() {
        return evicted;
    }

    /** The candidate for an address, or null; for tests. */
    synchronized Candidate get(InetSocketAddress a) {
        return entries.get(a);
    }
}
