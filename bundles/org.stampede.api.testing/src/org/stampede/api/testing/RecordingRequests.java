package org.stampede.api.testing;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;

import org.stampede.api.BlockRequests;
import org.stampede.api.BlockState;

/**
 * The {@link BlockRequests} a picker gets for one {@code pick} call, accepting and refusing as the engine does and
 * recording what the picker offered and what was accepted. A block is refused when {@code capacity} blocks are
 * already accepted, the peer lacks the piece (or chokes us and the piece is not in its allowed-fast set), the
 * piece was {@linkplain #refusePiece refused} by the test, the block is received, it is already requested from
 * this peer, or it is requested from another peer outside endgame. An accepted block becomes requested in the
 * {@link TestTorrent} and outstanding at the {@link TestPeer}, so a later pick sees it. A block number outside its
 * piece is a picker bug; it throws {@link IndexOutOfBoundsException}.
 */
public final class RecordingRequests implements BlockRequests {
    /** One block of one piece, shown as {@code piece:block}. */
    public record Block(int piece, int block) {
        @Override
        public String toString() {
            return piece + ":" + block;
        }
    }

    private final TestTorrent torrent;
    private final TestPeer peer;
    private final int capacity;
    private final List<Block> offered = new ArrayList<>();
    private final List<Block> accepted = new ArrayList<>();
    private final Set<Integer> refusedPieces = new HashSet<>();

    /** Requests from {@code peer} of {@code torrent}, at most {@code capacity} of them accepted. */
    public RecordingRequests(TestTorrent torrent, TestPeer peer, int capacity) {
        if (capacity < 0) {
            throw new IllegalArgumentException("capacity " + capacity + " is negative");
        }
        this.torrent = Objects.requireNonNull(torrent, "torrent");
        this.peer = Objects.requireNonNull(peer, "peer");
        this.capacity = capacity;
    }

    /** The engine refuses every block of {@code piece} for reasons of its own; a picker must go on with others. */
    public RecordingRequests refusePiece(int piece) {
        refusedPieces.add(piece);
        return this;
    }

    @Override
    public boolean request(int piece, int block) {
        offered.add(new Block(piece, block));
        if (remaining() <= 0 || refusedPieces.contains(piece) || !peer.pieces().contains(piece)
                || peer.peerChoking() && !peer.allowedFast().contains(piece)) {
            return false;
        }
        if (block < 0 || block >= torrent.blockCount(piece)) {
            throw new IndexOutOfBoundsException("the picker offered block " + block + " of piece " + piece
                    + ", which has " + torrent.blockCount(piece) + " blocks");
        }
        BlockState state = torrent.blockState(piece, block);
        long id = (long) piece << 32 | block;
        if (state == BlockState.RECEIVED || state == BlockState.REQUESTED && !torrent.endgame()
                || peer.requested.contains(id)) {
            return false;
        }
        torrent.requested(piece, block);
        peer.requested.add(id);
        accepted.add(new Block(piece, block));
        return true;
    }

    @Override
    public int accepted() {
        return accepted.size();
    }

    @Override
    public int remaining() {
        return capacity - accepted.size();
    }

    /** Every block the picker offered, accepted or not, in order. */
    public List<Block> offered() {
        return Collections.unmodifiableList(offered);
    }

    /** The accepted blocks as {@code "piece:block"}, in order. */
    public List<String> acceptedBlocks() {
        return accepted.stream().map(Block::toString).toList();
    }

    /** The distinct pieces of the accepted blocks, in the order first accepted. */
    public List<Integer> acceptedPieces() {
        Set<Integer> pieces = new LinkedHashSet<>();
        for (Block b : accepted) {
            pieces.add(b.piece());
        }
        return List.copyOf(pieces);
    }

    /** The distinct pieces of the offered blocks, in the order first offered. */
    public Set<Integer> offeredPieces() {
        Set<Integer> pieces = new LinkedHashSet<>();
        for (Block b : offered) {
            pieces.add(b.piece());
        }
        return Collections.unmodifiableSet(pieces);
    }

    /** The piece of the first accepted block, or -1 when none was accepted. */
    public int firstAcceptedPiece() {
        return accepted.isEmpty() ? -1 : accepted.get(0).piece();
    }

    @Override
    public String toString() {
        return "accepted " + accepted + " of offered " + offered;
    }
}
