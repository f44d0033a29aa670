package org.stampede.picker.priority;

import java.util.Arrays;
import java.util.Objects;
import java.util.random.RandomGenerator;

import org.stampede.api.BlockRequests;
import org.stampede.api.BlockState;
import org.stampede.api.PeerView;
import org.stampede.api.PiecePicker;
import org.stampede.api.PieceSet;
import org.stampede.api.TorrentView;
import org.stampede.api.util.KeyedHeap;

/**
 * Priority over rarity: the pieces of the highest-priority files (and pieces) are fetched before anything of a
 * lower priority, and rarest first decides only within a priority level.
 * <p>
 * A piece is <em>pickable</em> from a peer when the peer has it, we want it ({@link TorrentView#wanted()}: priority
 * 0 means "do not download" and is never picked) and, while the peer chokes us, it is in the peer's allowed-fast set
 * (BEP 6; a choking peer without the Fast extension gets no requests). The missing blocks of pickable pieces are
 * offered level by level, {@value #MAX_PRIORITY} (highest) down to 1, until the engine accepts no more; within a
 * level:
 * <ol>
 * <li><b>started pieces</b>, the one with the most blocks requested or received first (strict priority, Cohen 2003),
 * so that they complete and can be traded;</li>
 * <li><b>new pieces</b>, the lowest {@link TorrentView#availability} first, ties at random.</li>
 * </ol>
 * Unlike the default rarest-first picker, a started piece of a lower level never goes before a new piece of a higher
 * one, and there is no random-first phase: the level decides, then rarity. Deadlines are left to the sequential
 * picker. In <b>endgame</b> ({@link TorrentView#endgame()}) the blocks already requested from other peers follow,
 * highest level first and, within a level, the fewest-requested first; the engine cancels the duplicates when one
 * copy arrives.
 * <p>
 * <b>Cost.</b> A pick first reads the partial pieces, O(B<sub>partial</sub>); the started pieces of the highest
 * priority among the wanted pieces come before anything else and usually fill the queue. That highest priority is
 * kept as a count of the wanted pieces at each level, counted from the view at the first pick and then kept from the
 * picker's news ({@link #priorityChanged}, {@link #pieceVerified}, {@link #pieceFailed}), O(1) per piece named, so
 * a raised priority counts from the next pick. Otherwise one scan of the smallest of the wanted set, the peer's set and the
 * allowed-fast set, O(S), keeps the best new candidates (highest level, then rarest), offered in random order; the
 * others are heapified, O(S), only if those do not fill the queue (or at once when started pieces of lower levels
 * must be merged in). Endgame adds a heap over the requested blocks of the partial pieces. Working arrays live in the
 * instance and grow by doubling; a pick allocates nothing once they have grown. The only per-piece state kept between
 * picks is the level each wanted piece is counted at (a byte), built from the view, so a picker swapped in
 * mid-download carries on from the engine's state.
 */
final class PriorityPicker implements PiecePicker {
    /** The highest piece priority; a higher value from the engine counts as this. */
    static final int MAX_PRIORITY = 7;

    private static final int LEVEL_SHIFT = 60;
    private static final int NEW_SHIFT = 59;
    private static final long MAX_AVAILABILITY = (1L << 26) - 1;
    private static final int MAX_STARTED = Integer.MAX_VALUE;

    private final RandomGenerator random;
    private final KeyedHeap heap = new KeyedHeap();
    /** The best new candidates of a pick. */
    private int[] candidates = new int[64];
    /** Per piece: the level it is counted at, 0 when it is not wanted; null until the first pick counts them. */
    private byte[] levels;
    /** Per level: how many wanted pieces are at it. */
    private final int[] wantedAt = new int[MAX_PRIORITY + 1];

    PriorityPicker(RandomGenerator random) {
        this.random = Objects.requireNonNull(random, "random");
    }

    @Override
    public void pick(TorrentView torrent, PeerView peer, BlockRequests requests) {
        if (requests.remaining() <= 0) {
            return;
        }
        PieceSet allowedFast = null;
        if (peer.peerChoking()) {
            if (!peer.supportsFast()) {
                return;
            }
            allowedFast = peer.allowedFast();
            if (allowedFast.isEmpty()) {
                return;
            }
        }
        PieceSet has = peer.pieces();
        if (has.isEmpty()) {
            return;
        }
        if (offerByLevel(torrent, has, allowedFast, requests) || !torrent.endgame()) {
            return;
        }
        offerEndgameBlocks(torrent, has, allowedFast, requests);
    }

    /** Levels, started pieces, new pieces. Returns whether the engine accepts no more. */
    private boolean offerByLevel(TorrentView torrent, PieceSet has, PieceSet allowedFast, BlockRequests requests) {
        PieceSet wanted = torrent.wanted();
        PieceSet partial = torrent.partial();
        // 1. started pieces at the top level: nothing can come before them
        heap.clear();
        for (int piece = partial.nextSetBit(0); piece >= 0; piece = partial.nextSetBit(piece + 1)) {
            int level = pickableLevel(torrent, wanted, has, allowedFast, piece);
            if (level > 0) {
                int started = startedBlocks(torrent, piece);
                if (started < torrent.blockCount(piece)) {
                    heap.add(startedKey(level, started), piece);
                }
            }
        }
        heap.heapify();
        long topKey = (long) (MAX_PRIORITY - topLevel(torrent, wanted)) << LEVEL_SHIFT | MAX_STARTED;
        while (!heap.isEmpty() && heap.topKey() <= topKey) {
            int piece = heap.topItem();
            heap.removeTop();
            if (offerMissingBlocks(torrent, piece, requests)) {
                return true;
            }
        }
        PieceSet scan = wanted.count() <= has.count() ? wanted : has;
        if (allowedFast != null && allowedFast.count() < scan.count()) {
            scan = allowedFast;
        }
        if (heap.isEmpty()) {
            // 2. no started piece left: one scan keeps the best new candidates, which usually fill the queue
            int n = 0;
            int total = 0;
            long best = Long.MAX_VALUE;
            for (int piece = scan.nextSetBit(0); piece >= 0; piece = scan.nextSetBit(piece + 1)) {
                int level = pickableLevel(torrent, wanted, has, allowedFast, piece);
                if (level == 0 || partial.contains(piece)) {
                    continue;
                }
                total++;
                long key = newKey(level, availability(torrent, piece));
                if (key < best) {
                    best = key;
                    n = 0;
                }
                if (key == best) {
                    if (n == candidates.length) {
                        candidates = Arrays.copyOf(candidates, n * 2);
                    }
                    candidates[n++] = piece;
                }
            }
            for (int i = 0; i < n; i++) {
                int j = i + random.nextInt(n - i);
                int piece = candidates[j];
                candidates[j] = candidates[i];
                candidates[i] = piece;
                if (offerMissingBlocks(torrent, piece, requests)) {
                    return true;
                }
            }
            if (n == total) {
                return false;
            }
            for (int piece = scan.nextSetBit(0); piece >= 0; piece = scan.nextSetBit(piece + 1)) {
                int level = pickableLevel(torrent, wanted, has, allowedFast, piece);
                if (level > 0 && !partial.contains(piece)) {
                    long key = newKey(level, availability(torrent, piece));
                    if (key != best) {
                        heap.add(key | random.nextInt() & 0xffff_ffffL, piece);
                    }
                }
            }
        } else {
            // 3. started pieces of lower levels remain: merge them with every new piece
            for (int piece = scan.nextSetBit(0); piece >= 0; piece = scan.nextSetBit(piece + 1)) {
                int level = pickableLevel(torrent, wanted, has, allowedFast, piece);
                if (level > 0 && !partial.contains(piece)) {
                    heap.add(newKey(level, availability(torrent, piece)) | random.nextInt() & 0xffff_ffffL, piece);
                }
            }
        }
        heap.heapify();
        while (!heap.isEmpty()) {
            int piece = heap.topItem();
            heap.removeTop();
            if (offerMissingBlocks(torrent, piece, requests)) {
                return true;
            }
        }
        return false;
    }

    /** The highest priority among the wanted pieces, from the counts (made at the first pick). */
    private int topLevel(TorrentView torrent, PieceSet wanted) {
        if (levels == null) {
            levels = new byte[torrent.pieceCount()];
            for (int piece = wanted.nextSetBit(0); piece >= 0; piece = wanted.nextSetBit(piece + 1)) {
                recount(torrent, piece);
            }
        }
        for (int level = MAX_PRIORITY; level > 0; level--) {
            if (wantedAt[level] > 0) {
                return level;
            }
        }
        return 0;
    }

    /** Reads a piece's level from the view and counts it there. */
    private void recount(TorrentView torrent, int piece) {
        int now = torrent.wanted().contains(piece) ? Math.max(0, Math.min(torrent.priority(piece), MAX_PRIORITY)) : 0;
        int was = levels[piece];
        if (now != was) {
            wantedAt[was]--;
            wantedAt[now]++;
            levels[piece] = (byte) now;
        }
    }

    // ---------------------------------------------------------------- news

    @Override
    public void pieceVerified(TorrentView torrent, int piece) {
        if (levels != null) {
            recount(torrent, piece);
        }
    }

    @Override
    public void pieceFailed(TorrentView torrent, int piece) {
        if (levels != null) {
            recount(torrent, piece);
        }
    }

    @Override
    public void priorityChanged(TorrentView torrent, PieceSet pieces) {
        if (levels != null) {
            for (int piece = pieces.nextSetBit(0); piece >= 0; piece = pieces.nextSetBit(piece + 1)) {
                recount(torrent, piece);
            }
        }
    }

    /** Started pieces: by level, then the most blocks requested or received. */
    private static long startedKey(int level, int started) {
        return (long) (MAX_PRIORITY - level) << LEVEL_SHIFT | MAX_STARTED - started;
    }

    /** New pieces, after the started ones of their level: by level, then availability; add 32 random bits. */
    private static long newKey(int level, long availability) {
        return (long) (MAX_PRIORITY - level) << LEVEL_SHIFT | 1L << NEW_SHIFT | availability << 32;
    }

    private static int startedBlocks(TorrentView torrent, int piece) {
        int blocks = torrent.blockCount(piece);
        int started = 0;
        for (int block = 0; block < blocks; block++) {
            if (torrent.blockState(piece, block) != BlockState.MISSING) {
                started++;
            }
        }
        return started;
    }

    private static long availability(TorrentView torrent, int piece) {
        return Math.min(Math.max(0, torrent.availability(piece)), MAX_AVAILABILITY);
    }

    /** Endgame: blocks requested from other peers, highest level first, then fewest requests. */
    private void offerEndgameBlocks(TorrentView torrent, PieceSet has, PieceSet allowedFast,
            BlockRequests requests) {
        PieceSet partial = torrent.partial();
        PieceSet wanted = torrent.wanted();
        heap.clear();
        for (int piece = partial.nextSetBit(0); piece >= 0; piece = partial.nextSetBit(piece + 1)) {
            int level = pickableLevel(torrent, wanted, has, allowedFast, piece);
            if (level == 0) {
                continue;
            }
            int blocks = torrent.blockCount(piece);
            for (int block = 0; block < blocks; block++) {
                if (torrent.blockState(piece, block) == BlockState.REQUESTED) {
                    long count = Math.min(Math.max(0, torrent.requestCount(piece, block)), (1 << 24) - 1);
                    heap.add((long) (MAX_PRIORITY - level) << 56 | count << 32 | piece, block);
                }
            }
        }
        heap.heapify();
        while (!heap.isEmpty()) {
            int piece = (int) heap.topKey();
            int block = heap.topItem();
            heap.removeTop();
            requests.request(piece, block);
            if (requests.remaining() <= 0) {
                return;
            }
        }
    }

    /** Offers the piece's missing blocks in order; returns whether the engine accepts no more. */
    private static boolean offerMissingBlocks(TorrentView torrent, int piece, BlockRequests requests) {
        int blocks = torrent.blockCount(piece);
        for (int block = 0; block < blocks; block++) {
            if (torrent.blockState(piece, block) == BlockState.MISSING) {
                requests.request(piece, block);
                if (requests.remaining() <= 0) {
                    return true;
                }
            }
        }
        return false;
    }

    /** The piece's priority, clamped to 1..7, when it may be requested from the peer; otherwise 0. */
    private static int pickableLevel(TorrentView torrent, PieceSet wanted, PieceSet has, PieceSet allowedFast,
            int piece) {
        if (!has.contains(piece) || allowedFast != null && !allowedFast.contains(piece) || !wanted.contains(piece)) {
            return 0;
        }
        int priority = torrent.priority(piece);
        return priority <= 0 ? 0 : Math.min(priority, MAX_PRIORITY);
    }
}
