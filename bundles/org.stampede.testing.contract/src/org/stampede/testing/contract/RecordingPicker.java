package org.stampede.testing.contract;

import java.util.ArrayList;
import java.util.BitSet;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

import org.stampede.api.BlockRequests;
import org.stampede.api.BlockState;
import org.stampede.api.PeerView;
import org.stampede.api.PiecePicker;
import org.stampede.api.PiecePickerFactory;
import org.stampede.api.PieceSet;
import org.stampede.api.TorrentView;

/**
 * The picker of the contract: it records every call as a line of its {@link #log()}, keeps its own model of the
 * torrent from the view it was created with and the news it hears (what an incremental picker does), and writes
 * into {@link Factory#broken()} every rule it sees broken:
 * <ul>
 * <li>at each {@link #pick}, its model (have, wanted, priority, availability, whether a piece has a deadline) must
 * equal the view: every change the view shows was told before the pick;</li>
 * <li>a news call names at least one piece, and the view already shows what it says (a verified piece is had, a
 * failed one is not);</li>
 * <li>no two calls run at once.</li>
 * </ul>
 * It requests the missing blocks of the pieces the test asks it to {@link #offer}, and nothing else.
 */
public final class RecordingPicker implements PiecePicker {
    /** Makes the pickers of a test, one per torrent view, and collects what they see broken. */
    public static final class Factory implements PiecePickerFactory {
        private final Map<TorrentView, RecordingPicker> pickers = new IdentityHashMap<>();
        private final List<String> broken = new ArrayList<>();

        @Override
        public synchronized PiecePicker create(TorrentView torrent) {
            RecordingPicker p = new RecordingPicker(this, torrent);
            pickers.put(torrent, p);
            return p;
        }

        /** The picker made for {@code view}. */
        public synchronized RecordingPicker of(TorrentView view) {
            RecordingPicker p = pickers.get(view);
            if (p == null) {
                throw new AssertionError("no picker was made for " + view);
            }
            return p;
        }

        /** Every rule a picker of this factory saw broken, with what and when. */
        public synchronized List<String> broken() {
            return List.copyOf(broken);
        }

        synchronized void broke(String what) {
            broken.add(what);
        }
    }

    private final Factory factory;
    private final int pieces;
    private final BitSet have = new BitSet();
    private final int[] priority;
    private final int[] availability;
    private final BitSet deadline = new BitSet();
    private final List<String> log = new ArrayList<>();
    private final AtomicInteger inCall = new AtomicInteger();
    private final BitSet offer = new BitSet();
    private int picks;

    private RecordingPicker(Factory factory, TorrentView torrent) {
        this.factory = factory;
        this.pieces = torrent.pieceCount();
        this.priority = new int[pieces];
        this.availability = new int[pieces];
        for (int p = 0; p < pieces; p++) {
            read(torrent, p);
            have.set(p, torrent.have().contains(p));
        }
    }

    private void read(TorrentView t, int p) {
        priority[p] = t.priority(p);
        availability[p] = t.availability(p);
        deadline.set(p, t.deadline(p) >= 0);
    }

    // ---------------------------------------------------------------- what the test sees

    /** The calls so far: {@code pick}, {@code verified P}, {@code failed P}, {@code priority [..]}, ... */
    public synchronized List<String> log() {
        return List.copyOf(log);
    }

    /** The news calls so far (the log without the picks). */
    public synchronized List<String> news() {
        return log.stream().filter(l -> !l.equals("pick")).toList();
    }

    /** Forgets the log. */
    public synchronized void clearLog() {
        log.clear();
    }

    /** How many picks there were. */
    public synchronized int picks() {
        return picks;
    }

    /** From now on, picks request the missing blocks of these pieces (and only these). */
    public synchronized void offer(int... pieceNumbers) {
        offer.clear();
        for (int p : pieceNumbers) {
            offer.set(p);
        }
    }

    // ---------------------------------------------------------------- PiecePicker

    @Override
    public void pick(TorrentView torrent, PeerView peer, BlockRequests requests) {
        enter("pick");
        try {
            synchronized (this) {
                picks++;
                log.add("pick");
                for (int p = 0; p < pieces; p++) {
                    check(torrent, p);
                }
                for (int p = offer.nextSetBit(0); p >= 0 && requests.remaining() > 0; p = offer.nextSetBit(p + 1)) {
                    for (int b = 0; b < torrent.blockCount(p) && requests.remaining() > 0; b++) {
                        if (torrent.blockState(p, b) == BlockState.MISSING) {
                            requests.request(p, b);
                        }
                    }
                }
            }
        } finally {
            leave();
        }
    }

    /** At a pick: the model built from the news equals the view. */
    private void check(TorrentView t, int p) {
        String at = "at pick " + picks + ", piece " + p + ": ";
        if (have.get(p) != t.have().contains(p)) {
            broke(at + "the view has it " + t.have().contains(p) + ", the picker heard " + have.get(p));
        }
        if (t.wanted().contains(p) != (priority[p] > 0 && !have.get(p))) {
            broke(at + "wanted " + t.wanted().contains(p) + " but heard priority " + priority[p] + ", had "
                    + have.get(p));
        }
        if (priority[p] != t.priority(p)) {
            broke(at + "priority " + t.priority(p) + " in the view, " + priority[p] + " heard");
        }
        if (availability[p] != t.availability(p)) {
            broke(at + "availability " + t.availability(p) + " in the view, " + availability[p] + " heard");
        }
        if (deadline.get(p) != t.deadline(p) >= 0) {
            broke(at + "deadline " + t.deadline(p) + " in the view, heard " + (deadline.get(p) ? "one" : "none"));
        }
    }

    @Override
    public void pieceVerified(TorrentView torrent, int piece) {
        enter("pieceVerified");
        try {
            synchronized (this) {
                log.add("verified " + piece);
                if (!torrent.have().contains(piece) || torrent.wanted().contains(piece)
                        || torrent.partial().contains(piece) || torrent.deadline(piece) >= 0) {
                    broke("verified " + piece + " before the view shows it had, unwanted, whole, without deadline");
                }
                have.set(piece);
                deadline.clear(piece);
            }
        } finally {
            leave();
        }
    }

    @Override
    public void pieceFailed(TorrentView torrent, int piece) {
        enter("pieceFailed");
        try {
            synchronized (this) {
                log.add("failed " + piece);
                if (torrent.have().contains(piece)) {
                    broke("failed " + piece + ", which the view shows as had");
                }
                have.clear(piece);
            }
        } finally {
            leave();
        }
    }

    @Override
    public void priorityChanged(TorrentView torrent, PieceSet changed) {
        news("priority", torrent, changed);
    }

    @Override
    public void availabilityChanged(TorrentView torrent, PieceSet changed) {
        news("availability", torrent, changed);
    }

    @Override
    public void deadlineChanged(TorrentView torrent, PieceSet changed) {
        news("deadline", torrent, changed);
    }

    private void news(String kind, TorrentView torrent, PieceSet changed) {
        enter(kind);
        try {
            synchronized (this) {
                if (changed.isEmpty()) {
                    broke(kind + " news named no piece");
                }
                if (changed.size() != pieces) {
                    broke(kind + " news over " + changed.size() + " pieces, the torrent has " + pieces);
                }
                List<Integer> named = new ArrayList<>();
                for (int p = changed.nextSetBit(0); p >= 0; p = changed.nextSetBit(p + 1)) {
                    named.add(p);
                    read(torrent, p);
                }
                if (named.size() != changed.count()) {
                    broke(kind + " news: count " + changed.count() + " but " + named.size() + " pieces iterated");
                }
                log.add(kind + " " + named);
            }
        } finally {
            leave();
        }
    }

    private void enter(String call) {
        if (inCall.incrementAndGet() != 1) {
            broke(call + " ran while another call of the same picker ran");
        }
    }

    private void leave() {
        inCall.decrementAndGet();
    }

    private void broke(String what) {
        factory.broke(what);
    }
}
