package org.example.stampede.picker.streamwindow;

import java.util.Arrays;

import org.stampede.api.BlockState;
import org.stampede.api.PieceSet;
import org.stampede.api.TorrentView;

/**
 * A torrent for tests: every piece has the same number of blocks, priority 1 and availability 0 unless set. The
 * sets the engine keeps (wanted, partial) are kept up to date by the setters, as the engine's views are.
 */
final class FakeTorrent implements TorrentView {
    private final int pieces;
    private final int blocks;
    private final Bits have;
    private final Bits wanted;
    private final Bits partial;
    private final int[] priority;
    private final int[] availability;
    private final BlockState[][] state;
    private final int[][] requestCount;
    private boolean endgame;

    FakeTorrent(int pieces, int blocksPerPiece) {
        this.pieces = pieces;
        this.blocks = blocksPerPiece;
        have = new Bits(pieces);
        wanted = Bits.all(pieces);
        partial = new Bits(pieces);
        priority = new int[pieces];
        Arrays.fill(priority, 1);
        availability = new int[pieces];
        state = new BlockState[pieces][blocksPerPiece];
        for (BlockState[] s : state) {
            Arrays.fill(s, BlockState.MISSING);
        }
        requestCount = new int[pieces][blocksPerPiece];
    }

    /** Pieces verified: had, no longer wanted. */
    FakeTorrent verified(int... verified) {
        for (int piece : verified) {
            have.add(piece);
            wanted.remove(piece);
            partial.remove(piece);
            Arrays.fill(state[piece], BlockState.RECEIVED);
        }
        return this;
    }

    FakeTorrent priority(int piece, int value) {
        priority[piece] = value;
        if (value > 0 && !have.contains(piece)) {
            wanted.add(piece);
        } else {
            wanted.remove(piece);
        }
        return this;
    }

    FakeTorrent availability(int piece, int peers) {
        availability[piece] = peers;
        return this;
    }

    /** A block requested from one more peer. */
    FakeTorrent requested(int piece, int block) {
        state[piece][block] = BlockState.REQUESTED;
        requestCount[piece][block]++;
        partial.add(piece);
        return this;
    }

    /** Every block of the pieces requested from one more peer. */
    FakeTorrent requestedElsewhere(int... requested) {
        for (int piece : requested) {
            for (int block = 0; block < blocks; block++) {
                requested(piece, block);
            }
        }
        return this;
    }

    FakeTorrent received(int piece, int block) {
        state[piece][block] = BlockState.RECEIVED;
        requestCount[piece][block] = 0;
        partial.add(piece);
        return this;
    }

    FakeTorrent endgame(boolean value) {
        endgame = value;
        return this;
    }

    @Override
    public String infoHash() {
        return "0123456789abcdef0123456789abcdef01234567";
    }

    @Override
    public int pieceCount() {
        return pieces;
    }

    @Override
    public int pieceLength(int piece) {
        return blocks * BLOCK_SIZE;
    }

    @Override
    public int blockCount(int piece) {
        return blocks;
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

    @Override
    public BlockState blockState(int piece, int block) {
        return state[piece][block];
    }

    @Override
    public int requestCount(int piece, int block) {
        return requestCount[piece][block];
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
        return -1;
    }

    @Override
    public long nowMillis() {
        return 0;
    }

    @Override
    public long randomSeed() {
        return 42;
    }
}
