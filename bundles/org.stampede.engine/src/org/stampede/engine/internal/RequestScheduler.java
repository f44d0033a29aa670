package org.stampede.engine.internal;

import java.net.InetAddress;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;

import org.stampede.api.StrategyKind;
import org.stampede.engine.EngineEvents;
import org.stampede.engine.TorrentStatus;
import org.stampede.wire.Message;

/**
 * Downloading: which blocks are asked of which peer (the picker chooses, on the strategy task; this validates and
 * sends), how deep each peer's request queue is, what a block that arrives becomes (a write, then a hash check of the
 * complete piece), and requests that time out. Under the torrent's lock.
 */
final class RequestScheduler {
    /**
     * Blocks of one peer waiting for the disk above which no more are requested from it, and at which requesting
     * starts again. Back-pressure through requests, not by suspending reads: MINA applies a resumeRead from another
     * thread only when its selector next wakes up, up to a second later.
     */
    static final int WRITES_PAUSE = 64;
    static final int WRITES_RESUME = 16;
    /** Milliseconds before an unanswered request is cancelled and asked of others; tests shorten it. */
    static volatile long requestTimeoutMillis = 30_000;
    /** A peer that sends no block for this long while we wait for some is snubbed: one request at a time. */
    static final long SNUB_MS = 60_000;
    /** Whether a block of a piece this close to its deadline may be requested from a second peer. */
    static final long TIME_CRITICAL_MS = 2_000;

    private final TorrentSession s;
    private final TorrentState state;
    private final HashFailurePolicy hashFailures;
    private final Map<Integer, Integer> writesInFlight = new HashMap<>();
    private final RequestSink sink = new RequestSink();
    /** Peers marked {@link PeerConnection#fillWanted}. */
    private int fillsWanted;

    RequestScheduler(TorrentSession session) {
        this.s = session;
        this.state = session.state;
        this.hashFailures = new HashFailurePolicy(session);
    }

    /** How many requests to keep outstanding with a peer: about two seconds of its rate, 8 to 250 blocks. */
    private int targetQueue(PeerConnection p) {
        if (p.snubbed) {
            return 1;
        }
        long rate = p.down.rate(s.engine.nowMillis());
        long blocks = rate * 2 / TorrentState.BLOCK;
        return (int) Math.max(8, Math.min(250, blocks));
    }

    /** The peer may want more requests; the strategy task asks the picker. */
    void fill(PeerConnection p) {
        if (!p.fillWanted) {
            p.fillWanted = true;
            fillsWanted++;
        }
        s.strategies.wake();
    }

    /** Every peer may want more requests (pieces became wanted, a peer left, the picker changed). */
    void fillAll() {
        for (PeerConnection p : s.peers.values()) {
            fill(p);
        }
    }

    /** On the strategy task: picks for every peer that wants blocks; whether there was any. */
    boolean pickWanted() {
        if (fillsWanted == 0) {
            return false;
        }
        fillsWanted = 0;
        for (PeerConnection p : s.peers.values()) {
            if (p.fillWanted) {
                p.fillWanted = false;
                pick(p);
            }
        }
        return true;
    }

    /** On the strategy task: asks the picker for blocks to request from the peer, up to its queue depth. */
    private void pick(PeerConnection p) {
        StrategySlot<org.stampede.api.PiecePicker> picker = s.strategies.picker;
        if (s.status != TorrentStatus.State.DOWNLOADING || picker.instance == null || !p.amInterested) {
            return;
        }
        if (p.peerChoking && (!p.fast || p.allowedFast.isEmpty())) {
            return;
        }
        int room = targetQueue(p) - p.pending.size();
        if (room <= 0 || p.writesInFlight >= WRITES_PAUSE) { // back-pressure: the disk is behind this peer
            return;
        }
        s.strategies.tellPicker(); // news first: the picker knows every change the view shows
        if (picker.instance == null) {
            return;
        }
        sink.reset(p, room);
        long t0 = System.nanoTime();
        s.strategies.calling(picker);
        try {
            picker.instance.pick(state, p, sink);
        } catch (RuntimeException | LinkageError ex) {
            s.strategies.failed(picker, ex);
            return;
        } finally {
            sink.peer = null;
        }
        s.strategies.returned(picker, t0);
        if (sink.accepted > 0) {
            s.engine.countDecision(s.infoHashHex, StrategyKind.PICKER, picker.name, sink.accepted);
        }
        if (p.pending.isEmpty() && !state.endgame() && !p.pieces.hasAnyNotIn(state.have(), state.wanted())) {
            s.protocol.setInterested(p, false);
        }
    }

    /** The engine's side of {@link org.stampede.api.BlockRequests}: validates and sends each accepted block. */
    private final class RequestSink implements org.stampede.api.BlockRequests {
        PeerConnection peer;
        int limit;
        int accepted;

        void reset(PeerConnection p, int max) {
            this.peer = p;
            this.limit = max;
            this.accepted = 0;
        }

        @Override
        public boolean request(int piece, int block) {
            PeerConnection p = peer;
            if (p == null || accepted >= limit || piece < 0 || piece >= state.pieceCount()
                    || block < 0 || block >= state.blockCount(piece)) {
                return false;
            }
            if (!p.pieces.contains(piece) || !state.wanted().contains(piece) || state.isReceived(piece, block)) {
                return false;
            }
            if (p.peerChoking && !p.allowedFast.contains(piece)) {
                return false;
            }
            int asked = state.requestCount(piece, block);
            if (asked > 0) {
                // a block already asked of another peer is asked again in endgame, or (once) when time-critical
                boolean again = state.endgame() || asked < 2 && state.timeCritical(piece, TIME_CRITICAL_MS);
                if (!again || p.hasPending(piece, block, false)) {
                    return false;
                }
            }
            if (!hashFailures.allows(p, piece)) {
                return false;
            }
            int len = state.blockLength(piece, block);
            p.send(new Message.Request(piece, block * TorrentState.BLOCK, len));
            state.requested(piece, block);
            p.pending.add(new PeerConnection.Pending(piece, block, s.engine.nowMillis()));
            accepted++;
            return true;
        }

        @Override
        public int accepted() {
            return accepted;
        }

        @Override
        public int remaining() {
            return limit - accepted;
        }
    }

    /** A block arrived: checked against what we asked, counted, written; a complete piece is then verified. */
    void onPiece(PeerConnection p, Message.Piece m) {
        int piece = m.index();
        if (m.begin() % TorrentState.BLOCK != 0) {
            throw new Violation("piece data at offset " + m.begin() + " is not on a block boundary");
        }
        int block = m.begin() / TorrentState.BLOCK;
        if (block >= state.blockCount(piece) || m.length() != state.blockLength(piece, block)) {
            throw new Violation("piece data of wrong length " + m.length() + " for piece " + piece);
        }
        boolean asked = p.hasPending(piece, block, true);
        if (!asked) {
            if (state.isReceived(piece, block) || state.have().contains(piece) || p.recentlyCancelled(piece, block)) {
                return; // a late answer to a request we cancelled (endgame, timeout): harmless
            }
            throw new Violation("sent piece " + piece + " block " + block + " that was not requested");
        }
        long now = s.engine.nowMillis();
        p.lastReceivedBlockAt = now;
        p.snubbed = false;
        p.down.add(m.length(), now);
        s.down.add(m.length(), now);
        s.engine.downloaded(m.length());
        if (!state.receivedBlock(piece, block, true)) {
            fill(p);
            return; // duplicate in endgame
        }
        hashFailures.contributed(piece, p.address().getAddress());
        // endgame: others asked for the same block; cancel theirs
        if (state.requestCount(piece, block) > 0) {
            for (PeerConnection other : s.peers.values()) {
                if (other != p && other.hasPending(piece, block, true)) {
                    other.cancel(piece, block, m.begin(), m.length());
                    state.unrequested(piece, block);
                }
            }
        }
        // the decoder gave this message its own copy of the block (see WireCodecFactory), so storage may own it
        writesInFlight.merge(piece, 1, Integer::sum);
        p.writesInFlight++;
        s.storage.writeBlock(piece, m.begin(), m.data()).whenComplete((ok, err) -> written(p, piece, block, err));
        int target = targetQueue(p);
        if (target - p.pending.size() >= Math.max(1, target / 4)) {
            fill(p); // a quarter of its queue is free: one pick for many blocks, not one per block
        }
    }

    /** A disk thread wrote a block (or failed to). */
    private void written(PeerConnection p, int piece, int block, Throwable err) {
        if (!s.lockBriefly()) {
            s.strategies.handOver(() -> written(p, piece, block, err));
            return;
        }
        try {
            if (--p.writesInFlight == WRITES_RESUME && s.peers.containsKey(p.id)) {
                fill(p); // its blocks are (mostly) on disk: request again
            }
            int left = writesInFlight.merge(piece, -1, Integer::sum);
            if (left <= 0) {
                writesInFlight.remove(piece);
            }
            if (err != null && busy(err)) {
                // the disk queue was full: only this block is lost; ask for it again
                state.lostBlock(piece, block);
                fillAll();
                return;
            }
            if (err != null) {
                state.failed(piece);
                hashFailures.settle(piece);
                s.diskFailed("cannot write piece " + piece, err);
                return;
            }
            if (left <= 0 && state.allBlocksReceived(piece)) {
                verify(piece);
            }
        } finally {
            s.lock.unlock();
        }
    }

    /** Hashes a complete piece; a full disk queue is not bad data, so that is retried shortly. */
    private void verify(int piece) {
        s.storage.verifyPiece(piece).whenComplete((good, e) -> {
            if (e != null && busy(e) && !s.stopped) {
                s.engine.schedule(() -> verify(piece), 20);
            } else {
                verified(piece, e == null && good, e);
            }
        });
    }

    static boolean busy(Throwable e) {
        Throwable cause = e instanceof java.util.concurrent.CompletionException && e.getCause() != null
                ? e.getCause() : e;
        return cause instanceof org.stampede.storage.StorageBusyException;
    }

    /** A disk thread checked a piece: good, bad data, or unreadable. */
    private void verified(int piece, boolean hashed, Throwable failure) {
        if (!s.lockBriefly()) {
            s.strategies.handOver(() -> verified(piece, hashed, failure));
            return;
        }
        try {
            boolean good = hashed;
            Throwable err = failure;
            if (good && s.diskError() && !s.storage.verifiedPieces().get(piece)) {
                // hashed as a flush failed, whose reconciliation (dropUnflushed) came first: its bytes may be lost
                good = false;
                err = new java.io.IOException("piece " + piece + " was hashed while writing to disk failed");
            }
            Set<InetAddress> sources = hashFailures.settle(piece);
            if (good) {
                state.verified(piece);
                s.engine.post(EngineEvents.PIECE_VERIFIED, Map.of(EngineEvents.INFO_HASH, s.infoHashHex,
                        EngineEvents.PIECE, piece));
                s.strategies.pieceVerified(piece);
                Message.Have have = new Message.Have(piece);
                for (PeerConnection p : s.peers.values()) {
                    p.send(have);
                    s.protocol.dropInterestIfDone(p);
                }
                if (state.complete()) {
                    s.finished();
                }
            } else if (err != null) {
                state.failed(piece); // its blocks are asked for again once the user resumes
                s.diskFailed("cannot read piece " + piece + " back to check it", err);
            } else {
                s.engine.log(s.infoHashHex + ": piece " + piece + " failed its hash check; sources " + sources);
                state.failed(piece);
                s.engine.post(EngineEvents.PIECE_FAILED, Map.of(EngineEvents.INFO_HASH, s.infoHashHex,
                        EngineEvents.PIECE, piece));
                s.strategies.pieceFailed(piece);
                if (sources != null) {
                    hashFailures.blame(sources);
                }
                fillAll();
            }
        } finally {
            s.lock.unlock();
        }
    }

    /**
     * Under the lock, after a failed flush: the pieces had that storage no longer vouches for ({@code vouched}) are
     * not had any more, and partial pieces lose their blocks, since their bytes on disk may be lost too.
     *
     * @return the pieces no longer had
     */
    int dropUnflushed(java.util.BitSet vouched) {
        int lost = 0;
        for (int p = 0, n = state.pieceCount(); p < n; p++) {
            if (state.have().contains(p)) {
                if (!vouched.get(p)) {
                    state.lost(p);
                    s.strategies.pieceFailed(p); // not had any more: the picker hears of it as of a failed check
                    lost++;
                }
            } else if (state.inProgress(p)) {
                state.failed(p);
                hashFailures.settle(p);
            }
        }
        return lost;
    }

    /** Everything asked of the peer goes back to the pool, with a cancel to the peer when {@code sendCancel}. */
    void releaseAll(PeerConnection p, boolean sendCancel) {
        for (PeerConnection.Pending r : p.pending) {
            state.unrequested(r.piece(), r.block());
            if (sendCancel) {
                p.cancel(r.piece(), r.block(), r.block() * TorrentState.BLOCK,
                        state.blockLength(r.piece(), r.block()));
            }
        }
        p.pending.clear();
    }

    /** The peer left: its requests go back to the pool, its parole ends, and the others may take its blocks. */
    void peerGone(PeerConnection p) {
        releaseAll(p, false);
        hashFailures.peerGone(p);
        fillAll();
    }

    /**
     * On the timer: requests the peer left unanswered too long go back to the pool (the others are asked first: the
     * slow peer would take its blocks straight back), a peer that sends nothing is snubbed, and it may ask for more.
     */
    void upkeep(PeerConnection p, long now) {
        boolean expired = false;
        for (int i = p.pending.size() - 1; i >= 0; i--) {
            PeerConnection.Pending r = p.pending.get(i);
            if (now - r.sentAtMillis() > requestTimeoutMillis) {
                p.pending.remove(i);
                state.unrequested(r.piece(), r.block());
                p.cancel(r.piece(), r.block(), r.block() * TorrentState.BLOCK,
                        state.blockLength(r.piece(), r.block()));
                expired = true;
            }
        }
        if (!p.pending.isEmpty() && now - p.lastReceivedBlockAt > SNUB_MS) {
            p.snubbed = true;
        }
        if (expired) {
            for (PeerConnection other : s.peers.values()) {
                if (other != p) {
                    fill(other);
                }
            }
        }
        fill(p);
    }
}
