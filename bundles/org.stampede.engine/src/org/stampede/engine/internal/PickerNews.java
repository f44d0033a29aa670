package org.stampede.engine.internal;

import org.stampede.api.PiecePicker;
import org.stampede.api.TorrentView;

/**
 * What a torrent's picker is still to hear of (see {@link PiecePicker}'s news): pieces verified and failed, in their
 * order, and the pieces whose priority, availability or deadline changed, each kind coalesced in a set until the
 * strategy task tells the picker. Marking allocates nothing once a set exists (each is made at its first use, so an
 * idle torrent has none), and a bitfield or a peer that leaves costs one OR of its words. Guarded by the torrent's
 * lock; while no picker listens ({@link #listening} false), marks are dropped.
 */
final class PickerNews {
    private final int pieceCount;
    /** Pieces verified ({@code piece}) or failed ({@code -1 - piece}), in order. */
    private int[] checked = new int[16];
    private int checkedCount;
    private Bitfield priority;
    private Bitfield availability;
    private Bitfield deadline;
    boolean listening;

    PickerNews(int pieceCount) {
        this.pieceCount = pieceCount;
    }

    boolean pending() {
        return checkedCount > 0 || nonEmpty(priority) || nonEmpty(availability) || nonEmpty(deadline);
    }

    private static boolean nonEmpty(Bitfield b) {
        return b != null && b.count() > 0;
    }

    /** A new picker reads the state from the view: what it would hear of is already there. */
    void clear() {
        checkedCount = 0;
        clear(priority);
        clear(availability);
        clear(deadline);
    }

    private static void clear(Bitfield b) {
        if (b != null) {
            b.clearAll();
        }
    }

    void verified(int piece) {
        checked(piece);
    }

    void failed(int piece) {
        checked(-1 - piece);
    }

    private void checked(int entry) {
        if (!listening) {
            return;
        }
        if (checkedCount == checked.length) {
            checked = java.util.Arrays.copyOf(checked, checkedCount * 2);
        }
        checked[checkedCount++] = entry;
    }

    void priority(int piece) {
        if (listening) {
            (priority == null ? priority = new Bitfield(pieceCount) : priority).set(piece);
        }
    }

    void availability(int piece) {
        if (listening) {
            (availability == null ? availability = new Bitfield(pieceCount) : availability).set(piece);
        }
    }

    /** Every piece of {@code pieces} (a peer's bitfield) changed availability. */
    void availability(Bitfield pieces) {
        if (listening && pieces.count() > 0) {
            (availability == null ? availability = new Bitfield(pieceCount) : availability).or(pieces);
        }
    }

    void deadline(int piece) {
        if (listening) {
            (deadline == null ? deadline = new Bitfield(pieceCount) : deadline).set(piece);
        }
    }

    /**
     * Tells the picker, through {@code call} (which times each call and deals with one that throws), what it is to
     * hear of, in the order {@link PiecePicker} promises, and forgets it.
     */
    void tell(TorrentView view, Teller call) {
        int n = checkedCount;
        checkedCount = 0;
        for (int i = 0; i < n; i++) {
            int entry = checked[i];
            if (!call.tell(entry >= 0 ? Kind.VERIFIED : Kind.FAILED, entry >= 0 ? entry : -1 - entry, null)) {
                clear();
                return;
            }
        }
        if (checked.length > 1024 && n < 256) {
            checked = new int[16]; // a burst (a recheck's worth) is not kept
        }
        if (!tell(Kind.PRIORITY, priority, call) || !tell(Kind.AVAILABILITY, availability, call)
                || !tell(Kind.DEADLINE, deadline, call)) {
            clear();
        }
    }

    private static boolean tell(Kind kind, Bitfield set, Teller call) {
        if (set == null || set.count() == 0) {
            return true;
        }
        boolean on = call.tell(kind, -1, set);
        set.clearAll();
        return on;
    }

    enum Kind {
        VERIFIED, FAILED, PRIORITY, AVAILABILITY, DEADLINE
    }

    /** Makes one call to the picker; returns false when there is no picker to tell any more. */
    interface Teller {
        boolean tell(Kind kind, int piece, Bitfield pieces);
    }
}
