package org.stampede.picker.random;

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
 * The piece selection of the original BitTorrent client as Cohen (2003, "Piece Selection") describes it: strict
 * priority, random first pieces, rarest first, endgame; with {@code randomFirstPieces} set to
 * {@link Integer#MAX_VALUE} it never leaves the random phase, which is the "random" policy that Legout et al.
 * (2006) and Bharambe et al. (2006) compare rarest first against.
 * <p>
 * A piece is <em>pickable</em> from a peer when the peer has it, we want it ({@link TorrentView#wanted()}:
 * priority 0 is never picked) and, while the peer chokes us, it is in the peer's allowed-fast set (BEP 6; a choking
 * peer without the Fast extension gets no requests). Priority levels 1-7 and deadlines play no part: this is the
 * classic policy, kept bare so that the strategy lab measures piece selection alone. Blocks are offered in this
 * order until the engine accepts no more:
 * <ol>
 * <li><b>Strict priority</b>: the missing blocks of pickable partial pieces, the piece with the most blocks
 * requested or received first (then the lowest index), so that started pieces complete and can be traded.</li>
 * <li><b>New pieces</b>: while we have fewer than {@code randomFirstPieces} verified pieces, pickable pieces not
 * started yet in uniformly random order ("random first piece": a random piece is held by more peers than the
 * rarest and completes sooner); from then on the lowest {@link TorrentView#availability} first ("rarest first"),
 * ties in random order.</li>
 * <li><b>Endgame</b>, only while {@link TorrentView#endgame()}: blocks already requested from other peers, the
 * fewest-requested first; the engine cancels the duplicates when one copy arrives.</li>
 * </ol>
 * Cost per pick: step 1 reads the block states of the partial pieces, O(B<sub>partial</sub>), and most picks end
 * there (a started piece fills the queue until all its blocks are requested); step 2 scans the smallest of the
 * wanted set, the peer's set and the allowed-fast set once, O(S), keeping the rarest candidates (all of them in the
 * random phase), which are offered in random order at one random number each; only if they do not fill the queue
 * are the others heapified by (availability, random number), O(S), and taken in O(log S) each. Working arrays live
 * in the instance and grow by doubling; a pick allocates nothing once they have grown. No per-piece state is kept
 * between picks, so a picker swapped in mid-download carries on from the engine's state.
 */
final class ClassicPicker implements PiecePicker {
    /** Cohen's and libtorrent's threshold: below this many verified pieces, new pieces are picked at random. */
    static final int RANDOM_FIRST_PIECES = 4;
    /** For {@code randomFirstPieces}: pick at random forever. */
    static final int ALWAYS_RANDOM = Integer.MAX_VALUE;

    private static final long MAX_AVAILABILITY = (1L << 31) - 1;

    private final RandomGenerator random;
    private final int randomFirstPieces;
    private final KeyedHeap heap = new KeyedHeap();
    /** Candidates of a random pick, drawn from without replacement. */
    private int[] candidates = new int[64];

    /**
     * @param randomFirstPieces below this many verified pieces new pieces are picked at random, from then on rarest
     *            first; {@link #ALWAYS_RANDOM} for random forever
     */
    ClassicPicker(RandomGenerator random, int randomFirstPieces) {
        this.random = Objects.requireNonNull(random, "random");
        if (randomFirstPieces < 0) {
            throw new IllegalArgumentException("random-first pieces must not be negative: " + randomFirstPieces);
        }
        this.randomFirstPieces = randomFirstPieces;
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
            if (!pickable(wanted, has, allowedFast, piece)) {
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
                heap.add(-started, piece);
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

    /** Step 2. Returns whether the engine accepts no more. */
    private boolean offerNewPieces(TorrentView torrent, PieceSet has, PieceSet allowedFast, BlockRequests requests) {
        PieceSet wanted = torrent.wanted();
        PieceSet partial = torrent.partial();
        PieceSet scan = wanted.count() <= has.count() ? wanted : has;
        if (allowedFast != null && allowedFast.count() < scan.count()) {
            scan = allowedFast;
        }
        boolean randomPhase = torrent.have().count() < randomFirstPieces;
        // one scan collects the rarest candidates (every candidate in the random phase); they usually fill the queue
        int n = 0;
        int total = 0;
        long rarest = Long.MAX_VALUE;
        for (int piece = scan.nextSetBit(0); piece >= 0; piece = scan.nextSetBit(piece + 1)) {
            if (!pickable(wanted, has, allowedFast, piece) || partial.contains(piece)) {
                continue;
            }
            total++;
            long availability = randomPhase ? 0 : availability(torrent, piece);
            if (availability < rarest) {
                rarest = availability;
                n = 0;
            }
            if (availability == rarest) {
                if (n == candidates.length) {
                    candidates = Arrays.copyOf(candidates, n * 2);
                }
                candidates[n++] = piece;
            }
        }
        if (offerInRandomOrder(torrent, n, requests)) {
            return true;
        }
        if (n == total) {
            return false;
        }
        // the rest, rarest first, ties in random order
        heap.clear();
        for (int piece = scan.nextSetBit(0); piece >= 0; piece = scan.nextSetBit(piece + 1)) {
            if (pickable(wanted, has, allowedFast, piece) && !partial.contains(piece)) {
                long availability = availability(torrent, piece);
                if (availability != rarest) {
                    heap.add(availability << 32 | random.nextInt() & 0xffff_ffffL, piece);
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

    /** Offers the first {@code n} candidates in random order; returns whether the engine accepts no more. */
    private boolean offerInRandomOrder(TorrentView torrent, int n, BlockRequests requests) {
        for (int i = 0; i < n; i++) {
            int j = i + random.nextInt(n - i);
            int piece = candidates[j];
            candidates[j] = candidates[i];
            candidates[i] = piece;
            if (offerMissingBlocks(torrent, piece, requests)) {
                return true;
            }
        }
        return false;
    }

    private static long availability(TorrentView torrent, int piece) {
        return Math.min(Math.max(0, torrent.availability(piece)), MAX_AVAILABILITY);
    }

    /** Step 3: blocks requested from other peers, fewest requests first. */
    private void offerEndgameBlocks(TorrentView torrent, PieceSet has, PieceSet allowedFast,
            BlockRequests requests) {
        PieceSet partial = torrent.partial();
        PieceSet wanted = torrent.wanted();
        heap.clear();
        for (int piece = partial.nextSetBit(0); piece >= 0; piece = partial.nextSetBit(piece + 1)) {
            if (!pickable(wanted, has, allowedFast, piece)) {
                continue;
            }
            int blocks = torrent.blockCount(piece);
            for (int block = 0; block < blocks; block++) {
                if (torrent.blockState(piece, block) == BlockState.REQUESTED) {
                    long count = Math.min(Math.max(0, torrent.requestCount(piece, block)), MAX_AVAILABILITY);
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

    private static boolean pickable(PieceSet wanted, PieceSet has, PieceSet allowedFast, int piece) {
        return has.contains(piece) && wanted.contains(piece) && (allowedFast == null || allowedFast.contains(piece));
    }
}
