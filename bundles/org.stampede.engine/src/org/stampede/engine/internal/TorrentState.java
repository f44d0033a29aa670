package org.stampede.engine.internal;

import java.util.Arrays;
import java.util.List;
import java.util.function.IntUnaryOperator;
import java.util.function.LongSupplier;

import org.stampede.api.BlockState;
import org.stampede.api.PieceSet;
import org.stampede.api.TorrentView;
import org.stampede.metainfo.TorrentFile;

/**
 * The piece and block bookkeeping of one torrent: what we have, what is requested and received, how available each
 * piece is, its files. It is the engine's side of {@link TorrentView}. Its changes of priority, availability and
 * deadline are marked in {@link #news} for the picker. Not thread-safe: guarded by the torrent's lock.
 */
final class TorrentState implements TorrentView {
    static final int BLOCK = TorrentView.BLOCK_SIZE;

    private final String infoHash;
    private final int pieceCount;
    private final long pieceLength;
    private final long totalLength;
    private final IntUnaryOperator pieceSizes;
    private final int blocksPerPiece;
    private final LongSupplier clock;

    private final Bitfield have;
    private final Bitfield wanted;
    private final Bitfield partial;
    private final int[] availability;
    private final byte[] priority;
    /** Per block: received bit. */
    private final long[] received;
    /** Per piece: blocks received. */
    private final int[] receivedCount;
    /** Per block: peers it is requested from (capped at 127). */
    private final byte[] requests;
    /** Per piece: blocks with at least one request and not received. */
    private final int[] requestedCount;
    /** Blocks of wanted pieces that are neither received nor requested: endgame when 0. */
    private long unrequestedMissing;
    /** Per piece: its deadline on the engine's clock, or -1; made when a first deadline is set. */
    private long[] deadlines;
    /** The torrent's files, in its order (padding files included). */
    private final List<TorrentFile> files;
    /** Per file: its priority as the user set it (padding: 0). */
    private final byte[] filePriorities;
    /** What the picker is still to hear of. */
    final PickerNews news;

    /**
     * @param pieceSizes the length of each piece when they vary (v2 torrents, whose pieces end with their files), or
     *                   null when only the last piece is shorter
     * @param files      the torrent's files, with their offsets in the stream where piece {@code p} begins at
     *                   {@code p * pieceLength}
     */
    TorrentState(String infoHash, int pieceCount, long pieceLength, long totalLength, IntUnaryOperator pieceSizes,
            List<TorrentFile> files, LongSupplier clock) {
        this.infoHash = infoHash;
        this.files = List.copyOf(files);
        this.filePriorities = new byte[this.files.size()];
        for (int f = 0; f < filePriorities.length; f++) {
            filePriorities[f] = (byte) (this.files.get(f).padding() ? 0 : 1);
        }
        this.news = new PickerNews(pieceCount);
        this.pieceSizes = pieceSizes;
        this.pieceCount = pieceCount;
        this.pieceLength = pieceLength;
        this.totalLength = totalLength;
        this.blocksPerPiece = (int) ((pieceLength + BLOCK - 1) / BLOCK);
        this.clock = clock;
        this.have = new Bitfield(pieceCount);
        this.wanted = new Bitfield(pieceCount);
        this.partial = new Bitfield(pieceCount);
        this.availability = new int[pieceCount];
        this.priority = new byte[pieceCount];
        Arrays.fill(priority, (byte) 1);
        long blocks = (long) pieceCount * blocksPerPiece;
        if (blocks > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("too many blocks: " + blocks);
        }
        this.received = new long[(int) ((blocks + 63) >>> 6)];
        this.receivedCount = new int[pieceCount];
        this.requests = new byte[(int) blocks];
        this.requestedCount = new int[pieceCount];
        wanted.setAll();
        recountUnrequested();
    }

    @Override
    public String infoHash() {
        return infoHash;
    }

    @Override
    public int pieceCount() {
        return pieceCount;
    }

    @Override
    public int pieceLength(int piece) {
        if (pieceSizes != null) {
            return pieceSizes.applyAsInt(piece);
        }
        if (piece == pieceCount - 1) {
            long last = totalLength - pieceLength * (pieceCount - 1);
            return (int) last;
        }
        return (int) pieceLength;
    }

    long nominalPieceLength() {
        return pieceLength;
    }

    @Override
    public int blockCount(int piece) {
        return (pieceLength(piece) + BLOCK - 1) / BLOCK;
    }

    int blockLength(int piece, int block) {
        int len = pieceLength(piece);
        return Math.min(BLOCK, len - block * BLOCK);
    }

    @Override
    public PieceSet have() {
        return have;
    }

    Bitfield haveBits() {
        return have;
    }

    @Override
    public PieceSet wanted() {
        return wanted;
    }

    @Override
    public int priority(int piece) {
        return priority[piece];
    }

    @Override
    public int availability(int piece) {
        return availability[piece];
    }

    @Override
    public PieceSet partial() {
        return partial;
    }

    private int index(int piece, int block) {
        return piece * blocksPerPiece + block;
    }

    boolean isReceived(int piece, int block) {
        int i = index(piece, block);
        return (received[i >>> 6] & (1L << i)) != 0;
    }

    @Override
    public BlockState blockState(int piece, int block) {
        if (have.contains(piece) || isReceived(piece, block)) {
            return BlockState.RECEIVED;
        }
        return requests[index(piece, block)] > 0 ? BlockState.REQUESTED : BlockState.MISSING;
    }

    @Override
    public int requestCount(int piece, int block) {
        return requests[index(piece, block)];
    }

    @Override
    public boolean endgame() {
        return unrequestedMissing == 0 && wanted.count() > 0;
    }

    @Override
    public boolean complete() {
        return wanted.count() == 0;
    }

    @Override
    public long deadline(int piece) {
        long[] d = deadlines;
        if (d == null || d[piece] < 0) {
            return -1;
        }
        return Math.max(0, d[piece] - clock.getAsLong());
    }

    /**
     * Sets a piece's deadline, {@code millis} from now (0: as soon as possible), or clears it ({@code millis < 0}).
     * A piece we have keeps none. The picker hears of a change.
     */
    void setDeadline(int piece, long millis) {
        if (millis < 0) {
            if (deadlines != null && deadlines[piece] >= 0) {
                deadlines[piece] = -1;
                news.deadline(piece);
            }
            return;
        }
        if (have.contains(piece)) {
            return;
        }
        if (deadlines == null) {
            deadlines = new long[pieceCount];
            Arrays.fill(deadlines, -1);
        }
        long at = clock.getAsLong() + Math.min(millis, 1L << 40); // no overflow: ~35 years at most
        if (deadlines[piece] != at) {
            deadlines[piece] = at;
            news.deadline(piece);
        }
    }

    /** A piece we now have keeps no deadline; {@link org.stampede.api.PiecePicker#pieceVerified} says so. */
    private void dropDeadline(int piece) {
        if (deadlines != null) {
            deadlines[piece] = -1;
        }
    }

    /**
     * Whether a piece is time-critical: its deadline is within {@code withinMillis}. Its blocks may be requested from
     * a second peer, the slower copy cancelled when the first arrives.
     */
    boolean timeCritical(int piece, long withinMillis) {
        long[] d = deadlines;
        return d != null && d[piece] >= 0 && d[piece] - clock.getAsLong() <= withinMillis;
    }

    @Override
    public long nowMillis() {
        return clock.getAsLong();
    }

    private final long randomSeed = java.util.concurrent.ThreadLocalRandom.current().nextLong();

    /** Random per torrent, so that Stampede clients of one swarm do not make the same random choices. */
    @Override
    public long randomSeed() {
        return randomSeed;
    }

    // ---- changes, called by the engine under the torrent's lock

    /** A request for the block was sent to one more peer. */
    void requested(int piece, int block) {
        int i = index(piece, block);
        if (requests[i] == 0) {
            if (!isReceived(piece, block)) {
                requestedCount[piece]++;
                if (wanted.contains(piece)) {
                    unrequestedMissing--;
                }
            }
            partial.set(piece);
        }
        if (requests[i] < Byte.MAX_VALUE) {
            requests[i]++;
        }
    }

    /** One request for the block ended without data (cancelled, rejected, peer gone). */
    void unrequested(int piece, int block) {
        int i = index(piece, block);
        if (requests[i] == 0) {
            return;
        }
        requests[i]--;
        if (requests[i] == 0 && !isReceived(piece, block) && !have.contains(piece)) {
            requestedCount[piece]--;
            if (wanted.contains(piece)) {
                unrequestedMissing++;
            }
            if (requestedCount[piece] == 0 && receivedCount[piece] == 0) {
                partial.clear(piece);
            }
        }
    }

    /**
     * The block's data arrived (and answers one request, if it was requested). Returns false when it was already
     * received (a duplicate in endgame).
     */
    boolean receivedBlock(int piece, int block, boolean answersRequest) {
        int i = index(piece, block);
        boolean wasRequested = requests[i] > 0;
        if (answersRequest && requests[i] > 0) {
            requests[i]--;
        }
        if (isReceived(piece, block) || have.contains(piece)) {
            return false;
        }
        received[i >>> 6] |= 1L << i;
        receivedCount[piece]++;
        partial.set(piece);
        if (wasRequested) {
            requestedCount[piece]--;
        } else if (wanted.contains(piece)) {
            unrequestedMissing--;
        }
        return true;
    }

    /** Blocks of {@code piece} requested from at least one peer and not received. */
    int requestedBlocks(int piece) {
        return requestedCount[piece];
    }

    /** A received block did not reach the disk: it is missing again (and no longer counts as received). */
    void lostBlock(int piece, int block) {
        int i = index(piece, block);
        if (!isReceived(piece, block) || have.contains(piece)) {
            return;
        }
        received[i >>> 6] &= ~(1L << i);
        receivedCount[piece]--;
        if (requests[i] > 0) {
            requestedCount[piece]++;
        } else if (wanted.contains(piece)) {
            unrequestedMissing++;
        }
    }

    boolean allBlocksReceived(int piece) {
        return receivedCount[piece] == blockCount(piece);
    }

    /** The piece passed its hash check. */
    void verified(int piece) {
        clearBlocks(piece);
        partial.clear(piece);
        have.set(piece);
        if (wanted.clear(piece)) {
            // its blocks were all received, so none counted as unrequested
        }
        dropDeadline(piece);
    }

    /** The piece failed its hash check: every block is missing again. */
    void failed(int piece) {
        int blocks = blockCount(piece);
        int outstanding = 0;
        for (int b = 0; b < blocks; b++) {
            if (requests[index(piece, b)] > 0) {
                outstanding++;
            }
        }
        clearBlocks(piece);
        requestedCount[piece] = outstanding;
        if (wanted.contains(piece)) {
            unrequestedMissing += blocks - outstanding;
        }
        if (outstanding == 0) {
            partial.clear(piece);
        }
    }

    private void clearBlocks(int piece) {
        int blocks = blockCount(piece);
        for (int b = 0; b < blocks; b++) {
            int i = index(piece, b);
            received[i >>> 6] &= ~(1L << i);
        }
        receivedCount[piece] = 0;
    }

    /**
     * A piece we had is no longer known to be on disk (writing it back to the device failed): not had, and wanted
     * again if its priority says so.
     */
    void lost(int piece) {
        if (!have.clear(piece)) {
            return;
        }
        clearBlocks(piece);
        partial.clear(piece);
        if (priority[piece] > 0) {
            wanted.set(piece);
        }
        recountUnrequested();
    }

    /** Marks pieces as had without downloading them (resume data or a recheck). */
    void setHave(int piece) {
        if (have.contains(piece)) {
            return;
        }
        have.set(piece);
        wanted.clear(piece);
        clearBlocks(piece);
        partial.clear(piece);
        dropDeadline(piece);
        recountUnrequested();
    }

    /** Sets every piece's priority, 0 (skip) to 7, recounting once; the picker hears of those that changed. */
    void setPriorities(byte[] levels) {
        for (int p = 0; p < pieceCount; p++) {
            byte level = (byte) Math.max(0, Math.min(7, levels[p]));
            if (priority[p] != level) {
                priority[p] = level;
                news.priority(p);
            }
            if (level > 0 && !have.contains(p)) {
                wanted.set(p);
            } else {
                wanted.clear(p);
            }
        }
        recountUnrequested();
    }

    /** Sets a file's priority as the user set it (what {@link #filePriority} reports; padding files stay 0). */
    void setFilePriority(int file, int value) {
        filePriorities[file] = (byte) (files.get(file).padding() ? 0 : Math.max(0, Math.min(7, value)));
    }

    /** A peer announced a piece ({@code have}). */
    void peerHas(int piece) {
        availability[piece]++;
        news.availability(piece);
    }

    /** A peer announced these pieces (its bitfield, or have-all). */
    void peerHasAll(Bitfield pieces) {
        for (int i = pieces.nextSetBit(0); i >= 0; i = pieces.nextSetBit(i + 1)) {
            availability[i]++;
        }
        news.availability(pieces);
    }

    /** A peer that had these pieces left, or replaced its bitfield. */
    void peerGone(Bitfield pieces) {
        for (int i = pieces.nextSetBit(0); i >= 0; i = pieces.nextSetBit(i + 1)) {
            availability[i]--;
        }
        news.availability(pieces);
    }

    // ---- files

    @Override
    public int fileCount() {
        return files.size();
    }

    @Override
    public long fileLength(int file) {
        return files.get(file).length();
    }

    @Override
    public int fileFirstPiece(int file) {
        return (int) Math.min(pieceCount, files.get(file).offset() / pieceLength);
    }

    @Override
    public int fileEndPiece(int file) {
        TorrentFile f = files.get(file);
        if (f.length() == 0) {
            return fileFirstPiece(file);
        }
        return (int) Math.min(pieceCount, (f.offset() + f.length() - 1) / pieceLength + 1);
    }

    @Override
    public int filePriority(int file) {
        return filePriorities[file];
    }

    /**
     * A binary search for the first file that ends after the piece begins (files lie in the stream in their order,
     * so their ends do not decrease), then on past padding files within the piece.
     */
    @Override
    public int fileOf(int piece) {
        if (piece < 0 || piece >= pieceCount) {
            throw new IndexOutOfBoundsException("piece " + piece + " is outside [0, " + pieceCount + ")");
        }
        long start = piece * pieceLength;
        long end = start + pieceLength(piece);
        int lo = 0;
        int hi = files.size();
        while (lo < hi) {
            int mid = (lo + hi) >>> 1;
            TorrentFile f = files.get(mid);
            if (f.offset() + f.length() <= start) {
                lo = mid + 1;
            } else {
                hi = mid;
            }
        }
        for (int f = lo; f < files.size() && files.get(f).offset() < end; f++) {
            TorrentFile file = files.get(f);
            if (file.length() > 0 && !file.padding()) {
                return f;
            }
        }
        return -1;
    }

    long bytesLeft() {
        long left = 0;
        for (int p = wanted.nextSetBit(0); p >= 0; p = wanted.nextSetBit(p + 1)) {
            left += pieceLength(p);
        }
        return left;
    }

    long totalLength() {
        return totalLength;
    }

    /** Whether a piece we do not have yet has blocks received or requested. */
    boolean inProgress(int piece) {
        return !have.contains(piece) && (partial.contains(piece) || requestedCount[piece] > 0);
    }

    private void recountUnrequested() {
        long n = 0;
        for (int p = wanted.nextSetBit(0); p >= 0; p = wanted.nextSetBit(p + 1)) {
            int blocks = blockCount(p);
            for (int b = 0; b < blocks; b++) {
                if (!isReceived(p, b) && requests[index(p, b)] == 0) {
                    n++;
                }
            }
        }
        unrequestedMissing = n;
    }
}
