package org.stampede.picker.priority;

import java.util.Arrays;

import org.stampede.api.BlockState;
import org.stampede.api.PieceSet;
import org.stampede.api.TorrentView;

/**
 * A torrent's state as the engine would keep it, for tests: every piece has {@code blocksPerPiece} blocks and
 * priority 1; the wanted and partial sets follow the block states and priorities as the mutators change them.
 */
final class FakeTorrent implements TorrentView {
    final int pieceCount;
    final int blocksPerPiece;
    final Bits have;
    final Bits wanted;
    final Bits partial;
    private final int[] priorities;
    private final int[] availabilities;
    private final long[] deadlines;
    private final BlockState[][] states;
    private final int[][] requestCounts;
    private boolean endgame;
    private long now;
    String infoHash = "0123456789abcdef0123456789abcdef01234567";

    FakeTorrent(int pieceCount, int blocksPerPiece) {
        this.pieceCount = pieceCount;
        this.blocksPerPiece = blocksPerPiece;
        have = new Bits(pieceCount);
        wanted = Bits.all(pieceCount);
        partial = new Bits(pieceCount);
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

    FakeTorrent availability(int piece, int peers) {
        availabilities[piece] = peers;
        return this;
    }

    /** Every piece held by {@code peers} peers. */
    FakeTorrent availabilityOfAll(int peers) {
        Arrays.fill(availabilities, peers);
        return this;
    }

    FakeTorrent priority(int piece, int priority) {
        priorities[piece] = priority;
        updateWanted(piece);
        return this;
    }

    FakeTorrent deadline(int piece, long millis) {
        deadlines[piece] = millis;
        return this;
    }

    /** Sets the engine's clock. */
    FakeTorrent at(long millis) {
        now = millis;
        return this;
    }

    FakeTorrent endgame(boolean value) {
        endgame = value;
        return this;
    }

    /** We have and have verified these pieces. */
    FakeTorrent verified(int... pieces) {
        for (int piece : pieces) {
            Arrays.fill(states[piece], BlockState.RECEIVED);
            Arrays.fill(requestCounts[piece], 0);
            have.set(piece);
            partial.set(piece, false);
            updateWanted(piece);
        }
        return this;
    }

    /** Records one more request of a block (the engine does this when it accepts a request). */
    FakeTorrent requested(int piece, int block) {
        if (states[piece][block] != BlockState.RECEIVED) {
            states[piece][block] = BlockState.REQUESTED;
            requestCounts[piece][block]++;
            partial.set(piece);
        }
        return this;
    }

    FakeTorrent received(int piece, int block) {
        states[piece][block] = BlockState.RECEIVED;
        requestCounts[piece][block] = 0;
        partial.set(piece);
        return this;
    }

    /** Requests every missing block of every wanted piece, as in endgame. */
    FakeTorrent requestAllMissing() {
        for (int piece = wanted.nextSetBit(0); piece >= 0; piece = wanted.nextSetBit(piece + 1)) {
            for (int block = 0; block < blocksPerPiece; block++) {
                if (states[piece][block] == BlockState.MISSING) {
                    requested(piece, block);
                }
            }
        }
        return this;
    }

    /** Forgets every request and received block of the pieces we do not have. */
    FakeTorrent resetDownloads() {
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
}
