package org.stampede.engine.internal;

import java.util.BitSet;
import java.util.List;

import org.stampede.engine.TorrentStatus;
import org.stampede.metainfo.TorrentFile;

/**
 * What is wanted, and how much: each piece's priority 0 to 7 from its files' priorities (storage's) or its own, and
 * piece deadlines. A change makes interest follow, and a torrent with nothing left to download complete.
 */
final class PiecePriorities {
    private final TorrentSession s;
    private final TorrentState state;
    /** Per piece: the priority set for the piece itself, or -1 (the files'); made when a first one is set. */
    private byte[] pieceOverride;

    PiecePriorities(TorrentSession session) {
        this.s = session;
        this.state = session.state;
    }

    /** Under the lock: each piece's priority from storage's wanted pieces and file priorities. */
    void apply(BitSet wantedPieces) {
        state.setPriorities(pieceLevels(wantedPieces));
    }

    /**
     * Each piece's priority, 0 to 7: the piece's own where one is set ({@link #setPiecePriority}), else the highest
     * priority of the files with bytes in it, at least 1 where storage wants the piece and 0 where it does not.
     */
    private byte[] pieceLevels(BitSet wantedPieces) {
        int n = state.pieceCount();
        byte[] levels = new byte[n];
        List<TorrentFile> files = s.torrent.files();
        long pieceLength = s.torrent.pieceLength();
        for (int f = 0; f < files.size(); f++) {
            TorrentFile file = files.get(f);
            int prio = s.storage.filePriority(f);
            state.setFilePriority(f, prio);
            if (file.length() == 0 || prio <= 1 || file.padding()) {
                continue;
            }
            int first = (int) (file.offset() / pieceLength);
            int last = (int) Math.min(n - 1, (file.offset() + file.length() - 1) / pieceLength);
            for (int p = first; p <= last; p++) {
                levels[p] = (byte) Math.max(levels[p], prio);
            }
        }
        for (int p = 0; p < n; p++) {
            if (!wantedPieces.get(p)) {
                levels[p] = 0;
            } else if (levels[p] == 0) {
                levels[p] = 1;
            }
            // a piece's own priority counts where storage takes its bytes: one whose files are all skipped stays so
            if (pieceOverride != null && pieceOverride[p] >= 0 && (wantedPieces.get(p) || pieceOverride[p] == 0)) {
                levels[p] = pieceOverride[p];
            }
        }
        return levels;
    }

    /**
     * Sets a piece's own priority (0 to 7), or clears it ({@code -1}: its files' priority again), and recomputes.
     *
     * @param wantedPieces storage's wanted pieces now (read by the caller outside the lock)
     */
    void setPiecePriority(int piece, int level, BitSet wantedPieces) {
        s.lock.lock();
        try {
            if (pieceOverride == null) {
                if (level < 0) {
                    return;
                }
                pieceOverride = new byte[state.pieceCount()];
                java.util.Arrays.fill(pieceOverride, (byte) -1);
            }
            pieceOverride[piece] = (byte) level;
            apply(wantedPieces);
            changed();
        } finally {
            s.lock.unlock();
        }
    }

    /** A piece's priority now (what strategies see). */
    int piecePriority(int piece) {
        s.lock.lock();
        try {
            return state.priority(piece);
        } finally {
            s.lock.unlock();
        }
    }

    /** Sets or clears ({@code millis < 0}) a piece's deadline; a due piece is requested at once. */
    void setDeadline(int piece, long millis) {
        s.lock.lock();
        try {
            state.setDeadline(piece, millis);
            if (millis >= 0) {
                s.requests.fillAll();
            }
            s.strategies.wakeForNews();
        } finally {
            s.lock.unlock();
        }
    }

    /** File priorities changed: the wanted pieces follow storage's, and a torrent with nothing left completes. */
    void filePrioritiesChanged(BitSet wantedPieces) {
        s.lock.lock();
        try {
            apply(wantedPieces);
            changed();
        } finally {
            s.lock.unlock();
        }
    }

    /**
     * Under the lock: interest follows the wanted pieces, a torrent with nothing left completes, the picker hears of
     * the pieces whose priority changed.
     */
    private void changed() {
        s.strategies.wakeForNews();
        for (PeerConnection p : s.peers.values()) {
            s.protocol.updateInterest(p);
        }
        if (state.complete() && s.status == TorrentStatus.State.DOWNLOADING) {
            s.finished();
        } else if (!state.complete() && (s.status == TorrentStatus.State.SEEDING
                || s.status == TorrentStatus.State.FINISHED)) {
            s.setStatus(TorrentStatus.State.DOWNLOADING);
        }
    }
}
