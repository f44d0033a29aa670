package org.stampede.choker.propshare;

import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.random.RandomGenerator;

import org.stampede.api.ChokeDecision;
import org.stampede.api.Choker;
import org.stampede.api.PeerView;
import org.stampede.api.TorrentView;

/**
 * PropShare (Levin, LaCurts, Spring, Bhattacharjee, "BitTorrent is an Auction", SIGCOMM 2008), as closely as an
 * unchoke decision can express it. PropShare gives each peer a share of our upload bandwidth proportional to what
 * it uploaded to us in the last round, and keeps a fraction of the bandwidth for optimistic unchokes that bootstrap
 * newcomers. Each round:
 * <ul>
 * <li><b>Contributors.</b> Every interested peer that sent us payload since the last rechoke
 * ({@link PeerView#downloadedSinceRechoke()} above 0) gets a regular unchoke, the largest contributors first, up
 * to {@code capFactor} &times; {@link ChokeDecision#uploadSlots()} of them (a negative slot count means no cap). A
 * peer that gave nothing gets no regular unchoke, however fast it used to be. When our capacity is known (an
 * upload limit, {@link ChokeDecision#uploadLimit()}), each contributor is given its proportional share of the
 * {@code 100 - }{@value #EXPLORATION_PERCENT}% not kept for exploration,
 * {@code capacity * 0.8 * given_p / sum(given)}, at least {@value #MIN_SHARE} B/s, through
 * {@link ChokeDecision#unchoke(PeerView, long)}, and the explorers share what is left; without a limit there is
 * nothing to divide, and the engine serves the unchoked peers alike.</li>
 * <li><b>Exploration.</b> So that about {@value #EXPLORATION_PERCENT}% of the unchoked peers (and so, with the
 * engine serving them alike, about that share of the bandwidth) are optimistic, ceil(R / 4) further peers are
 * unchoked for R contributors, at least one; and while fewer than {@code uploadSlots()} peers contributed, the
 * unused regular slots go to exploration too, so a new torrent uploads to {@code uploadSlots()} peers before anyone
 * has given anything. Each explorer is drawn at random from the choked peers that gave us nothing last round (a
 * contributor left out by the cap stays out: exploration is for peers with nothing to show yet; a peer connected
 * less than 60 s ago {@value #NEW_PEER_WEIGHT} times as likely, as in BEP 3) and keeps its unchoke for
 * {@value #ROTATION_MILLIS} ms on the engine's clock, unless it wins a regular unchoke, leaves, or the number of
 * explorers falls (the longest-held go first).</li>
 * </ul>
 * The first explorer is reported as the optimistic unchoke ({@link ChokeDecision#unchokeOptimistically}); the API
 * has one such slot, so the others are plain unchokes, and a choker swapped in keeps only the reported one.
 * {@code uploadSlots()} of 0 means no uploads at all. A rechoke sorts the contributors, O(n log n), and keeps a
 * record of at most as many explorers as there are interested peers.
 */
final class PropShareChoker implements Choker {
    /** The share of unchoked peers that explore, in percent: one in five, as in BitTorrent's 4 + 1. */
    static final int EXPLORATION_PERCENT = 20;
    /** The factory's cap: contributors unchoked, as a multiple of the configured slots. */
    static final int DEFAULT_CAP_FACTOR = 2;
    /** The least upload rate a contributor is given, bytes per second: one block a second. */
    static final long MIN_SHARE = 16 * 1024;
    /** How long an explorer keeps its unchoke. */
    static final long ROTATION_MILLIS = 30_000;
    /** A peer connected less than this long ago counts as new. */
    static final long NEW_PEER_MILLIS = 60_000;
    /** How much likelier a new peer is to be drawn. */
    static final int NEW_PEER_WEIGHT = 3;

    /** An explorer: the connection (id and connection time tell a reconnection apart) and since when it explores. */
    private record Explorer(int id, long connectedAt, long since) {
        boolean is(PeerView peer) {
            return peer.id() == id && peer.connectedAtMillis() == connectedAt;
        }
    }

    private final RandomGenerator random;
    private final int capFactor;
    /** The explorers, longest-held first. */
    private final List<Explorer> explorers = new ArrayList<>();
    private final List<PeerView> ranked = new ArrayList<>();
    private final Set<PeerView> regular = Collections.newSetFromMap(new IdentityHashMap<>());
    private final List<PeerView> exploring = new ArrayList<>();

    PropShareChoker(RandomGenerator random, int capFactor) {
        this.random = Objects.requireNonNull(random, "random");
        if (capFactor < 1) {
            throw new IllegalArgumentException("cap factor must be at least 1: " + capFactor);
        }
        this.capFactor = capFactor;
    }

    @Override
    public void rechoke(TorrentView torrent, List<? extends PeerView> peers, ChokeDecision decision) {
        int slots = decision.uploadSlots();
        if (slots == 0) {
            explorers.clear();
            return;
        }
        long now = torrent.nowMillis();
        try {
            for (PeerView peer : peers) {
                if (peer.downloadedSinceRechoke() > 0) {
                    ranked.add(peer);
                }
            }
            ranked.sort(PropShareChoker::compare);
            int cap = slots < 0 ? ranked.size() : (int) Math.min(ranked.size(), (long) capFactor * slots);
            int wanted = explorerCount(cap, slots);
            // with a known capacity (an upload limit), each contributor gets its proportional share of what the
            // explorers leave; without one there is nothing to divide, and the engine serves them alike
            long capacity = decision.uploadLimit();
            long forContributors = capacity > 0 ? capacity - capacity * EXPLORATION_PERCENT / 100 : 0;
            long given = 0;
            for (int i = 0; i < cap; i++) {
                given += ranked.get(i).downloadedSinceRechoke();
            }
            for (int i = 0; i < cap; i++) {
                PeerView peer = ranked.get(i);
                if (forContributors > 0 && given > 0) {
                    decision.unchoke(peer, Math.max(MIN_SHARE,
                            (long) ((double) forContributors * peer.downloadedSinceRechoke() / given)));
                } else {
                    decision.unchoke(peer);
                }
                regular.add(peer);
            }
            keepExplorers(now, peers, wanted);
            drawExplorers(now, peers, wanted);
            for (int i = 0; i < exploring.size(); i++) {
                if (i == 0) {
                    decision.unchokeOptimistically(exploring.get(i));
                } else {
                    decision.unchoke(exploring.get(i));
                }
            }
        } finally {
            ranked.clear(); // views are valid only during the call
            regular.clear();
            exploring.clear();
        }
    }

    /** How many explorers go with {@code contributors} regular unchokes. */
    static int explorerCount(int contributors, int slots) {
        long proportional = ((long) contributors * EXPLORATION_PERCENT + (100 - EXPLORATION_PERCENT) - 1)
                / (100 - EXPLORATION_PERCENT);
        long unusedSlots = slots < 0 ? 0 : slots - contributors;
        return (int) Math.max(1, Math.max(proportional, unusedSlots));
    }

    /**
     * Keeps the explorers that are still interested, have not won a regular unchoke and are within their time, at
     * most {@code wanted} of them (the most recent); fills {@link #exploring} with their views.
     */
    private void keepExplorers(long now, List<? extends PeerView> peers, int wanted) {
        if (explorers.isEmpty()) {
            for (PeerView peer : peers) { // a choker swapped in continues the reported optimistic unchoke
                if (peer.optimistic() && !regular.contains(peer)) {
                    explorers.add(new Explorer(peer.id(), peer.connectedAtMillis(), now));
                }
            }
        }
        explorers.removeIf(e -> {
            PeerView peer = find(peers, e);
            return peer == null || regular.contains(peer) || now - e.since() >= ROTATION_MILLIS;
        });
        while (explorers.size() > wanted) {
            explorers.remove(0);
        }
        for (Explorer e : explorers) {
            exploring.add(find(peers, e));
        }
    }

    /** Draws explorers until there are {@code wanted} or no candidate is left. */
    private void drawExplorers(long now, List<? extends PeerView> peers, int wanted) {
        while (exploring.size() < wanted) {
            PeerView next = draw(now, peers);
            if (next == null) {
                return;
            }
            exploring.add(next);
            explorers.add(new Explorer(next.id(), next.connectedAtMillis(), now));
        }
    }

    private PeerView draw(long now, List<? extends PeerView> peers) {
        long total = 0;
        for (PeerView peer : peers) {
            if (candidate(peer)) {
                total += weight(now, peer);
            }
        }
        if (total == 0) {
            return null;
        }
        long ticket = random.nextLong(total);
        for (PeerView peer : peers) {
            if (candidate(peer)) {
                ticket -= weight(now, peer);
                if (ticket < 0) {
                    return peer;
                }
            }
        }
        throw new IllegalStateException("peer list changed during a rechoke");
    }

    /** Choked now, gave us nothing last round, not already exploring. */
    private boolean candidate(PeerView peer) {
        if (!peer.amChoking() || peer.downloadedSinceRechoke() > 0) {
            return false;
        }
        for (PeerView e : exploring) {
            if (e == peer) {
                return false;
            }
        }
        return true;
    }

    private static int weight(long now, PeerView peer) {
        return now - peer.connectedAtMillis() < NEW_PEER_MILLIS ? NEW_PEER_WEIGHT : 1;
    }

    private static PeerView find(List<? extends PeerView> peers, Explorer e) {
        for (PeerView peer : peers) {
            if (e.is(peer)) {
                return peer;
            }
        }
        return null;
    }

    /** The larger contribution first, then the higher download rate, then peers unchoked now, then by id. */
    static int compare(PeerView a, PeerView b) {
        int c = Long.compare(b.downloadedSinceRechoke(), a.downloadedSinceRechoke());
        if (c == 0) {
            c = Long.compare(b.downloadRate(), a.downloadRate());
        }
        if (c == 0) {
            c = Boolean.compare(a.amChoking(), b.amChoking());
        }
        return c != 0 ? c : Integer.compare(a.id(), b.id());
    }
}
