package org.stampede.picker.rarest;

import java.util.Arrays;
import java.util.BitSet;
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
 * Rarest-first piece picking as described by Cohen (2003) and BEP 3, with libtorrent's refinements.
 * <p>
 * A piece is <em>pickable</em> from a peer when the peer has it, we want it (priority above 0; priority 0 is never
 * picked) and, while the peer chokes us, it is in the peer's allowed-fast set (BEP 6; a peer that chokes us and
 * does not speak the Fast extension gets no requests). Blocks are offered in this order until the engine accepts
 * no more:
 * <ol>
 * <li><b>Started pieces</b> ("strict priority"): missing blocks of pickable partial pieces, pieces with a deadline
 * first (earliest first), then higher priority first, then the piece with the most blocks requested or received
 * first, so started pieces complete, pass their hash check and can be traded as early as possible.</li>
 * <li><b>New pieces</b>: pickable pieces not started yet, pieces with a deadline first (earliest first), then
 * higher priority first, then the lowest availability first ("rarest first"), ties broken at random. While we
 * have fewer than {@value #RANDOM_FIRST_PIECES} pieces ("random first piece", libtorrent's
 * {@code initial_picker_threshold}) availability is ignored: a random piece is faster to get than a rare one, and
 * we need something to trade.</li>
 * <li><b>Endgame</b>, only while {@link TorrentView#endgame()}: blocks already requested from other peers, the
 * fewest-requested first; the engine cancels the duplicates when one arrives.</li>
 * </ol>
 *
 * <h2>Cost</h2>
 * The wanted pieces are kept in rarest-first order between picks ({@link PieceOrder}, libtorrent's layout), from
 * the picker's news: a change of availability moves a piece by one swap per bucket crossed, O(1) for a {@code have};
 * a verified piece leaves, a priority change moves it; the pieces with a deadline are kept in a set from the
 * deadline news. The order is built from the view at the first pick that walks it (O(pieces)), so a picker
 * swapped in mid-download carries on from the engine's state. It never comparison-sorts all pieces:
 * <ul>
 * <li>step 1 reads the block states of the partial pieces the peer has, O(B<sub>partial</sub>), and orders them
 * with a heap; when they fill the request queue (the common case) the pick ends here;</li>
 * <li>step 2 first offers the pieces with a deadline (a heap over that set), then walks the order from the top,
 * shuffling each bucket as it goes (one random number per piece looked at) and skipping pieces the peer lacks, that
 * are started or have a deadline: O(pieces looked at), a handful from a peer that has most pieces. Buckets of
 * availability 0 are not walked: a piece a connected peer has is held by at least one peer, as the view contract
 * says. For a peer with few pieces (fewer than one in {@value #SPARSE} of the wanted ones), and in the random-first
 * phase, it scans the smallest of the wanted set, the peer's set and the allowed-fast set once, O(S), and buckets
 * the candidates by (priority, availability) with a counting sort, O(S + K) with K = 7 &times; (availability
 * spread + 1); only the pieces offered consume random numbers;</li>
 * <li>step 3 heapifies the requested blocks of partial pieces, O(B<sub>partial</sub>), and takes the first ones
 * in O(log B<sub>partial</sub>) each.</li>
 * </ul>
 * All working arrays live in the instance and grow by doubling; a pick or a piece of news allocates nothing once
 * they have grown to the torrent's size. Measured on a 100,000-piece torrent: see the bundle's README.
 */
final class RarestFirstPicker implements PiecePicker {
    /** Below this many verified pieces, new pieces are picked at random rather than rarest first. */
    static final int RANDOM_FIRST_PIECES = 4;
    /** The highest piece priority; a higher value from the engine counts as this. */
    static final int MAX_PRIORITY = 7;
    /** Availability above the lowest among the candidates is bucketed up to this spread; beyond, it ties. */
    static final int MAX_AVAILABILITY_SPREAD = 16_383;
    /** A peer with fewer than one in this many of the wanted pieces is scanned rather than the order walked. */
    static final int SPARSE = 8;

    private static final long NO_DEADLINE = 1L << 62;
    private static final long MAX_DEADLINE = (1L << 30) - 1;
    private static final int PRIORITY_SHIFT = 28;
    private static final int MAX_RANK = (1 << PRIORITY_SHIFT) - 1;

    private final RandomGenerator random;
    private final KeyedHeap heap = new KeyedHeap();
    /** New-piece candidates: piece, priority and availability, then the bucket of each. */
    private int[] candidates = new int[64];
    private int[] priorities = new int[64];
    private int[] availabilities = new int[64];
    /** The candidates in bucket order. */
    private int[] order = new int[64];
    /** Per bucket: a count, then the start offset, then (after placing) the end offset. */
    private int[] buckets = new int[64];
    /** The wanted pieces in rarest-first order, kept from the news once built. */
    private final PieceOrder rarest = new PieceOrder();
    /** The pieces with a deadline, kept from the news once {@link #rarest} is built. */
    private final BitSet deadlines = new BitSet();

    /** Whether step 2 may walk the kept order (false: it always scans, as before the order was kept). */
    private final boolean keepOrder;

    RarestFirstPicker(RandomGenerator random) {
        this(random, true);
    }

    /** {@code keepOrder} false: the scan alone, to compare with (tests, benchmark). */
    RarestFirstPicker(RandomGenerator random, boolean keepOrder) {
        this.random = Objects.requireNonNull(random, "random");
        this.keepOrder = keepOrder;
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
        if (offerStartedPieces(torrent, has, allowedFast, requests)
                || offerNewPieces(torrent, has, allowedFast, requests) || !torrent.endgame()) {
            return;
        }
        offerEndgameBlocks(torrent, has, allowedFast, requests);
    }

    /** Step 1. Returns whether the engine accepts no more. */
    private boolean offerStartedPieces(TorrentView torrent, PieceSet has, PieceSet allowedFast,
            BlockRequests requests) {
        PieceSet partial = torrent.partial();
        PieceSet wanted = torrent.wanted();
        heap.clear();
        for (int piece = partial.nextSetBit(0); piece >= 0; piece = partial.nextSetBit(piece + 1)) {
            int priority = pickablePriority(torrent, wanted, has, allowedFast, piece);
            if (priority == 0) {
                continue;
            }
            int blocks = torrent.blockCount(piece);
            int started = 0;
            for (int block = 0; block < blocks; block++) {
                if (torrent.blockState(piece, block) != BlockState.MISSING) {
                    started++;
                }
            }
            if (started < blocks) {
                heap.add(key(torrent.deadline(piece), priority, MAX_RANK - Math.min(started, MAX_RANK)), piece);
            }
        }
        return drainPieces(torrent, requests);
    }

    // ---------------------------------------------------------------- news

    @Override
    public void pieceVerified(TorrentView torrent, int piece) {
        rarest.update(torrent, piece);
        deadlines.clear(piece);
    }

    @Override
    public void pieceFailed(TorrentView torrent, int piece) {
        rarest.update(torrent, piece);
    }

    @Override
    public void priorityChanged(TorrentView torrent, PieceSet pieces) {
        rarest.update(torrent, pieces);
    }

    @Override
    public void availabilityChanged(TorrentView torrent, PieceSet pieces) {
        rarest.update(torrent, pieces);
    }

    @Override
    public void deadlineChanged(TorrentView torrent, PieceSet pieces) {
        if (rarest.built()) {
            for (int p = pieces.nextSetBit(0); p >= 0; p = pieces.nextSetBit(p + 1)) {
                deadlines.set(p, torrent.deadline(p) >= 0);
            }
        }
    }

    /** Step 2. Returns whether the engine accepts no more. */
    private boolean offerNewPieces(TorrentView torrent, PieceSet has, PieceSet allowedFast, BlockRequests requests) {
        PieceSet wanted = torrent.wanted();
        PieceSet partial = torrent.partial();
        boolean randomFirst = torrent.have().count() < RANDOM_FIRST_PIECES;
        PieceSet scan = wanted.count() <= has.count() ? wanted : has;
        if (allowedFast != null && allowedFast.count() < scan.count()) {
            scan = allowedFast;
        }
        if (keepOrder && !randomFirst && (long) scan.count() * SPARSE >= wanted.count()) {
            return walkOrder(torrent, has, allowedFast, requests);
        }
        heap.clear();
        int n = 0;
        int minAvailability = Integer.MAX_VALUE;
        int maxAvailability = 0;
        for (int piece = scan.nextSetBit(0); piece >= 0; piece = scan.nextSetBit(piece + 1)) {
            int priority = pickablePriority(torrent, wanted, has, allowedFast, piece);
            if (priority == 0 || partial.contains(piece)) {
                continue;
            }
            long deadline = torrent.deadline(piece);
            if (deadline >= 0) {
                heap.add(key(deadline, priority, 0), piece);
                continue;
            }
            int availability = randomFirst ? 0 : Math.max(0, torrent.availability(piece));
            if (n == candidates.length) {
                growCandidates();
            }
            candidates[n] = piece;
            priorities[n] = priority;
            availabilities[n] = availability;
            n++;
            minAvailability = Math.min(minAvailability, availability);
            maxAvailability = Math.max(maxAvailability, availability);
        }
        if (drainPieces(torrent, requests)) {
            return true;
        }
        return n > 0 && offerByBucket(torrent, requests, n, minAvailability,
                Math.min(maxAvailability - minAvailability, MAX_AVAILABILITY_SPREAD) + 1);
    }

    /**
     * Step 2 on the kept order: the pieces with a deadline (earliest first), then the order from its top, each
     * bucket shuffled as it is walked. Returns whether the engine accepts no more.
     */
    private boolean walkOrder(TorrentView torrent, PieceSet has, PieceSet allowedFast, BlockRequests requests) {
        if (!rarest.built()) {
            rarest.build(torrent);
            deadlines.clear();
            for (int p = 0; p < torrent.pieceCount(); p++) {
                if (torrent.deadline(p) >= 0) {
                    deadlines.set(p);
                }
            }
        }
        PieceSet wanted = torrent.wanted();
        PieceSet partial = torrent.partial();
        if (!deadlines.isEmpty()) {
            heap.clear();
            for (int p = deadlines.nextSetBit(0); p >= 0; p = deadlines.nextSetBit(p + 1)) {
                int priority = pickablePriority(torrent, wanted, has, allowedFast, p);
                if (priority > 0 && !partial.contains(p)) {
                    heap.add(key(torrent.deadline(p), priority, 0), p);
                }
            }
            if (drainPieces(torrent, requests)) {
                return true;
            }
        }
        int size = rarest.size();
        for (int i = 0; i < size;) {
            int end = rarest.bucketEndAt(i);
            if (rarest.availabilityBucketAt(i) == 0) {
                i = end; // held by no connected peer, so by none we could ask
                continue;
            }
            for (; i < end; i++) {
                rarest.swap(i, i + random.nextInt(end - i));
                int piece = rarest.piece(i);
                if (has.contains(piece) && (allowedFast == null || allowedFast.contains(piece))
                        && !partial.contains(piece) && !deadlines.get(piece) && wanted.contains(piece)
                        && offerMissingBlocks(torrent, piece, requests)) {
                    return true;
                }
            }
        }
        return false;
    }

    /**
     * Counting sort of the {@code n} candidates into buckets by (priority descending, availability ascending),
     * then offers bucket by bucket, drawing each piece at random from what is left of its bucket.
     */
    private boolean offerByBucket(TorrentView torrent, BlockRequests requests, int n, int minAvailability,
            int width) {
        int bucketCount = MAX_PRIORITY * width;
        if (buckets.length < bucketCount) {
            buckets = new int[Math.max(bucketCount, buckets.length * 2)];
        }
        Arrays.fill(buckets, 0, bucketCount, 0);
        int[] bucketOf = availabilities; // reused in place: availability becomes the bucket index
        for (int i = 0; i < n; i++) {
            int spread = Math.min(availabilities[i] - minAvailability, width - 1);
            int bucket = (MAX_PRIORITY - priorities[i]) * width + spread;
            bucketOf[i] = bucket;
            buckets[bucket]++;
        }
        int start = 0;
        for (int b = 0; b < bucketCount; b++) {
            int count = buckets[b];
            buckets[b] = start;
            start += count;
        }
        for (int i = 0; i < n; i++) {
            order[buckets[bucketOf[i]]++] = candidates[i];
        }
        // buckets[b] is now the end of bucket b and the start of bucket b + 1
        int from = 0;
        for (int b = 0; b < bucketCount && from < n; b++) {
            int end = buckets[b];
            for (int i = from; i < end; i++) {
                int j = i + random.nextInt(end - i);
                int piece = order[j];
                order[j] = order[i];
                order[i] = piece;
                if (offerMissingBlocks(torrent, piece, requests)) {
                    return true;
                }
            }
            from = end;
        }
        return false;
    }

    /** Step 3: blocks requested from other peers, fewest requests first. */
    private void offerEndgameBlocks(TorrentView torrent, PieceSet has, PieceSet allowedFast,
            BlockRequests requests) {
        PieceSet partial = torrent.partial();
        PieceSet wanted = torrent.wanted();
        heap.clear();
        for (int piece = partial.nextSetBit(0); piece >= 0; piece = partial.nextSetBit(piece + 1)) {
            if (pickablePriority(torrent, wanted, has, allowedFast, piece) == 0) {
                continue;
            }
            int blocks = torrent.blockCount(piece);
            for (int block = 0; block < blocks; block++) {
                if (torrent.blockState(piece, block) == BlockState.REQUESTED) {
                    long count = Math.max(0, torrent.requestCount(piece, block));
                    heap.add(count << 32 | piece, block);
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

    /** Offers the missing blocks of the pieces in the heap, smallest key first. */
    private boolean drainPieces(TorrentView torrent, BlockRequests requests) {
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
    private static int pickablePriority(TorrentView torrent, PieceSet wanted, PieceSet has, PieceSet allowedFast,
            int piece) {
        if (!has.contains(piece) || allowedFast != null && !allowedFast.contains(piece) || !wanted.contains(piece)) {
            return 0;
        }
        int priority = torrent.priority(piece);
        return priority <= 0 ? 0 : Math.min(priority, MAX_PRIORITY);
    }

    /**
     * An ordering key, smaller first: pieces with a deadline (earliest first) before those without, then higher
     * priority, then {@code rank} (0 to {@value #MAX_RANK}).
     */
    static long key(long deadline, int priority, int rank) {
        long key = (long) (MAX_PRIORITY - priority) << PRIORITY_SHIFT | rank;
        return deadline < 0 ? NO_DEADLINE | key : Math.min(deadline, MAX_DEADLINE) << 32 | key;
    }

    private void growCandidates() {
        int capacity = candidates.length * 2;
        candidates = Arrays.copyOf(candidates, capacity);
        priorities = Arrays.copyOf(priorities, capacity);
        availabilities = Arrays.copyOf(availabilities, capacity);
        order = new int[capacity];
    }
}
