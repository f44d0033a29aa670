package org.stampede.picker.sequential;

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
 * Piece picking for streaming: the pieces a player reads next are requested first, in order, and what is left of
 * the peer's request queue goes to the rarest pieces, so that the swarm still gets pieces to trade from us.
 * <p>
 * A piece is <em>pickable</em> from a peer when the peer has it, we want it ({@link TorrentView#wanted()}:
 * priority 0 is never picked) and, while the peer chokes us, it is in the peer's allowed-fast set (BEP 6; a choking
 * peer without the Fast extension gets no requests). The <em>played file</em> is the file of the highest
 * {@link TorrentView#filePriority priority} that still has a wanted piece, the first such in the torrent's order (so
 * the first file with a wanted piece while all have the same priority: a user raises the file to watch); the
 * <em>play position</em> is its first wanted piece ({@code next}, the first one we still miss); the <em>read-ahead
 * window</em> is the {@code windowPieces} pieces from it, {@code [next, next + windowPieces)}. Every pickable piece
 * falls into one urgency class, the first that fits, and the missing blocks of pieces are offered class by class
 * until the engine accepts no more:
 * <ol>
 * <li><b>Deadline</b>: pieces with a {@link TorrentView#deadline} (set by a player), earliest first;</li>
 * <li><b>Edge</b>: the first and the last {@code edgePieces} pieces of the played file, in index order: a player
 * reads the start for the container header and seeks to the end for its index (an MP4 {@code moov} box written last,
 * Matroska cues), so they are wanted before playback can begin;</li>
 * <li><b>Window</b>: pieces in the read-ahead window, in index order (a started piece keeps its place);</li>
 * <li><b>Started</b>: partial pieces outside the window, the one with the most blocks requested or received
 * first (strict priority, Cohen 2003), so nothing is left half done;</li>
 * <li><b>Rarest</b>: the other pieces, lowest {@link TorrentView#availability} first, ties at random.</li>
 * </ol>
 * In <b>endgame</b> ({@link TorrentView#endgame()}) the blocks already requested from other peers are offered next,
 * the fewest-requested first and, among equally requested ones, in the urgency order above, so duplicates spread
 * over the blocks yet the most urgent go out first; the engine cancels the duplicates when one copy arrives.
 * <p>
 * Priority levels 1-7 play no part (the play position decides). The window and edges are set in bytes and turned
 * into pieces with the torrent's piece length: the window is at least {@value #MIN_WINDOW_PIECES} pieces, an edge at
 * least one piece unless {@code edgeBytes} is 0.
 * <p>
 * <b>Cost.</b> The pieces with a deadline are kept in a bit set from the picker's news (built from the view at the
 * first pick, then changed by {@link #deadlineChanged} and {@link #pieceVerified}), so a deadline set by a player
 * counts from the next pick; the played file is kept until it has no wanted piece left or priorities change
 * ({@link #priorityChanged}), and then found again in one pass over the files with wanted pieces. A pick reads the
 * deadline pieces, the edges and the window by index, O(deadlines + edges + window), which fill the queue in the
 * common case. Only when they do not does it read the
 * partial pieces, O(B<sub>partial</sub>), and, when those do not either, scan the smallest of the wanted set, the
 * peer's set and the allowed-fast set, O(S), keeping the rarest candidates, which are offered in random order; the
 * other candidates are heapified only if needed. Endgame adds a heap over the requested blocks of the partial pieces.
 * Working arrays live in the instance and grow by doubling; a pick allocates nothing once they have grown.
 */
final class SequentialPicker implements PiecePicker {
    /** Read-ahead of the factory's pickers. */
    static final long DEFAULT_WINDOW_BYTES = 16L << 20;
    /** Start and end of the torrent fetched first by the factory's pickers. */
    static final long DEFAULT_EDGE_BYTES = 1L << 20;
    /** The window never shrinks below this, whatever the piece length. */
    static final int MIN_WINDOW_PIECES = 2;

    /** Urgency classes, most urgent first. */
    static final int DEADLINE = 0;
    static final int EDGE = 1;
    static final int WINDOW = 2;
    static final int STARTED = 3;
    static final int RAREST = 4;

    private static final int CLASS_SHIFT = 60;
    private static final long MAX_SUBKEY = (1L << CLASS_SHIFT) - 1;
    private static final long MAX_AVAILABILITY = (1L << 31) - 1;
    private static final int MAX_STARTED = Integer.MAX_VALUE;

    private final RandomGenerator random;
    private final long windowBytes;
    private final long edgeBytes;
    private final KeyedHeap heap = new KeyedHeap();
    /** Rarest candidates of a pick; then, in endgame, the pieces with requested blocks in urgency order. */
    private int[] pieces = new int[64];
    /** The pieces with a deadline, from the view at the first pick, then from the news. */
    private final BitSet deadlines = new BitSet();
    private boolean deadlinesKnown;
    /** The played file, while {@link #playFileKnown}; -1 when no file has a wanted piece. */
    private int playFile = -1;
    private boolean playFileKnown;

    /** This pick's layout, set at the start of {@link #pick}: the played file's pieces, the window, the edges. */
    private int next;
    private long windowEnd;
    private int edgePieces;
    private int fileFirst;
    private int fileEnd;

    /**
     * @param windowBytes the read-ahead from the play position, at least 1
     * @param edgeBytes how much of the start and of the end of the torrent is urgent; 0 for none
     */
    SequentialPicker(RandomGenerator random, long windowBytes, long edgeBytes) {
        this.random = Objects.requireNonNull(random, "random");
        if (windowBytes < 1 || edgeBytes < 0) {
            throw new IllegalArgumentException("window " + windowBytes + " and edge " + edgeBytes + " bytes");
        }
        this.windowBytes = windowBytes;
        this.edgeBytes = edgeBytes;
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
        PieceSet wanted = torrent.wanted();
        if (has.isEmpty() || wanted.isEmpty()) {
            return;
        }
        int file = playFile(torrent, wanted);
        fileFirst = file < 0 ? 0 : torrent.fileFirstPiece(file);
        fileEnd = file < 0 ? torrent.pieceCount() : torrent.fileEndPiece(file);
        next = wanted.nextSetBit(fileFirst);
        long pieceLength = Math.max(1, torrent.pieceLength(0));
        windowEnd = next + Math.max(MIN_WINDOW_PIECES, ceilDiv(windowBytes, pieceLength));
        int filePieces = fileEnd - fileFirst;
        edgePieces = edgeBytes == 0 ? 0 : (int) Math.min(filePieces, Math.max(1, ceilDiv(edgeBytes, pieceLength)));
        knowDeadlines(torrent, wanted);
        if (offerDeadlinePieces(torrent, wanted, has, allowedFast, requests)
                || offerRange(torrent, wanted, has, allowedFast, fileFirst, fileFirst + edgePieces, EDGE, requests)
                || offerRange(torrent, wanted, has, allowedFast, Math.max(fileFirst + edgePieces, fileEnd - edgePieces),
                        fileEnd, EDGE, requests)
                || offerRange(torrent, wanted, has, allowedFast, next, (int) Math.min(windowEnd, torrent.pieceCount()),
                        WINDOW, requests)
                || offerStartedPieces(torrent, wanted, has, allowedFast, requests)
                || offerRarestPieces(torrent, wanted, has, allowedFast, requests) || !torrent.endgame()) {
            return;
        }
        offerEndgameBlocks(torrent, wanted, has, allowedFast, requests);
    }

    /** At the first pick: the pieces with a deadline, from the view; the news keeps the set from then on. */
    private void knowDeadlines(TorrentView torrent, PieceSet wanted) {
        if (deadlinesKnown) {
            return;
        }
        for (int piece = wanted.nextSetBit(0); piece >= 0; piece = wanted.nextSetBit(piece + 1)) {
            if (torrent.deadline(piece) >= 0) {
                deadlines.set(piece);
            }
        }
        deadlinesKnown = true;
    }

    /**
     * The played file: the kept one while it has a wanted piece, else found again in one pass over the wanted pieces
     * file by file, O(files with wanted pieces &times; log files); -1 when no file of priority above 0 has one.
     */
    private int playFile(TorrentView torrent, PieceSet wanted) {
        if (playFileKnown && playFile >= 0 && hasWanted(torrent, wanted, playFile)) {
            return playFile;
        }
        int best = -1;
        int bestPriority = 0;
        int files = torrent.fileCount();
        for (int piece = wanted.nextSetBit(0); piece >= 0;) {
            int f = torrent.fileOf(piece);
            if (f < 0) {
                piece = wanted.nextSetBit(piece + 1);
                continue;
            }
            int end = torrent.fileEndPiece(f);
            for (int g = f; g < files && torrent.fileFirstPiece(g) <= piece; g++) { // every file with bytes here
                int priority = torrent.filePriority(g);
                if (priority > bestPriority && torrent.fileLength(g) > 0 && torrent.fileEndPiece(g) > piece) {
                    best = g;
                    bestPriority = priority;
                }
            }
            piece = wanted.nextSetBit(Math.max(piece + 1, end));
        }
        playFile = best;
        playFileKnown = true;
        return best;
    }

    private static boolean hasWanted(TorrentView torrent, PieceSet wanted, int file) {
        int piece = wanted.nextSetBit(torrent.fileFirstPiece(file));
        return piece >= 0 && piece < torrent.fileEndPiece(file);
    }

    // ---------------------------------------------------------------- news

    @Override
    public void pieceVerified(TorrentView torrent, int piece) {
        deadlines.clear(piece);
    }

    /** The played file may change with priorities. */
    @Override
    public void priorityChanged(TorrentView torrent, PieceSet pieces) {
        playFileKnown = false;
    }

    @Override
    public void deadlineChanged(TorrentView torrent, PieceSet pieces) {
        if (deadlinesKnown) {
            for (int piece = pieces.nextSetBit(0); piece >= 0; piece = pieces.nextSetBit(piece + 1)) {
                deadlines.set(piece, torrent.deadline(piece) >= 0);
            }
        }
    }

    /** Class 1. Returns whether the engine accepts no more. */
    private boolean offerDeadlinePieces(TorrentView torrent, PieceSet wanted, PieceSet has, PieceSet allowedFast,
            BlockRequests requests) {
        if (deadlines.isEmpty()) {
            return false;
        }
        heap.clear();
        for (int piece = deadlines.nextSetBit(0); piece >= 0; piece = deadlines.nextSetBit(piece + 1)) {
            long deadline = torrent.deadline(piece);
            if (deadline >= 0 && pickable(wanted, has, allowedFast, piece)) {
                heap.add(deadline, piece);
            }
        }
        return drain(torrent, requests);
    }

    /** Classes 2 and 3: the pieces of {@code [from, to)} in that class, in index order. */
    private boolean offerRange(TorrentView torrent, PieceSet wanted, PieceSet has, PieceSet allowedFast, int from,
            int to, int urgency, BlockRequests requests) {
        for (int piece = Math.max(0, from); piece < to; piece++) {
            if (pickable(wanted, has, allowedFast, piece) && urgency(torrent, piece, false) == urgency
                    && offerMissingBlocks(torrent, piece, requests)) {
                return true;
            }
        }
        return false;
    }

    /** Class 4. Returns whether the engine accepts no more. */
    private boolean offerStartedPieces(TorrentView torrent, PieceSet wanted, PieceSet has, PieceSet allowedFast,
            BlockRequests requests) {
        PieceSet partial = torrent.partial();
        heap.clear();
        for (int piece = partial.nextSetBit(0); piece >= 0; piece = partial.nextSetBit(piece + 1)) {
            if (!pickable(wanted, has, allowedFast, piece) || urgency(torrent, piece, true) != STARTED) {
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
                heap.add(MAX_STARTED - started, piece);
            }
        }
        return drain(torrent, requests);
    }

    /** Class 5: rarest first, ties in random order. Returns whether the engine accepts no more. */
    private boolean offerRarestPieces(TorrentView torrent, PieceSet wanted, PieceSet has, PieceSet allowedFast,
            BlockRequests requests) {
        PieceSet partial = torrent.partial();
        PieceSet scan = wanted.count() <= has.count() ? wanted : has;
        if (allowedFast != null && allowedFast.count() < scan.count()) {
            scan = allowedFast;
        }
        // one scan keeps the rarest candidates, which usually fill the queue
        int n = 0;
        int total = 0;
        long rarest = Long.MAX_VALUE;
        for (int piece = scan.nextSetBit(0); piece >= 0; piece = scan.nextSetBit(piece + 1)) {
            if (!rarestCandidate(torrent, wanted, has, allowedFast, partial, piece)) {
                continue;
            }
            total++;
            long availability = availability(torrent, piece);
            if (availability < rarest) {
                rarest = availability;
                n = 0;
            }
            if (availability == rarest) {
                if (n == pieces.length) {
                    pieces = Arrays.copyOf(pieces, n * 2);
                }
                pieces[n++] = piece;
            }
        }
        for (int i = 0; i < n; i++) {
            int j = i + random.nextInt(n - i);
            int piece = pieces[j];
            pieces[j] = pieces[i];
            pieces[i] = piece;
            if (offerMissingBlocks(torrent, piece, requests)) {
                return true;
            }
        }
        if (n == total) {
            return false;
        }
        heap.clear();
        for (int piece = scan.nextSetBit(0); piece >= 0; piece = scan.nextSetBit(piece + 1)) {
            if (rarestCandidate(torrent, wanted, has, allowedFast, partial, piece)) {
                long availability = availability(torrent, piece);
                if (availability != rarest) {
                    heap.add(availability << 32 | random.nextInt() & 0xffff_ffffL, piece);
                }
            }
        }
        return drain(torrent, requests);
    }

    private boolean rarestCandidate(TorrentView torrent, PieceSet wanted, PieceSet has, PieceSet allowedFast,
            PieceSet partial, int piece) {
        return pickable(wanted, has, allowedFast, piece) && !partial.contains(piece)
                && urgency(torrent, piece, false) == RAREST;
    }

    /** Endgame: blocks requested from other peers, fewest requests first, then by urgency. */
    private void offerEndgameBlocks(TorrentView torrent, PieceSet wanted, PieceSet has, PieceSet allowedFast,
            BlockRequests requests) {
        PieceSet partial = torrent.partial();
        heap.clear();
        for (int piece = partial.nextSetBit(0); piece >= 0; piece = partial.nextSetBit(piece + 1)) {
            if (pickable(wanted, has, allowedFast, piece)) {
                heap.add(urgencyKey(torrent, piece), piece);
            }
        }
        heap.heapify();
        int n = 0;
        while (!heap.isEmpty()) {
            if (n == pieces.length) {
                pieces = Arrays.copyOf(pieces, n * 2);
            }
            pieces[n++] = heap.topItem();
            heap.removeTop();
        }
        for (int rank = 0; rank < n; rank++) {
            int piece = pieces[rank];
            int blocks = torrent.blockCount(piece);
            for (int block = 0; block < blocks; block++) {
                if (torrent.blockState(piece, block) == BlockState.REQUESTED) {
                    long count = Math.min(Math.max(0, torrent.requestCount(piece, block)), Integer.MAX_VALUE);
                    heap.add(count << 32 | rank, block);
                }
            }
        }
        heap.heapify();
        while (!heap.isEmpty()) {
            int piece = pieces[(int) heap.topKey()];
            int block = heap.topItem();
            heap.removeTop();
            requests.request(piece, block);
            if (requests.remaining() <= 0) {
                return;
            }
        }
    }

    /** The urgency class of a piece in this pick's layout; {@code started}: some of its blocks are. */
    int urgency(TorrentView torrent, int piece, boolean started) {
        if (deadlines.get(piece) && torrent.deadline(piece) >= 0) {
            return DEADLINE;
        }
        if (piece >= fileFirst && piece < fileFirst + edgePieces || piece >= fileEnd - edgePieces && piece < fileEnd) {
            return EDGE;
        }
        if (piece >= next && piece < windowEnd) {
            return WINDOW;
        }
        return started ? STARTED : RAREST;
    }

    /** The order of a partial piece in endgame: its class, then its order within the class. */
    private long urgencyKey(TorrentView torrent, int piece) {
        int urgency = urgency(torrent, piece, true);
        long sub = switch (urgency) {
            case DEADLINE -> Math.min(torrent.deadline(piece), MAX_SUBKEY);
            case EDGE, WINDOW -> piece;
            default -> 0; // started: by index
        };
        return (long) urgency << CLASS_SHIFT | sub;
    }

    /** Offers the missing blocks of the pieces in the heap, smallest key first. */
    private boolean drain(TorrentView torrent, BlockRequests requests) {
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

    private static long availability(TorrentView torrent, int piece) {
        return Math.min(Math.max(0, torrent.availability(piece)), MAX_AVAILABILITY);
    }

    private static boolean pickable(PieceSet wanted, PieceSet has, PieceSet allowedFast, int piece) {
        return has.contains(piece) && wanted.contains(piece) && (allowedFast == null || allowedFast.contains(piece));
    }

    private static long ceilDiv(long a, long b) {
        return (a + b - 1) / b;
    }
}
