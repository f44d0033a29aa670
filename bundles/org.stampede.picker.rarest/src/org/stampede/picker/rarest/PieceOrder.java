package org.stampede.picker.rarest;

import java.util.Arrays;

import org.stampede.api.PieceSet;
import org.stampede.api.TorrentView;

/**
 * The wanted pieces in rarest-first order, kept up to date from the picker's news rather than sorted at each pick:
 * libtorrent's {@code piece_picker} layout. One array holds the pieces grouped in buckets by key (priority 7 first,
 * then availability, lowest first); {@code bucketEnd} says where each bucket ends, {@code pos} where each piece is.
 * A piece whose availability goes up or down by one moves to the next bucket by one swap with that bucket's edge,
 * O(1); in general a move costs one swap per bucket crossed. A piece that stops being wanted leaves (moved past the
 * last bucket), one that becomes wanted joins (moved in from there). Within a bucket the order is arbitrary: the
 * picker shuffles it as it walks.
 * <p>
 * Availabilities of {@link #width} - 1 and more share their level's last bucket; the width doubles (a rebuild) when
 * a piece's availability reaches it, up to {@value #MAX_WIDTH}. A rebuild is a counting sort, O(pieces + buckets).
 */
final class PieceOrder {
    /** The highest priority; a higher one counts as this. */
    static final int MAX_PRIORITY = 7;
    static final int MIN_WIDTH = 16;
    static final int MAX_WIDTH = 4_096;

    private int pieceCount;
    private int width;
    private int[] order = new int[0];
    private int size;
    /** Per piece: its index in {@link #order}, or -1 when it is not wanted. */
    private int[] pos = new int[0];
    /** Per piece: its bucket while it is in the order. */
    private int[] key = new int[0];
    /** Per bucket: one past its last index in {@link #order}; bucket {@code k} starts at {@code bucketEnd[k - 1]}. */
    private int[] bucketEnd = new int[0];
    private boolean built;

    boolean built() {
        return built;
    }

    /** How many wanted pieces the order holds. */
    int size() {
        return size;
    }

    int piece(int index) {
        return order[index];
    }

    /** Where the bucket of the piece at {@code index} ends. */
    int bucketEndAt(int index) {
        return bucketEnd[key[order[index]]];
    }

    /** The availability bucket (0 to width - 1) of the piece at {@code index}. */
    int availabilityBucketAt(int index) {
        return key[order[index]] % width;
    }

    /** Swaps two places of one bucket (the walk's shuffle). */
    void swap(int i, int j) {
        int a = order[i];
        int b = order[j];
        order[i] = b;
        order[j] = a;
        pos[b] = i;
        pos[a] = j;
    }

    /** Builds the order from the view: every wanted piece, by priority and availability. O(pieces + buckets). */
    void build(TorrentView torrent) {
        pieceCount = torrent.pieceCount();
        if (pos.length != pieceCount) {
            pos = new int[pieceCount];
            key = new int[pieceCount];
            order = new int[pieceCount];
        }
        int most = 0;
        PieceSet wanted = torrent.wanted();
        for (int p = wanted.nextSetBit(0); p >= 0; p = wanted.nextSetBit(p + 1)) {
            most = Math.max(most, torrent.availability(p));
        }
        int w = Math.max(width, MIN_WIDTH);
        while (w < MAX_WIDTH && w <= most + 1) {
            w *= 2;
        }
        width = w;
        int buckets = MAX_PRIORITY * width;
        if (bucketEnd.length != buckets) {
            bucketEnd = new int[buckets];
        } else {
            Arrays.fill(bucketEnd, 0);
        }
        Arrays.fill(pos, -1);
        int n = 0;
        for (int p = 0; p < pieceCount; p++) {
            int k = keyOf(torrent, p);
            if (k >= 0) {
                key[p] = k;
                bucketEnd[k]++;
                n++;
            }
        }
        int start = 0;
        for (int k = 0; k < buckets; k++) { // counts to starts
            int count = bucketEnd[k];
            bucketEnd[k] = start;
            start += count;
        }
        for (int p = 0; p < pieceCount; p++) {
            int k = keyOf(torrent, p);
            if (k >= 0) {
                int at = bucketEnd[k]++; // starts to ends as the buckets fill
                order[at] = p;
                pos[p] = at;
            }
        }
        size = n;
        built = true;
    }

    /** The piece's bucket from the view, or -1 when it is not wanted. */
    private int keyOf(TorrentView torrent, int piece) {
        if (!torrent.wanted().contains(piece)) {
            return -1;
        }
        int priority = Math.min(torrent.priority(piece), MAX_PRIORITY);
        if (priority <= 0) {
            return -1;
        }
        int availability = Math.max(0, torrent.availability(piece));
        return (MAX_PRIORITY - priority) * width + Math.min(availability, width - 1);
    }

    /** Reads a piece again from the view and moves it where it now belongs. */
    void update(TorrentView torrent, int piece) {
        if (!built) {
            return;
        }
        if (width < MAX_WIDTH && torrent.wanted().contains(piece) && torrent.availability(piece) >= width - 1) {
            build(torrent); // availability outgrew the buckets
            return;
        }
        int to = keyOf(torrent, piece);
        int end = MAX_PRIORITY * width; // "past the last bucket": out of the order
        int from = pos[piece] < 0 ? end : key[piece];
        if (from == to || from == end && to < 0) {
            return;
        }
        if (from == end) {
            order[size] = piece;
            pos[piece] = size;
            size++;
        }
        move(piece, from, to < 0 ? end : to);
        if (to < 0) {
            size--;
            pos[piece] = -1;
        } else {
            key[piece] = to;
        }
    }

    /** Reads every piece of {@code pieces} again; many at once are a rebuild. */
    void update(TorrentView torrent, PieceSet pieces) {
        if (!built) {
            return;
        }
        if (pieces.count() > pieceCount / 4) {
            build(torrent);
            return;
        }
        for (int p = pieces.nextSetBit(0); p >= 0; p = pieces.nextSetBit(p + 1)) {
            update(torrent, p);
        }
    }

    /**
     * Moves a piece from bucket {@code from} to bucket {@code to} by swapping it with the edge of each bucket in
     * between; bucket {@code MAX_PRIORITY * width} is the space past the last one.
     */
    private void move(int piece, int from, int to) {
        int i = pos[piece];
        if (from < to) {
            for (int k = from; k < to; k++) {
                int last = bucketEnd[k] - 1;
                swap(i, last);
                i = last;
                bucketEnd[k]--;
            }
        } else {
            for (int k = from; k > to; k--) {
                int first = bucketEnd[k - 1];
                swap(i, first);
                i = first;
                bucketEnd[k - 1]++;
            }
        }
    }
}
