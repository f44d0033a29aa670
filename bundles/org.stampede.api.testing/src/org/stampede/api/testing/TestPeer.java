package org.stampede.api.testing;

import java.net.InetSocketAddress;
import java.util.HashSet;
import java.util.Objects;
import java.util.Set;

import org.stampede.api.PeerView;

/**
 * A connected peer as a strategy sees it, built by a test. A new peer has the given pieces, is choked by us and
 * not choking us, is wanted by us ({@link #amInterested()}) but not interested in us, has no Fast extension,
 * has exchanged nothing and connected at time 0. Every property has a setter of the same name that returns
 * {@code this}; {@link #gave}, {@link #took} and {@link #newRound} play the engine's part in traffic accounting,
 * and {@link ChokerSwarm} plays it in choking. {@link #outstandingRequests()} counts the blocks accepted by a
 * {@link RecordingRequests} for this peer.
 * <p>
 * Its address is {@code 127.0.0.1}, port {@code 10000 + id mod 50000}; its client is {@code "test"}.
 */
public final class TestPeer implements PeerView {
    /** The id of a peer made without one ({@link #TestPeer(MutablePieceSet)}, {@link #seed(int)}). */
    public static final int DEFAULT_ID = 1;
    /** The length of one round of traffic as {@link #gave} and {@link #took} turn it into a rate. */
    public static final long ROUND_MILLIS = 10_000;

    private final int id;
    private final InetSocketAddress address;
    private final MutablePieceSet pieces;
    private final MutablePieceSet allowedFast;
    /** Blocks requested from this peer and not answered, as {@code piece << 32 | block}. */
    final Set<Long> requested = new HashSet<>();
    private boolean supportsFast;
    private boolean amChoking = true;
    private boolean amInterested = true;
    private boolean peerChoking;
    private boolean peerInterested;
    private boolean snubbed;
    private boolean optimistic;
    private long downloadRate;
    private long uploadRate;
    private long downloaded;
    private long uploaded;
    private long downloadedSinceRechoke;
    private long uploadedSinceRechoke;
    private long connectedAt;
    private long lastUnchokedAt = -1;

    /** A peer with id {@code id} that has {@code pieces} (the set is the peer's own: changing it changes the peer). */
    public TestPeer(int id, MutablePieceSet pieces) {
        this.id = id;
        this.address = new InetSocketAddress("127.0.0.1", 10_000 + Math.floorMod(id, 50_000));
        this.pieces = Objects.requireNonNull(pieces, "pieces");
        this.allowedFast = new MutablePieceSet(pieces.size());
    }

    /** A peer with id {@value #DEFAULT_ID} that has {@code pieces}. */
    public TestPeer(MutablePieceSet pieces) {
        this(DEFAULT_ID, pieces);
    }

    /** A peer with id {@value #DEFAULT_ID} that has every one of {@code pieceCount} pieces. */
    public static TestPeer seed(int pieceCount) {
        return new TestPeer(MutablePieceSet.all(pieceCount));
    }

    // ---------------------------------------------------------------- what the peer has

    /** The peer has exactly the first {@code n} pieces, as one downloading in order announces them. */
    public TestPeer hasFirst(int n) {
        pieces.setFirst(n);
        return this;
    }

    /** The peer speaks the Fast extension (BEP 6) and allows these pieces while it chokes us. */
    public TestPeer fast(int... allowed) {
        supportsFast = true;
        allowedFast.add(allowed);
        return this;
    }

    /** Sets {@link #supportsFast()}. */
    public TestPeer supportsFast(boolean value) {
        supportsFast = value;
        return this;
    }

    // ---------------------------------------------------------------- choking and interest

    /** Sets {@link #amChoking()}. */
    public TestPeer amChoking(boolean value) {
        amChoking = value;
        return this;
    }

    /** Sets {@link #amInterested()}. */
    public TestPeer amInterested(boolean value) {
        amInterested = value;
        return this;
    }

    /** Sets {@link #peerChoking()}. */
    public TestPeer peerChoking(boolean value) {
        peerChoking = value;
        return this;
    }

    /** Sets {@link #peerInterested()}. */
    public TestPeer peerInterested(boolean value) {
        peerInterested = value;
        return this;
    }

    /** Sets {@link #snubbed()}. */
    public TestPeer snubbed(boolean value) {
        snubbed = value;
        return this;
    }

    /** Sets {@link #optimistic()}. */
    public TestPeer optimistic(boolean value) {
        optimistic = value;
        return this;
    }

    /** Sets {@link #connectedAtMillis()}. */
    public TestPeer connectedAtMillis(long millis) {
        connectedAt = millis;
        return this;
    }

    /** Sets when we last unchoked the peer, or -1 for never. */
    public TestPeer lastUnchokedAtMillis(long millis) {
        lastUnchokedAt = millis;
        return this;
    }

    // ---------------------------------------------------------------- traffic

    /**
     * The peer sent us {@code bytes} of payload in the last round: they are added to {@link #downloaded()}, are
     * {@link #downloadedSinceRechoke()}, and make {@link #downloadRate()} their average over a
     * {@value #ROUND_MILLIS} ms round.
     */
    public TestPeer gave(long bytes) {
        downloadedSinceRechoke = bytes;
        downloadRate = bytes / (ROUND_MILLIS / 1000);
        downloaded += bytes;
        return this;
    }

    /** We sent the peer {@code bytes} of payload in the last round; the upload side of {@link #gave}. */
    public TestPeer took(long bytes) {
        uploadedSinceRechoke = bytes;
        uploadRate = bytes / (ROUND_MILLIS / 1000);
        uploaded += bytes;
        return this;
    }

    /** A rechoke happened: the traffic since the last one, and its rates, start again from zero. */
    public TestPeer newRound() {
        downloadedSinceRechoke = 0;
        downloadRate = 0;
        uploadedSinceRechoke = 0;
        uploadRate = 0;
        return this;
    }

    /** Sets {@link #downloadRate()}. */
    public TestPeer downloadRate(long bytesPerSecond) {
        downloadRate = bytesPerSecond;
        return this;
    }

    /** Sets {@link #uploadRate()}. */
    public TestPeer uploadRate(long bytesPerSecond) {
        uploadRate = bytesPerSecond;
        return this;
    }

    /** Sets {@link #downloaded()}. */
    public TestPeer downloaded(long bytes) {
        downloaded = bytes;
        return this;
    }

    /** Sets {@link #uploaded()}. */
    public TestPeer uploaded(long bytes) {
        uploaded = bytes;
        return this;
    }

    /** Sets {@link #downloadedSinceRechoke()}. */
    public TestPeer downloadedSinceRechoke(long bytes) {
        downloadedSinceRechoke = bytes;
        return this;
    }

    /** Sets {@link #uploadedSinceRechoke()}. */
    public TestPeer uploadedSinceRechoke(long bytes) {
        uploadedSinceRechoke = bytes;
        return this;
    }

    /** Forgets the requests recorded for this peer, as when it chokes us or they are answered. */
    public TestPeer clearRequests() {
        requested.clear();
        return this;
    }

    // ---------------------------------------------------------------- PeerView

    @Override
    public int id() {
        return id;
    }

    @Override
    public InetSocketAddress address() {
        return address;
    }

    @Override
    public String client() {
        return "test";
    }

    /** The peer's pieces, which the test may change. */
    @Override
    public MutablePieceSet pieces() {
        return pieces;
    }

    @Override
    public boolean isSeed() {
        return pieces.isFull();
    }

    @Override
    public boolean amChoking() {
        return amChoking;
    }

    @Override
    public boolean amInterested() {
        return amInterested;
    }

    @Override
    public boolean peerChoking() {
        return peerChoking;
    }

    @Override
    public boolean peerInterested() {
        return peerInterested;
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
        return requested.size();
    }

    @Override
    public boolean supportsFast() {
        return supportsFast;
    }

    /** The pieces the peer allows us while it chokes us, which the test may change (see {@link #fast}). */
    @Override
    public MutablePieceSet allowedFast() {
        return allowedFast;
    }

    @Override
    public String toString() {
        return "peer " + id;
    }
}
