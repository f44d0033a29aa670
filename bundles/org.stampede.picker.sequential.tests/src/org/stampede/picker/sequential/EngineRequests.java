package org.stampede.picker.sequential;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

import org.stampede.api.BlockRequests;
import org.stampede.api.BlockState;

/**
 * {@link BlockRequests} that accepts and refuses as the engine does, and records what the picker offered and
 * what was accepted. A block is refused when the queue is full, the peer lacks the piece (or chokes us and the
 * piece is not allowed fast), the block is received, it is already requested from this peer, or it is requested
 * from another peer outside endgame. An accepted block becomes requested in the torrent.
 */
final class EngineRequests implements BlockRequests {
    private final FakeTorrent torrent;
    private final FakePeer peer;
    private final int capacity;
    final List<long[]> offered = new ArrayList<>();
    final List<long[]> accepted = new ArrayList<>();
    /** Pieces the engine refuses for reasons of its own (the picker must go on with others). */
    final Set<Integer> refusedPieces = new HashSet<>();

    EngineRequests(FakeTorrent torrent, FakePeer peer, int capacity) {
        this.torrent = torrent;
        this.peer = peer;
        this.capacity = capacity;
    }

    @Override
    public boolean request(int piece, int block) {
        offered.add(new long[] { piece, block });
        if (remaining() <= 0 || refusedPieces.contains(piece) || !peer.pieces().contains(piece)
                || peer.peerChoking() && !peer.allowedFast().contains(piece)) {
            return false;
        }
        BlockState state = torrent.blockState(piece, block);
        long id = (long) piece << 32 | block;
        if (state == BlockState.RECEIVED || state == BlockState.REQUESTED && !torrent.endgame()
                || peer.requested.contains(id)) {
            return false;
        }
        torrent.requested(piece, block);
        peer.requested.add(id);
        accepted.add(new long[] { piece, block });
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

    /** The distinct pieces of the accepted blocks, in the order first accepted. */
    List<Integer> acceptedPieces() {
        Set<Integer> pieces = new LinkedHashSet<>();
        for (long[] b : accepted) {
            pieces.add((int) b[0]);
        }
        return new ArrayList<>(pieces);
    }

    /** The accepted blocks as {@code "piece:block"}. */
    List<String> acceptedBlocks() {
        return accepted.stream().map(b -> b[0] + ":" + b[1]).toList();
    }

    /** The distinct pieces of the offered blocks. */
    Set<Integer> offeredPieces() {
        Set<Integer> pieces = new LinkedHashSet<>();
        for (long[] b : offered) {
            pieces.add((int) b[0]);
        }
        return pieces;
    }

    int firstPiece() {
        return accepted.isEmpty() ? -1 : (int) accepted.get(0)[0];
    }
}
