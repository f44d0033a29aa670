package org.stampede.choker.bittyrant;

import java.util.ArrayList;
import java.util.List;

import org.stampede.api.BlockState;
import org.stampede.api.Choker;
import org.stampede.api.PieceSet;
import org.stampede.api.TorrentView;

/**
 * A torrent's interested peers and the engine's side of choking: calls the choker every 10 s of virtual time and
 * applies its decision to the peers (choke state, optimistic flag, time of the last unchoke).
 */
final class Swarm implements TorrentView {
    static final long ROUND_MILLIS = 10_000;
    static final int PIECE_LENGTH = 256 * 1024;
    static final int PIECE_COUNT = 100;

    final List<FakePeer> peers = new ArrayList<>();
    private Choker choker;
    private final int slots;
    long now = 1_000_000;
    /** What the decision reports as the upload limit (-1: none) and as our upload rate. */
    long uploadLimit = -1;
    long uploadRate;

    Swarm(Choker choker, int slots) {
        this.choker = choker;
        this.slots = slots;
    }

    /** Replaces the choker, as the engine does when the user switches strategies; the peers stay as they are. */
    void use(Choker replacement) {
        choker = replacement;
    }

    /** Adds a peer that connected {@code agoMillis} before now. */
    FakePeer connect(int id, long agoMillis) {
        FakePeer peer = new FakePeer(id, now - agoMillis);
        peers.add(peer);
        return peer;
    }

    /** Adds {@code n} peers, ids 0 to n - 1, connected ten minutes ago. */
    Swarm connectOld(int n) {
        for (int i = 0; i < n; i++) {
            connect(peers.size(), 600_000);
        }
        return this;
    }

    FakePeer peer(int id) {
        return peers.stream().filter(p -> p.id() == id).findFirst().orElseThrow();
    }

    /**
     * One rechoke: the choker decides, the decision is applied, the per-round traffic is reset (set it again with
     * {@link FakePeer#gave} and {@link FakePeer#took} before the next rechoke), and the clock moves on by a round.
     */
    Decision rechoke() {
        return rechoke(ROUND_MILLIS);
    }

    /** One rechoke, after which the clock moves on by {@code nextInMillis} (the engine may rechoke early). */
    Decision rechoke(long nextInMillis) {
        Decision decision = new Decision(slots, uploadLimit, uploadRate);
        choker.rechoke(this, List.copyOf(peers), decision);
        for (FakePeer peer : peers) {
            boolean optimistic = decision.optimistic.contains(peer);
            boolean unchoked = optimistic || decision.unchoked.contains(peer);
            if (unchoked && peer.amChoking) {
                peer.lastUnchokedAt = now;
            }
            peer.amChoking = !unchoked;
            peer.optimistic = optimistic;
            peer.newRound();
        }
        now += nextInMillis;
        return decision;
    }

    @Override
    public String infoHash() {
        return "0123456789abcdef0123456789abcdef01234567";
    }

    @Override
    public int pieceCount() {
        return PIECE_COUNT;
    }

    @Override
    public int pieceLength(int piece) {
        return PIECE_LENGTH;
    }

    @Override
    public int blockCount(int piece) {
        return PIECE_LENGTH / BLOCK_SIZE;
    }

    @Override
    public PieceSet have() {
        return FakePeer.NONE;
    }

    @Override
    public PieceSet wanted() {
        return FakePeer.NONE;
    }

    @Override
    public int priority(int piece) {
        return 1;
    }

    @Override
    public int availability(int piece) {
        return 0;
    }

    @Override
    public PieceSet partial() {
        return FakePeer.NONE;
    }

    @Override
    public BlockState blockState(int piece, int block) {
        return BlockState.MISSING;
    }

    @Override
    public int requestCount(int piece, int block) {
        return 0;
    }

    @Override
    public boolean endgame() {
        return false;
    }

    @Override
    public boolean complete() {
        return false;
    }

    @Override
    public long deadline(int piece) {
        return -1;
    }

    @Override
    public long nowMillis() {
        return now;
    }
}
