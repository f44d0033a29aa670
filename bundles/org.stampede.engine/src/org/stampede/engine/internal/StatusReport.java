package org.stampede.engine.internal;

import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;

import org.stampede.api.Choker;
import org.stampede.engine.PeerStatus;
import org.stampede.engine.TorrentHandle;
import org.stampede.engine.TorrentStatus;
import org.stampede.metainfo.TorrentFile;

/**
 * What the API reports of a torrent: its status, its peers, each piece's state and availability, each file's
 * progress. Callers wait for the torrent's lock at most {@link #USER_WAIT_MS} (the timer not at all); when a
 * strategy call holds it longer they get the last answer computed, with the stuck call as the torrent's error.
 */
final class StatusReport {
    /**
     * How long a caller of the API (status, peers) waits for the lock, held by a slow strategy call, before it gets
     * the last answer computed instead.
     */
    static final long USER_WAIT_MS = 1_000;

    private final TorrentSession s;
    private final TorrentState state;
    /** The last status and peers computed, for callers that cannot get the lock in time. */
    private volatile TorrentStatus lastStatus;
    private volatile List<PeerStatus> lastPeers = List.of();

    StatusReport(TorrentSession session) {
        this.s = session;
        this.state = session.state;
    }

    /** The torrent's status, waiting at most {@code waitMillis} for the lock (the timer: 0). */
    TorrentStatus status(long waitMillis) {
        if (!s.lockWithin(waitMillis)) {
            TorrentStatus last = lastStatus;
            String hung = s.strategies.hung();
            if (last == null) { // nothing computed yet: nothing verified of all there is
                StrategyHost strategies = s.strategies;
                return new TorrentStatus(s.status, 0, state.pieceCount(), state.pieceCount(), 0, state.totalLength(),
                        0, 0, 0, 0, 0, 0, strategies.picker.name, strategies.choker.name, hung);
            }
            if (hung == null) {
                return last;
            }
            return new TorrentStatus(last.state(), last.have(), last.wanted(), last.pieces(), last.bytesDone(),
                    last.bytesWanted(), 0, 0, last.downloaded(), last.uploaded(), last.peers(), last.seeds(),
                    last.picker(), last.choker(), hung);
        }
        try {
            return remember();
        } finally {
            s.lock.unlock();
        }
    }

    /**
     * Under the lock: computes the status and keeps it as the last one, for callers that cannot get the lock in time.
     * Called by {@link #status} and at each change of state, so that the last status is never of an earlier state
     * (the first after the check has the verified pieces).
     */
    TorrentStatus remember() {
        StrategyHost strategies = s.strategies;
        long now = s.engine.nowMillis();
        int seeds = 0;
        for (PeerConnection p : s.peers.values()) {
            if (p.isSeed()) {
                seeds++;
            }
        }
        long wantedBytes = 0;
        long doneBytes = 0;
        for (int i = 0, n = state.pieceCount(); i < n; i++) {
            if (state.priority(i) > 0) { // wanted, by its files or by itself
                wantedBytes += state.pieceLength(i);
                if (state.have().contains(i)) {
                    doneBytes += state.pieceLength(i);
                }
            }
        }
        StrategySlot<Choker> ch = strategies.activeChoker();
        TorrentStatus out = new TorrentStatus(s.status, state.have().count(), state.wanted().count(),
                state.pieceCount(), doneBytes, wantedBytes, s.down.rate(now), s.up.rate(now), s.down.total(),
                s.up.total(), s.peers.size(), seeds, strategies.picker.name, ch.name, s.error);
        lastStatus = out;
        return out;
    }

    List<PeerStatus> peers() {
        if (!s.lockWithin(USER_WAIT_MS)) {
            return lastPeers; // stuck in a strategy call: see status()
        }
        try {
            long now = s.engine.nowMillis();
            List<PeerStatus> out = new ArrayList<>();
            for (PeerConnection p : s.peers.values()) {
                InetSocketAddress a = p.address();
                out.add(new PeerStatus(a.getAddress().getHostAddress() + ":" + a.getPort(), p.clientName,
                        p.outgoing, p.pieces.count() / (double) Math.max(1, state.pieceCount()), p.down.rate(now),
                        p.up.rate(now), p.down.total(), p.up.total(), p.amChoking, p.amInterested, p.peerChoking,
                        p.peerInterested, p.snubbed, p.optimistic, p.pending.size(), p.channel.kind(),
                        p.channel.encrypted()));
            }
            lastPeers = List.copyOf(out);
            return out;
        } finally {
            s.lock.unlock();
        }
    }

    /** Copies the piece states and availabilities out under the lock (see TorrentHandle#pieces). */
    int pieces(byte[] states, int[] availability) {
        int n = state.pieceCount();
        if (states != null && states.length < n || availability != null && availability.length < n) {
            throw new IllegalArgumentException("arrays must hold " + n + " pieces");
        }
        s.lock.lock();
        try {
            for (int p = 0; p < n; p++) {
                if (states != null) {
                    states[p] = state.have().contains(p) ? TorrentHandle.PIECE_HAVE
                            : state.inProgress(p) ? TorrentHandle.PIECE_DOWNLOADING : TorrentHandle.PIECE_MISSING;
                }
                if (availability != null) {
                    availability[p] = state.availability(p);
                }
            }
            return n;
        } finally {
            s.lock.unlock();
        }
    }

    /**
     * Verified bytes of each file, under the lock: piece {@code p} covers stream bytes from
     * {@code p * pieceLength} for {@code storage.pieceSize(p)}, file {@code f} from its offset for its length.
     */
    int fileProgress(long[] bytesDone) {
        List<TorrentFile> files = s.torrent.files();
        int n = files.size();
        if (bytesDone.length < n) {
            throw new IllegalArgumentException("array must hold " + n + " files");
        }
        long pieceLength = s.torrent.pieceLength();
        s.lock.lock();
        try {
            for (int f = 0; f < n; f++) {
                TorrentFile file = files.get(f);
                long start = file.offset();
                long end = start + file.length();
                long done = 0;
                if (file.length() > 0) {
                    int first = (int) (start / pieceLength);
                    int last = (int) Math.min(state.pieceCount() - 1, (end - 1) / pieceLength);
                    for (int p = first; p <= last; p++) {
                        if (state.have().contains(p)) {
                            long ps = p * pieceLength;
                            long pe = ps + s.storage.pieceSize(p);
                            done += Math.max(0, Math.min(pe, end) - Math.max(ps, start));
                        }
                    }
                }
                bytesDone[f] = done;
            }
            return n;
        } finally {
            s.lock.unlock();
        }
    }
}
