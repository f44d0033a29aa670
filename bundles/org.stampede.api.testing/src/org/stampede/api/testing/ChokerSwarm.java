package org.stampede.api.testing;

import java.util.ArrayList;
import java.util.List;
import java.util.NoSuchElementException;

import org.stampede.api.Choker;

/**
 * Drives a {@link Choker} round by round the way the engine does: a torrent of {@value #PIECE_COUNT} pieces of
 * 256 KiB whose clock starts at {@value #START_MILLIS} ms, its connected interested peers, and a {@link #rechoke}
 * that calls the choker, applies its decision to the peers (choke state, optimistic flag, time of the last unchoke),
 * starts a new round of traffic and moves the clock on. Between rechokes a test sets each peer's traffic of the
 * round with {@link TestPeer#gave} and {@link TestPeer#took}, as the engine measures it.
 * <p>
 * The peers of a swarm have pieces over {@value #PIECE_COUNT} pieces (none at first, see
 * {@link TestPeer#hasFirst}), are interested in us and speak the Fast extension. Not thread-safe.
 */
public final class ChokerSwarm {
    /** The engine's rechoke interval, by which {@link #rechoke()} moves the clock on. */
    public static final long ROUND_MILLIS = TestPeer.ROUND_MILLIS;
    /** The length of every piece of the torrent, 16 blocks. */
    public static final int PIECE_LENGTH = 256 * 1024;
    /** The number of pieces of the torrent. */
    public static final int PIECE_COUNT = 100;
    /** The clock at the start, far enough from 0 that peers can have connected minutes before. */
    public static final long START_MILLIS = 1_000_000;

    private final TestTorrent torrent = new TestTorrent(PIECE_COUNT, PIECE_LENGTH / TestTorrent.BLOCK_SIZE)
            .at(START_MILLIS);
    private final List<TestPeer> peers = new ArrayList<>();
    private final int slots;
    private Choker choker;
    private long uploadLimit = -1;
    private long uploadRate;

    /**
     * A swarm without peers whose decisions offer {@code slots} upload slots, no upload limit and no upload rate.
     * {@code choker} may be null when the test only needs {@link #torrent()} (to create a choker from a factory,
     * then {@link #use} it).
     */
    public ChokerSwarm(Choker choker, int slots) {
        this.choker = choker;
        this.slots = slots;
    }

    /** Replaces the choker, as the engine does when the user switches strategies; the peers stay as they are. */
    public ChokerSwarm use(Choker replacement) {
        choker = replacement;
        return this;
    }

    /** The torrent the choker is given; set its info-hash here to change its random seed. */
    public TestTorrent torrent() {
        return torrent;
    }

    /** The engine's clock now. */
    public long now() {
        return torrent.nowMillis();
    }

    /** What the next decisions report as the upload limit in bytes per second, -1 for none. */
    public ChokerSwarm uploadLimit(long bytesPerSecond) {
        uploadLimit = bytesPerSecond;
        return this;
    }

    /** What the next decisions report as our measured upload rate in bytes per second. */
    public ChokerSwarm uploadRate(long bytesPerSecond) {
        uploadRate = bytesPerSecond;
        return this;
    }

    /** Connects a peer that connected {@code agoMillis} before now. */
    public TestPeer connect(int id, long agoMillis) {
        TestPeer peer = new TestPeer(id, new MutablePieceSet(PIECE_COUNT)).connectedAtMillis(now() - agoMillis)
                .peerInterested(true).supportsFast(true);
        peers.add(peer);
        return peer;
    }

    /** Connects {@code n} more peers, numbered on from the current peer count, that connected ten minutes ago. */
    public ChokerSwarm connectOld(int n) {
        for (int i = 0; i < n; i++) {
            connect(peers.size(), 600_000);
        }
        return this;
    }

    /**
     * The connected peers in the order they connected, the list the choker is given. The list is live: removing a
     * peer disconnects it.
     */
    public List<TestPeer> peers() {
        return peers;
    }

    /** The connected peer with id {@code id}. */
    public TestPeer peer(int id) {
        for (TestPeer peer : peers) {
            if (peer.id() == id) {
                return peer;
            }
        }
        throw new NoSuchElementException("no connected peer with id " + id);
    }

    /** How many peers hold a regular (not optimistic) unchoke now. */
    public int regularlyUnchokedCount() {
        int n = 0;
        for (TestPeer peer : peers) {
            if (!peer.amChoking() && !peer.optimistic()) {
                n++;
            }
        }
        return n;
    }

    /**
     * One rechoke: the choker decides, the decision is applied, the traffic of the round is reset (set it again
     * with {@link TestPeer#gave} and {@link TestPeer#took} before the next rechoke), and the clock moves on by
     * {@link #ROUND_MILLIS}.
     */
    public RecordedDecision rechoke() {
        return rechoke(ROUND_MILLIS);
    }

    /** One rechoke, after which the clock moves on by {@code nextInMillis} (the engine may rechoke early). */
    public RecordedDecision rechoke(long nextInMillis) {
        if (choker == null) {
            throw new IllegalStateException("no choker: pass one to the constructor or to use()");
        }
        RecordedDecision decision = new RecordedDecision(slots, uploadLimit, uploadRate);
        long now = now();
        choker.rechoke(torrent, List.copyOf(peers), decision);
        for (TestPeer peer : peers) {
            boolean optimistic = decision.optimistic().contains(peer);
            boolean unchoked = optimistic || decision.unchoked().contains(peer);
            if (unchoked && peer.amChoking()) {
                peer.lastUnchokedAtMillis(now);
            }
            peer.amChoking(!unchoked).optimistic(optimistic).newRound();
        }
        torrent.at(now + nextInMillis);
        return decision;
    }
}
