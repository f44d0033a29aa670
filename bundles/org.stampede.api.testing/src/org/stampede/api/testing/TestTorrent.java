package org.stampede.api.testing;

import java.util.Arrays;
import java.util.Objects;

import org.stampede.api.BlockState;
import org.stampede.api.PiecePicker;
import org.stampede.api.PiecePickerFactory;
import org.stampede.api.PieceSet;
import org.stampede.api.TorrentView;

/**
 * A torrent's state as the engine keeps it, built by a test: every piece has the same number of 16 KiB blocks
 * and priority 1, the content is one file, no piece is had, no peer has any, nothing has a deadline, and the clock
 * is at 0. The mutators change it as the engine would (a verified piece is had and no longer wanted or partial, a
 * requested block makes its piece partial, priority 0 makes a piece unwanted, a file's priority sets its pieces'),
 * so the {@link #have()}, {@link #wanted()} and {@link #partial()} sets always agree with the block states and
 * priorities. Mutators return {@code this}.
 * <p>
 * <b>News.</b> Like the engine, the torrent keeps what a picker is to hear of (see {@link PiecePicker}): the pieces
 * {@linkplain #verified verified} and {@linkplain #failed failed}, in order, and the pieces whose priority,
 * availability or deadline a mutator changed, each kind coalesced. {@link #tell} tells a picker and forgets them, in
 * the engine's order; {@link #pick} tells, then picks, as the engine's strategy task does; {@link #create} makes a
 * picker and forgets what happened before, as the engine does when a torrent starts or switches pickers. A picker
 * that keeps an order of its own between picks is tested with these (a test that calls {@code pick} on the picker
 * directly after changing the torrent has to {@code tell} it first).
 * <p>
 * Not thread-safe: like the engine, which calls a torrent's strategies one call at a time, use it from one thread.
 */
public final class TestTorrent implements TorrentView {
    /** The info-hash a new torrent reports. */
    public static final String DEFAULT_INFO_HASH = "0123456789abcdef0123456789abcdef01234567";
    /** The most blocks a piece may have: its length must fit an {@code int}. */
    public static final int MAX_BLOCKS_PER_PIECE = Integer.MAX_VALUE / BLOCK_SIZE;

    private final int pieceCount;
    private final int blocksPerPiece;
    private final MutablePieceSet have;
    private final MutablePieceSet wanted;
    private final MutablePieceSet partial;
    private final int[] priorities;
    private final int[] availabilities;
    private final long[] deadlines;
    private final BlockState[][] states;
    private final int[][] requestCounts;
    private String infoHash = DEFAULT_INFO_HASH;
    private boolean endgame;
    private long now;
    /** Per piece: the priority set for the piece itself, or {@link #NO_OWN_PRIORITY} (its files' decide). */
    private final int[] ownPriorities;
    private long[] fileLengths;
    private long[] fileOffsets;
    private int[] fileFirst;
    private int[] fileEnd;
    private int[] filePriorities;
    /** News: pieces verified ({@code piece}) or failed ({@code -1 - piece}), in order; then the coalesced kinds. */
    private int[] checked = new int[8];
    private int checkedCount;
    private final MutablePieceSet priorityNews;
    private final MutablePieceSet availabilityNews;
    private final MutablePieceSet deadlineNews;

    private static final int NO_OWN_PRIORITY = Integer.MIN_VALUE;

    /** A torrent of {@code pieceCount} pieces of {@code blocksPerPiece} blocks each, nothing downloaded. */
    public TestTorrent(int pieceCount, int blocksPerPiece) {
        if (pieceCount < 0) {
            throw new IllegalArgumentException("piece count " + pieceCount + " is negative");
        }
        if (blocksPerPiece < 1 || blocksPerPiece > MAX_BLOCKS_PER_PIECE) {
            throw new IllegalArgumentException(
                    "blocks per piece " + blocksPerPiece + " is outside [1, " + MAX_BLOCKS_PER_PIECE + "]");
        }
        this.pieceCount = pieceCount;
        this.blocksPerPiece = blocksPerPiece;
        have = new MutablePieceSet(pieceCount);
        wanted = MutablePieceSet.all(pieceCount);
        partial = new MutablePieceSet(pieceCount);
        priorities = new int[pieceCount];
        Arrays.fill(priorities, 1);
        availabilities = new int[pieceCount];
        deadlines = new long[pieceCount];
        Arrays.fill(deadlines, -1);
        states = new BlockState[pieceCount][blocksPerPiece];
        for (BlockState[] s : states) {
            Arrays.fill(s, BlockState.MISSING);
        }
        requestCounts = new int[pieceCount][blocksPerPiece];
        ownPriorities = new int[pieceCount];
        Arrays.fill(ownPriorities, NO_OWN_PRIORITY);
        priorityNews = new MutablePieceSet(pieceCount);
        availabilityNews = new MutablePieceSet(pieceCount);
        deadlineNews = new MutablePieceSet(pieceCount);
        files((long) pieceCount * blocksPerPiece * BLOCK_SIZE);
    }

    /** Sets how many connected peers have {@code piece}; a picker hears of a change. */
    public TestTorrent availability(int piece, int peers) {
        setAvailability(checkPiece(piece), checkNotNegative(peers, "availability"));
        return this;
    }

    /** Sets every piece as held by {@code peers} connected peers; a picker hears of those that changed. */
    public TestTorrent availabilityOfAll(int peers) {
        checkNotNegative(peers, "availability");
        for (int piece = 0; piece < pieceCount; piece++) {
            setAvailability(piece, peers);
        }
        return this;
    }

    private void setAvailability(int piece, int peers) {
        if (availabilities[piece] != peers) {
            availabilities[piece] = peers;
            availabilityNews.set(piece, true);
        }
    }

    /**
     * A peer connected with its pieces (its bitfield): each is held by one more peer, and a picker hears of them in
     * one call. The peer's set is not copied; {@link #disconnect} takes what it holds then.
     */
    public TestTorrent connect(TestPeer peer) {
        PieceSet pieces = checkSize(peer);
        for (int piece = pieces.nextSetBit(0); piece >= 0; piece = pieces.nextSetBit(piece + 1)) {
            setAvailability(piece, availabilities[piece] + 1);
        }
        return this;
    }

    /**
     * A connected peer announced a piece (its {@code have}): the peer has it and one more peer holds it. A piece the
     * peer already had changes nothing, as a repeated {@code have} changes nothing in the engine.
     */
    public TestTorrent peerHas(TestPeer peer, int piece) {
        checkSize(peer);
        if (!peer.pieces().contains(checkPiece(piece))) {
            peer.pieces().set(piece, true);
            setAvailability(piece, availabilities[piece] + 1);
        }
        return this;
    }

    /** A connected peer left: each of its pieces is held by one peer less, and a picker hears of them in one call. */
    public TestTorrent disconnect(TestPeer peer) {
        PieceSet pieces = checkSize(peer);
        for (int piece = pieces.nextSetBit(0); piece >= 0; piece = pieces.nextSetBit(piece + 1)) {
            setAvailability(piece, Math.max(0, availabilities[piece] - 1));
        }
        return this;
    }

    private PieceSet checkSize(TestPeer peer) {
        PieceSet pieces = peer.pieces();
        if (pieces.size() != pieceCount) {
            throw new IllegalArgumentException(peer + " has a set of " + pieces.size() + " pieces, the torrent "
                    + pieceCount);
        }
        return pieces;
    }

    /**
     * Sets a piece's own priority, over its files' (as {@code TorrentHandle.setPiecePriority} does); a piece is
     * wanted while its priority is above 0 and it is not had. The engine reports 0 (skip) to 7; any other value is
     * taken as is, to test how a strategy copes with one. As in the engine, a piece whose files are all skipped
     * stays at 0 whatever its own priority (except that the test may set one anyway with a file priority above 0).
     * A picker hears of a change.
     */
    public TestTorrent priority(int piece, int priority) {
        ownPriorities[checkPiece(piece)] = priority;
        updatePriority(piece);
        return this;
    }

    /** Forgets a piece's own priority: its files' decide again (as {@code setPiecePriority(piece, -1)}). */
    public TestTorrent clearPriority(int piece) {
        ownPriorities[checkPiece(piece)] = NO_OWN_PRIORITY;
        updatePriority(piece);
        return this;
    }

    /**
     * Sets a deadline in milliseconds from now (streaming), or clears it ({@code millis < 0}, kept as -1). As in the
     * engine, a piece we have keeps none (the call changes nothing). A picker hears of a change.
     */
    public TestTorrent deadline(int piece, long millis) {
        checkPiece(piece);
        long value = millis < 0 ? -1 : millis;
        if (value >= 0 && have.contains(piece) || deadlines[piece] == value) {
            return this;
        }
        deadlines[piece] = value;
        deadlineNews.set(piece, true);
        return this;
    }

    // ---------------------------------------------------------------- files

    /**
     * Lays the content out as files of these lengths, in order (their sum must be the torrent's length, pieces
     * &times; blocks per piece &times; 16 KiB; an empty file is allowed). Every file gets priority 1; the pieces'
     * own priorities stay.
     */
    public TestTorrent files(long... lengths) {
        long total = (long) pieceCount * blocksPerPiece * BLOCK_SIZE;
        long sum = 0;
        for (long length : lengths) {
            if (length < 0) {
                throw new IllegalArgumentException("file length " + length + " is negative");
            }
            sum += length;
        }
        if (lengths.length == 0 || sum != total) {
            throw new IllegalArgumentException("file lengths " + Arrays.toString(lengths) + " add up to " + sum
                    + ", not the torrent's " + total + " bytes");
        }
        long pieceBytes = (long) blocksPerPiece * BLOCK_SIZE;
        fileLengths = lengths.clone();
        fileOffsets = new long[lengths.length];
        fileFirst = new int[lengths.length];
        fileEnd = new int[lengths.length];
        filePriorities = new int[lengths.length];
        long offset = 0;
        for (int f = 0; f < lengths.length; f++) {
            fileOffsets[f] = offset;
            fileFirst[f] = (int) Math.min(pieceCount, offset / pieceBytes);
            fileEnd[f] = lengths[f] == 0 ? fileFirst[f] : (int) ((offset + lengths[f] - 1) / pieceBytes + 1);
            filePriorities[f] = 1;
            offset += lengths[f];
        }
        for (int piece = 0; piece < pieceCount; piece++) {
            updatePriority(piece);
        }
        return this;
    }

    /**
     * Sets a file's priority, 0 (skip) to 7, as {@code TorrentHandle.setFilePriority} does: each of its pieces then
     * has the highest priority of its files (at least 1 while one of them is wanted, 0 when all are skipped),
     * unless the piece has one of its own. A picker hears of the pieces whose priority changed.
     */
    public TestTorrent filePriority(int file, int priority) {
        checkFile(file);
        if (priority < 0 || priority > 7) {
            throw new IllegalArgumentException("priority " + priority + " is not 0 to 7");
        }
        filePriorities[file] = priority;
        for (int piece = fileFirst[file]; piece < fileEnd[file]; piece++) {
            updatePriority(piece);
        }
        return this;
    }

    /** The engine's rule: the highest priority of the piece's files, then the piece's own where one is set. */
    private void updatePriority(int piece) {
        int files = 0; // the highest priority of the files with bytes in the piece: 0 only when all are skipped
        long end = (piece + 1L) * blocksPerPiece * BLOCK_SIZE;
        for (int f = fileOf(piece); f >= 0 && f < fileLengths.length && fileOffsets[f] < end; f++) {
            if (fileLengths[f] > 0) {
                files = Math.max(files, filePriorities[f]);
            }
        }
        int own = ownPriorities[piece];
        int value = own != NO_OWN_PRIORITY && (files > 0 || own <= 0) ? own : files;
        if (priorities[piece] != value) {
            priorities[piece] = value;
            priorityNews.set(piece, true);
        }
        updateWanted(piece);
    }

    private void checkFile(int file) {
        if (file < 0 || file >= fileLengths.length) {
            throw new IndexOutOfBoundsException("file " + file + " is outside [0, " + fileLengths.length + ")");
        }
    }

    // ---------------------------------------------------------------- news

    /**
     * Tells {@code picker} what changed since it last heard, in the engine's order: the pieces verified and failed,
     * each by its own call in order; then {@code priorityChanged}, {@code availabilityChanged} and
     * {@code deadlineChanged}, each once with every piece of its kind (and not at all when none changed). Then
     * forgets it.
     */
    public TestTorrent tell(PiecePicker picker) {
        Objects.requireNonNull(picker, "picker");
        int n = checkedCount;
        checkedCount = 0;
        for (int i = 0; i < n; i++) {
            int entry = checked[i];
            if (entry >= 0) {
                picker.pieceVerified(this, entry);
            } else {
                picker.pieceFailed(this, -1 - entry);
            }
        }
        if (!priorityNews.isEmpty()) {
            picker.priorityChanged(this, priorityNews);
            priorityNews.clear();
        }
        if (!availabilityNews.isEmpty()) {
            picker.availabilityChanged(this, availabilityNews);
            availabilityNews.clear();
        }
        if (!deadlineNews.isEmpty()) {
            picker.deadlineChanged(this, deadlineNews);
            deadlineNews.clear();
        }
        return this;
    }

    /** Whether a picker has anything to hear of ({@link #tell}). */
    public boolean hasNews() {
        return checkedCount > 0 || !priorityNews.isEmpty() || !availabilityNews.isEmpty() || !deadlineNews.isEmpty();
    }

    /** Forgets what a picker would hear of, as the engine does when it makes a new picker. */
    public TestTorrent forgetNews() {
        checkedCount = 0;
        priorityNews.clear();
        availabilityNews.clear();
        deadlineNews.clear();
        return this;
    }

    /**
     * Makes a picker for this torrent as the engine does when the torrent starts or switches pickers: the factory
     * gets this view, and what happened before is no news to the new picker.
     */
    public PiecePicker create(PiecePickerFactory factory) {
        PiecePicker picker = Objects.requireNonNull(factory, "factory").create(this);
        forgetNews();
        return picker;
    }

    /**
     * One pick as the engine's strategy task makes it: {@link #tell} first, then {@code pick} into a new
     * {@link RecordingRequests} of {@code capacity}, which is returned.
     */
    public RecordingRequests pick(PiecePicker picker, TestPeer peer, int capacity) {
        RecordingRequests requests = new RecordingRequests(this, peer, capacity);
        tell(picker);
        picker.pick(this, peer, requests);
        return requests;
    }

    private void queueChecked(int entry) {
        if (checkedCount == checked.length) {
            checked = Arrays.copyOf(checked, checkedCount * 2);
        }
        checked[checkedCount++] = entry;
    }

    /** Sets whether the engine is in endgame (it then accepts blocks already requested from other peers). */
    public TestTorrent endgame(boolean value) {
        endgame = value;
        return this;
    }

    /** Sets the engine's clock, {@link #nowMillis()}. */
    public TestTorrent at(long millis) {
        now = millis;
        return this;
    }

    /** Sets the info-hash, which also changes the default {@link #randomSeed()}. */
    public TestTorrent infoHash(String hash) {
        infoHash = Objects.requireNonNull(hash, "hash");
        return this;
    }

    /**
     * We have and have verified these pieces: every block received, none requested, no deadline. A picker hears of
     * each piece that was not had yet, in order.
     */
    public TestTorrent verified(int... pieces) {
        for (int piece : pieces) {
            checkPiece(piece);
            boolean had = have.contains(piece);
            Arrays.fill(states[piece], BlockState.RECEIVED);
            Arrays.fill(requestCounts[piece], 0);
            have.set(piece, true);
            partial.set(piece, false);
            deadlines[piece] = -1;
            updateWanted(piece);
            if (!had) {
                queueChecked(piece);
            }
        }
        return this;
    }

    /**
     * A piece we do not have failed its hash check: its received blocks are missing again (requested ones stay
     * requested, so it stays partial only while some are). A picker hears of it.
     */
    public TestTorrent failed(int piece) {
        checkPiece(piece);
        if (have.contains(piece)) {
            throw new IllegalStateException("piece " + piece + " is verified; only a piece we lack can fail");
        }
        boolean requested = false;
        for (int block = 0; block < blocksPerPiece; block++) {
            if (states[piece][block] == BlockState.RECEIVED) {
                states[piece][block] = BlockState.MISSING;
            }
            requested |= states[piece][block] == BlockState.REQUESTED;
        }
        partial.set(piece, requested);
        queueChecked(-1 - piece);
        return this;
    }

    /**
     * Records one more request of a block, as the engine does when it accepts one; a received block stays
     * received. Calling it twice for a block means it is requested from two peers (endgame).
     */
    public TestTorrent requested(int piece, int block) {
        checkBlock(piece, block);
        if (states[piece][block] != BlockState.RECEIVED) {
            states[piece][block] = BlockState.REQUESTED;
            requestCounts[piece][block]++;
            partial.set(piece, true);
        }
        return this;
    }

    /** Records a block as received (its piece not yet verified); it is no longer requested from anyone. */
    public TestTorrent received(int piece, int block) {
        checkBlock(piece, block);
        states[piece][block] = BlockState.RECEIVED;
        requestCounts[piece][block] = 0;
        partial.set(piece, true);
        return this;
    }

    /** Requests every missing block of every wanted piece once, as happens just before endgame. */
    public TestTorrent requestAllMissing() {
        for (int piece = wanted.nextSetBit(0); piece >= 0; piece = wanted.nextSetBit(piece + 1)) {
            for (int block = 0; block < blocksPerPiece; block++) {
                if (states[piece][block] == BlockState.MISSING) {
                    requested(piece, block);
                }
            }
        }
        return this;
    }

    /** Forgets every request and received block of the pieces we do not have (verified pieces stay). */
    public TestTorrent resetDownloads() {
        for (int piece = 0; piece < pieceCount; piece++) {
            if (!have.contains(piece)) {
                Arrays.fill(states[piece], BlockState.MISSING);
                Arrays.fill(requestCounts[piece], 0);
                partial.set(piece, false);
            }
        }
        return this;
    }

    private void updateWanted(int piece) {
        wanted.set(piece, priorities[piece] > 0 && !have.contains(piece));
    }

    private int checkPiece(int piece) {
        if (piece < 0 || piece >= pieceCount) {
            throw new IndexOutOfBoundsException("piece " + piece + " is outside [0, " + pieceCount + ")");
        }
        return piece;
    }

    private void checkBlock(int piece, int block) {
        checkPiece(piece);
        if (block < 0 || block >= blocksPerPiece) {
            throw new IndexOutOfBoundsException("block " + block + " is outside [0, " + blocksPerPiece + ")");
        }
    }

    private static int checkNotNegative(int value, String what) {
        if (value < 0) {
            throw new IllegalArgumentException(what + " " + value + " is negative");
        }
        return value;
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
        return blocksPerPiece * BLOCK_SIZE;
    }

    @Override
    public int blockCount(int piece) {
        return blocksPerPiece;
    }

    @Override
    public PieceSet have() {
        return have;
    }

    @Override
    public PieceSet wanted() {
        return wanted;
    }

    @Override
    public int priority(int piece) {
        return priorities[piece];
    }

    @Override
    public int availability(int piece) {
        return availabilities[piece];
    }

    @Override
    public PieceSet partial() {
        return partial;
    }

    @Override
    public BlockState blockState(int piece, int block) {
        return states[piece][block];
    }

    @Override
    public int requestCount(int piece, int block) {
        return requestCounts[piece][block];
    }

    @Override
    public boolean endgame() {
        return endgame;
    }

    @Override
    public boolean complete() {
        return wanted.isEmpty();
    }

    @Override
    public long deadline(int piece) {
        return deadlines[piece];
    }

    @Override
    public long nowMillis() {
        return now;
    }

    @Override
    public int fileCount() {
        return fileLengths.length;
    }

    @Override
    public long fileLength(int file) {
        return fileLengths[file];
    }

    @Override
    public int fileFirstPiece(int file) {
        return fileFirst[file];
    }

    @Override
    public int fileEndPiece(int file) {
        return fileEnd[file];
    }

    @Override
    public int filePriority(int file) {
        return filePriorities[file];
    }

    /** The first file that ends after the piece begins (ends do not decrease), past empty files. */
    @Override
    public int fileOf(int piece) {
        checkPiece(piece);
        long pieceBytes = (long) blocksPerPiece * BLOCK_SIZE;
        long start = piece * pieceBytes;
        int lo = 0;
        int hi = fileLengths.length;
        while (lo < hi) {
            int mid = (lo + hi) >>> 1;
            if (fileOffsets[mid] + fileLengths[mid] <= start) {
                lo = mid + 1;
            } else {
                hi = mid;
            }
        }
        for (int f = lo; f < fileLengths.length && fileOffsets[f] < start + pieceBytes; f++) {
            if (fileLengths[f] > 0) {
                return f;
            }
        }
        return -1;
    }

    @Override
    public String toString() {
        return "torrent " + infoHash + ": " + pieceCount + " pieces of " + blocksPerPiece + " blocks, have "
                + have.count() + ", wanted " + wanted.count() + ", partial " + partial.count();
    }
}
