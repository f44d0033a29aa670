package org.example.stampede.picker.streamwindow;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

import org.stampede.api.BlockRequests;
import org.stampede.api.BlockState;

/**
 * The engine's side of a pick, as the API describes it: a block is refused when the engine would not request it
 * from this peer (the peer lacks the piece, the block is received, it is already requested from this peer, or it
 * is requested from another peer outside endgame) or when the queue is full. An accepted block becomes requested
 * in the torrent. Records every offer.
 */
final class RecordingRequests implements BlockRequests {
    private final FakeTorrent torrent;
    private final FakePeer peer;
    private final int capacity;
    private final List<String> offered = new ArrayList<>();
    private final List<String> accepted = new ArrayList<>();
    private final Set<String> fromThisPeer = new HashSet<>();
    private final Set<Integer> refusedPieces = new HashSet<>();

    RecordingRequests(FakeTorrent torrent, FakePeer peer, int capacity) {
        this.torrent = torrent;
        this.peer = peer;
        this.capacity = capacity;
    }

    /** The engine will refuse every block of the piece (as if a request to the peer had failed). */
    RecordingRequests refusePiece(int piece) {
        refusedPieces.add(piece);
        return this;
    }

    @Override
    public boolean request(int piece, int block) {
        String key = piece + ":" + block;
        offered.add(key);
        BlockState state = torrent.blockState(piece, block);
        if (remaining() <= 0 || refusedPieces.contains(piece) || !peer.pieces().contains(piece)
                || state == BlockState.RECEIVED || fromThisPeer.contains(key)
                || state == BlockState.REQUESTED && !torrent.endgame()) {
            return false;
        }
        accepted.add(key);
        fromThisPeer.add(key);
        torrent.requested(piece, block);
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

    /** The blocks offered, as "piece:block", in order. */
    List<String> offered() {
        return offered;
    }

    /** The blocks accepted, as "piece:block", in order. */
    List<String> acceptedBlocks() {
        return accepted;
    }

    /** The pieces of the accepted blocks, each once, in the order they were first accepted. */
    List<Integer> acceptedPieces() {
        Set<Integer> pieces = new LinkedHashSet<>();
        for (String key : accepted) {
            pieces.add(Integer.parseInt(key.substring(0, key.indexOf(':'))));
        }
        return new ArrayList<>(pieces);
    }

    /** The pieces of the offered blocks. */
    Set<Integer> offeredPieces() {
        Set<Integer> pieces = new LinkedHashSet<>();
        for (String key : offered) {
            pieces.add(Integer.parseInt(key.substring(0, key.indexOf(':'))));
        }
        return pieces;
    }
}
