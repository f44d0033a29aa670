package org.stampede.picker.sequential;

import java.net.InetSocketAddress;
import java.util.HashSet;
import java.util.Set;

import org.stampede.api.PeerView;
import org.stampede.api.PieceSet;

/** A connected peer for picker tests: its pieces, whether it chokes us, its allowed-fast set. */
final class FakePeer implements PeerView {
    private static final InetSocketAddress ADDRESS = new InetSocketAddress("127.0.0.1", 6881);

    final Bits pieces;
    final Bits allowedFast;
    /** Blocks we have requested from this peer, as {@code piece << 32 | block}. */
    final Set<Long> requested = new HashSet<>();
    private boolean peerChoking;
    private boolean supportsFast;

    FakePeer(Bits pieces) {
        this.pieces = pieces;
        this.allowedFast = new Bits(pieces.size());
    }

    static FakePeer seed(int pieceCount) {
        return new FakePeer(Bits.all(pieceCount));
    }

    FakePeer choking(boolean value) {
        peerChoking = value;
        return this;
    }

    FakePeer fast(int... allowed) {
        supportsFast = true;
        allowedFast.set(allowed);
        return this;
    }

    @Override
    public int id() {
        return 1;
    }

    @Override
    public InetSocketAddress address() {
        return ADDRESS;
    }

    @Override
    public String client() {
        return "test";
    }

    @Override
    public PieceSet pieces() {
        return pieces;
    }

    @Override
    public boolean isSeed() {
        return pieces.isFull();
    }

    @Override
    public boolean amChoking() {
        return true;
    }

    @Override
    public boolean amInterested() {
        return true;
    }

    @Override
    public boolean peerChoking() {
        return peerChoking;
    }

    @Override
    public boolean peerInterested() {
        return false;
    }

    @Override
    public boolean snubbed() {
        return false;
    }

    @Override
    public boolean optimistic() {
        return false;
    }

    @Override
    public long downloadRate() {
        return 0;
    }

    @Override
    public long uploadRate() {
        return 0;
    }

    @Override
    public long downloaded() {
        return 0;
    }

    @Override
    public long uploaded() {
        return 0;
    }

    @Override
    public long downloadedSinceRechoke() {
        return 0;
    }

    @Override
    public long uploadedSinceRechoke() {
        return 0;
    }

    @Override
    public long connectedAtMillis() {
        return 0;
    }

    @Override
    public long lastUnchokedAtMillis() {
        return -1;
    }

    @Override
    public int outstandingRequests() {
        return requested.size();
    }

    @Override
    public boolean supportsFast() {
        return supportsFast;
    }

    @Override
    public PieceSet allowedFast() {
        return allowedFast;
    }
}
