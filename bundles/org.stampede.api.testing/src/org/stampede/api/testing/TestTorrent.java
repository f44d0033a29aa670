package org.stampede.api.testing;

import java.util.Arrays;
import java.util.Objects;

import org.stampede.api.BlockState;
import org.stampede.api.PieceSet;
import org.stampede.api.TorrentView;

/**
 * A torrent's state as the engine keeps it, built by a test: every piece has the same number of 16 KiB blocks
 * and priority 1, no piece is had, no peer has any, nothing has a deadline, and the clock is at 0. The mutators
 * change it as the engine would (a verified piece is had and no longer wanted or partial, a requested block makes
 * its piece partial, priority 0 makes a piece unwanted), so the {@link #have()}, {@link #wanted()} and
 * {@link #partial()} sets always agree with the block states and priorities. Mutators return {@code this}.
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
    }

    /** Sets how many connected peers have {@code piece}. */
    public TestTorrent availability(int piece, int peers) {
        availabilities[checkPiece(piece)] = checkNotNegative(peers, "availability");
        return this;
    }

    /** Sets every piece as held by {@code peers} connected peers. */
    public TestTorrent availabilityOfAll(int peers) {
        Arrays.fill(availabilities, checkNotNegative(peers, "availability"));
        return this;
    }

    /**
     * Sets a piece's priority; a piece is wanted while its priority is above 0 and it is not had. The engine reports
     * 0 (skip) to 7; any other value is taken as is, to test how a strategy copes with one.
     */
    public TestTorrent priority(int piece, int priority) {
        priorities[checkPiece(piece)] = priority;
        updateWanted(piece);
        return this;
    }

    /** Sets a piece's deadline in milliseconds from now (streaming), or -1 for none. */
    public TestTorrent deadline(int piece, long millis) {
        deadlines[checkPiece(piece)] = millis;
        return this;
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

    /** We have and have verified these pieces: every block received, none requested. */
    public TestTorrent verified(int... pieces) {
        for (int piece : pieces) {
            checkPiece(piece);
            Arrays.fill(states[piece], BlockState.RECEIVED);
            Arrays.fill(requestCounts[piece], 0);
            have.set(piece, true);
            partial.set(piece, false);
            updateWanted(piece);
        }
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
    public String toString() {
        return "torrent " + infoHash + ": " + pieceCount + " pieces of " + blocksPerPiece + " blocks, have "
                + have.count() + ", wanted " + wanted.count() + ", partial " + partial.count();
    }
}
