package org.example.stampede.picker.streamwindow;

import java.net.InetSocketAddress;

import org.stampede.api.PeerView;
import org.stampede.api.PieceSet;

/** A peer for tests: what it has, whether it chokes us and what it allows while it does; the rest is idle. */
final class FakePeer implements PeerView {
    private final Bits pieces;
    private final Bits allowedFast;
    private boolean peerChoking;
    private boolean fast;

    FakePeer(Bits pieces) {
        this.pieces = pieces;
        this.allowedFast = new Bits(pieces.size());
    }

    static FakePeer seed(int pieces) {
        return new FakePeer(Bits.all(pieces));
    }

    /** The peer chokes us; with {@code allowed} pieces, it speaks BEP 6 and lets us request those. */
    FakePeer choking(int... allowed) {
        peerChoking = true;
        fast = allowed.length > 0;
        for (int piece : allowed) {
            allowedFast.add(piece);
        }
        return this;
    }

    @Override
    public int id() {
        return 1;
    }

    @Override
    public InetSocketAddress address() {
        return new InetSocketAddress("127.0.0.1", 6881);
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
        return 0;
    }

    @Override
    public boolean supportsFast() {
        return fast;
    }

    @Override
    public PieceSet allowedFast() {
        return allowedFast;
    }
}
