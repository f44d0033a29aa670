package org.example.stampede.picker.streamwindow;

import java.util.Objects;
import java.util.random.RandomGenerator;

import org.stampede.api.BlockRequests;
import org.stampede.api.BlockState;
import org.stampede.api.PeerView;
import org.stampede.api.PiecePicker;
import org.stampede.api.PieceSet;
import org.stampede.api.TorrentView;

/**
 * Piece picking for streaming after BiToS (A. Vlavianos, M. Iliofotou, M. Faloutsos, <i>BiToS: Enhancing
 * BitTorrent for Supporting Streaming Applications</i>, IEEE Global Internet 2006): the pieces a player needs
 * soon form a <em>window</em> that is fetched first most of the time, but rarest first within it, and the rest of
 * the time the rarest piece beyond the window is fetched, so a streaming client still has pieces to trade.
 * <p>
 * The <b>window</b> is the first {@code windowPieces} pieces of {@link TorrentView#wanted()} (wanted and not yet
 * verified) in index order: it starts at the play position, the first piece we miss, and slides on as pieces
 * arrive. Everything wanted after it is the <b>rest</b>. A piece is <em>pickable</em> from a peer when the peer
 * has it, we want it and, while the peer chokes us, it is in the peer's allowed-fast set (BEP 6; a choking peer
 * without the Fast extension gets no requests), and it still has a block that is neither requested nor received.
 * <p>
 * For each piece it chooses, the picker takes the window with probability {@code windowPercent}/100 and the rest
 * otherwise; when the chosen side has no pickable piece left, the other one. Within a side, a started piece
 * (one in {@link TorrentView#partial()}) comes before a fresh one, so few pieces are left half done; then the
 * lowest {@link TorrentView#availability} first; ties are broken at random. All missing blocks of the chosen
 * piece are offered, in order, before the next piece is chosen.
 * <p>
 * <b>Differs from the shipped {@code sequential} picker</b>, which fetches its read-ahead window in index order
 * and turns to rarest first only when the window is all requested: here the window itself goes rarest first (so
 * streaming peers watching the same part of a video do not all ask for the same next piece), and a fixed share of
 * the requests always goes beyond the window. With {@code windowPercent} 100 the picker is "rarest first within
 * the window"; with 0 it is plain rarest first that starts the pieces of the window last.
 * <p>
 * <b>Endgame</b> ({@link TorrentView#endgame()}): when no pickable piece has a missing block, the blocks already
 * requested from other peers are offered, first those requested from one peer, then the others, each pass from the
 * play position on, so the window's blocks go out first; the engine refuses the ones already requested from this
 * peer and cancels the duplicates when one copy arrives.
 * <p>
 * Priority levels 1-7 play no part (priority 0 still excludes a piece, through {@code wanted()}), nor do
 * {@link TorrentView#deadline deadlines}.
 * <p>
 * <b>Cost.</b> A pick reads the window's pieces, O(W). Only when it turns to the rest does it read the started
 * pieces beyond the window, O(partial), and only when none of those is pickable does it scan the wanted pieces after
 * the window that the peer can give (the smallest of the sets involved), O(S), and heapify them, so that taking each
 * piece costs O(log S): a full scan happens about once per piece started beyond the window. Started pieces are
 * checked block by block, O(blocks). The heaps are reused and grow by doubling: a pick allocates nothing once they
 * have grown. Not thread-safe; the engine serialises the calls of a torrent's strategies.
 */
final class StreamWindowPicker implements PiecePicker {
    /** Window size of the factory's pickers unless configured. */
    static final int DEFAULT_WINDOW_PIECES = 32;
    /** How often (per cent of the pieces chosen) the window is preferred, unless configured. */
    static final int DEFAULT_WINDOW_PERCENT = 80;
    /** Largest window accepted: a pick reads the whole window, so it must stay small. */
    static final int MAX_WINDOW_PIECES = 1 << 16;

    /*
     * A candidate piece is one long, so that the heaps order it without objects: from the high bits down,
     * fresh (0 = started, so started pieces come first), availability, a random tie-break, the piece index.
     */
    private static final int PIECE_BITS = 31;
    private static final int TIE_BITS = 12;
    private static final int AVAILABILITY_BITS = 19;
    private static final int TIE_SHIFT = PIECE_BITS;
    private static final int AVAILABILITY_SHIFT = TIE_SHIFT + TIE_BITS;
    private static final int FRESH_SHIFT = AVAILABILITY_SHIFT + AVAILABILITY_BITS;
    private static final long PIECE_MASK = (1L << PIECE_BITS) - 1;
    private static final int MAX_AVAILABILITY = (1 << AVAILABILITY_BITS) - 1;

    private final RandomGenerator random;
    private final int windowPieces;
    private final int windowPercent;
    private final PieceQueue window = new PieceQueue();
    private final PieceQueue rest = new PieceQueue();
    /** How far this pick has gathered {@link #rest}: 0 not yet, 1 the started pieces, 2 all pieces. */
    private int restStage;

    /**
     * @param windowPieces how many wanted pieces from the play position form the window, 1 to
     *            {@value #MAX_WINDOW_PIECES}
     * @param windowPercent how often, in per cent of the pieces chosen, the window is preferred, 0 to 100
     * @throws IllegalArgumentException when either is out of range
     */
    StreamWindowPicker(RandomGenerator random, int windowPieces, int windowPercent) {
        this.random = Objects.requireNonNull(random, "random");
        checkSettings(windowPieces, windowPercent);
        this.windowPieces = windowPieces;
        this.windowPercent = windowPercent;
    }

    /** Throws a message that says what is wrong with these settings, if anything. */
    static void checkSettings(int windowPieces, int windowPercent) {
        if (windowPieces < 1 || windowPieces > MAX_WINDOW_PIECES) {
            throw new IllegalArgumentException(
                    "windowPieces must be 1 to " + MAX_WINDOW_PIECES + ", not " + windowPieces);
        }
        if (windowPercent < 0 || windowPercent > 100) {
            throw new IllegalArgumentException("windowPercent must be 0 to 100, not " + windowPercent);
        }
    }

    int windowPieces() {
        return windowPieces;
    }

    int windowPercent() {
        return windowPercent;
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
        int next = wanted.nextSetBit(0);
        if (next < 0 || has.isEmpty()) {
            return;
        }
        int windowLast = fillWindow(torrent, wanted, has, allowedFast, next);
        restStage = 0;
        rest.clear();
        while (true) {
            boolean fromWindow;
            if (window.isEmpty()) {
                if (!restReady(torrent, wanted, has, allowedFast, windowLast)) {
                    break;
                }
                fromWindow = false;
            } else if (random.nextInt(100) < windowPercent) {
                fromWindow = true;
            } else {
                fromWindow = !restReady(torrent, wanted, has, allowedFast, windowLast);
            }
            int piece = (int) ((fromWindow ? window : rest).poll() & PIECE_MASK);
            if (offerMissingBlocks(torrent, piece, requests)) {
                return;
            }
        }
        if (torrent.endgame()) {
            offerRequestedBlocks(torrent, wanted, has, allowedFast, next, requests);
        }
    }

    /** Puts the window's pickable pieces in {@link #window}; returns the index of its last piece. */
    private int fillWindow(TorrentView torrent, PieceSet wanted, PieceSet has, PieceSet allowedFast, int next) {
        window.clear();
        PieceSet partial = torrent.partial();
        int piece = next;
        int last = next;
        for (int i = 0; i < windowPieces && piece >= 0; i++) {
            last = piece;
            if (pickable(has, allowedFast, piece)) {
                addCandidate(window, torrent, partial, piece);
            }
            piece = piece + 1 < wanted.size() ? wanted.nextSetBit(piece + 1) : -1;
        }
        window.heapify();
        return last;
    }

    /**
     * Whether {@link #rest} has a candidate, gathering them in stages as they are needed: first the started pieces
     * beyond the window (few: O(partial)), and only when those are used up the fresh ones, by one scan of the
     * smallest of the sets involved (O(S)). So a pick that continues a piece started beyond the window, the usual
     * case, does not scan the whole torrent.
     */
    private boolean restReady(TorrentView torrent, PieceSet wanted, PieceSet has, PieceSet allowedFast,
            int windowLast) {
        PieceSet partial = torrent.partial();
        while (rest.isEmpty() && restStage < 2) {
            restStage++;
            PieceSet scan = partial;
            if (restStage == 2) {
                scan = has.count() < wanted.count() ? has : wanted;
                if (allowedFast != null && allowedFast.count() < scan.count()) {
                    scan = allowedFast;
                }
            }
            int size = scan.size();
            for (int piece = windowLast + 1 < size ? scan.nextSetBit(windowLast + 1) : -1; piece >= 0;
                    piece = piece + 1 < size ? scan.nextSetBit(piece + 1) : -1) {
                if (partial.contains(piece) == (restStage == 1) && wanted.contains(piece)
                        && pickable(has, allowedFast, piece)) {
                    addCandidate(rest, torrent, partial, piece);
                }
            }
            rest.heapify();
        }
        return !rest.isEmpty();
    }

    private void addCandidate(PieceQueue queue, TorrentView torrent, PieceSet partial, int piece) {
        boolean started = partial.contains(piece);
        if (started && !hasMissingBlock(torrent, piece)) {
            return;
        }
        long availability = Math.min(Math.max(0, torrent.availability(piece)), MAX_AVAILABILITY);
        long tie = random.nextInt(1 << TIE_BITS);
        queue.add((started ? 0L : 1L) << FRESH_SHIFT | availability << AVAILABILITY_SHIFT | tie << TIE_SHIFT
                | piece);
    }

    private static boolean pickable(PieceSet has, PieceSet allowedFast, int piece) {
        return has.contains(piece) && (allowedFast == null || allowedFast.contains(piece));
    }

    private static boolean hasMissingBlock(TorrentView torrent, int piece) {
        int blocks = torrent.blockCount(piece);
        for (int block = 0; block < blocks; block++) {
            if (torrent.blockState(piece, block) == BlockState.MISSING) {
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

    /**
     * Endgame: offers the blocks requested from other peers, those requested once first, each pass over the started
     * pieces from the play position on.
     */
    private static void offerRequestedBlocks(TorrentView torrent, PieceSet wanted, PieceSet has,
            PieceSet allowedFast, int next, BlockRequests requests) {
        PieceSet partial = torrent.partial();
        int size = partial.size();
        for (int pass = 0; pass < 2; pass++) {
            for (int piece = next < size ? partial.nextSetBit(next) : -1; piece >= 0;
                    piece = piece + 1 < size ? partial.nextSetBit(piece + 1) : -1) {
                if (!wanted.contains(piece) || !pickable(has, allowedFast, piece)) {
                    continue;
                }
                int blocks = torrent.blockCount(piece);
                for (int block = 0; block < blocks; block++) {
                    if (torrent.blockState(piece, block) != BlockState.REQUESTED) {
                        continue;
                    }
                    boolean once = torrent.requestCount(piece, block) <= 1;
                    if (once == (pass == 0)) {
                        requests.request(piece, block);
                        if (requests.remaining() <= 0) {
                            return;
                        }
                    }
                }
            }
        }
    }
}
