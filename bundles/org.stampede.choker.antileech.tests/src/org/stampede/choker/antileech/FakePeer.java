package org.stampede.choker.antileech;

import java.net.InetSocketAddress;

import org.stampede.api.PeerView;
import org.stampede.api.PieceSet;

/** A connected, interested peer for choker tests; {@link Swarm} plays the engine's part in updating it. */
final class FakePeer implements PeerView {
    /** The empty piece set. */
    static final PieceSet NONE = new PieceSet() {
        @Override
        public int size() {
            return 0;
        }

        @Override
        public boolean contains(int piece) {
            return false;
        }

        @Override
        public int count() {
            return 0;
        }

        @Override
        public int nextSetBit(int from) {
            return -1;
        }
    };

    private final int id;
    private final long connectedAt;
    /** The peer has the first {@code pieceCount} pieces of the torrent ({@link Swarm#PIECE_COUNT} in all). */
    int pieceCount;
    boolean peerChoking;
    boolean amChoking = true;
    boolean optimistic;
    boolean snubbed;
    long lastUnchokedAt = -1;
    long downloadedSinceRechoke;
    long downloadRate;
    long downloaded;
    long uploadedSinceRechoke;
    long uploadRate;
    long uploaded;

    FakePeer(int id, long connectedAtMillis) {
        this.id = id;
        this.connectedAt = connectedAtMillis;
    }

    /** Payload received from the peer in the last round, and the matching rate over a 10 s round. */
    FakePeer gave(long bytes) {
        downloadedSinceRechoke = bytes;
        downloadRate = bytes / 10;
        downloaded += bytes;
        return this;
    }

    /** Payload sent to the peer in the last round, and the matching rate over a 10 s round. */
    FakePeer took(long bytes) {
        uploadedSinceRechoke = bytes;
        uploadRate = bytes / 10;
        uploaded += bytes;
        return this;
    }

    /** A rechoke happened: the traffic since the last one starts from zero. */
    void newRound() {
        downloadedSinceRechoke = 0;
        downloadRate = 0;
        uploadedSinceRechoke = 0;
        uploadRate = 0;
    }

    FakePeer snubbed(boolean value) {
        snubbed = value;
        return this;
    }

    @Override
    public int id() {
        return id;
    }

    @Override
    public InetSocketAddress address() {
        return new InetSocketAddress("127.0.0.1", 10_000 + id);
    }

    @Override
    public String client() {
        return "test";
    }

    @Override
    public PieceSet pieces() {
        int n = pieceCount;
        return new PieceSet() {
            @Override
            public int size() {
                return Swarm.PIECE_COUNT;
            }

            @Override
            public boolean contains(int piece) {
                return piece >= 0 && piece < n;
            }

            @Override
            public int count() {
                return n;
            }

            @Override
            public int nextSetBit(int from) {
                return from < n ? Math.max(0, from) : -1;
            }
        };
    }

    @Override
    public boolean isSeed() {
        return pieceCount == Swarm.PIECE_COUNT;
    }

    @Override
    public boolean amChoking() {
        return amChoking;
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
        return true;
    }

    @Override
    public boolean snubbed() {
        return snubbed;
    }

    @Override
    public boolean optimistic() {
        return optimistic;
    }

    @Override
    public long downloadRate() {
        return downloadRate;
    }

    @Override
    public long uploadRate() {
        return uploadRate;
    }

    @Override
    public long downloaded() {
        return downloaded;
    }

    @Override
    public long uploaded() {
        return uploaded;
    }

    @Override
    public long downloadedSinceRechoke() {
        return downloadedSinceRechoke;
    }

    @Override
    public long uploadedSinceRechoke() {
        return uploadedSinceRechoke;
    }

    @Override
    public long connectedAtMillis() {
        return connectedAt;
    }

    @Override
    public long lastUnchokedAtMillis() {
        return lastUnchokedAt;
    }

    @Override
    public int outstandingRequests() {
        return 0;
    }

    @Override
    public boolean supportsFast() {
        return true;
    }

    @Override
    public PieceSet allowedFast() {
        return NONE;
    }

    @Override
    public String toString() {
        return "peer " + id;
    }
}
