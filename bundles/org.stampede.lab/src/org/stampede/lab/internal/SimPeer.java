package org.stampede.lab.internal;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;

import org.stampede.api.BlockState;
import org.stampede.api.Choker;
import org.stampede.api.PiecePicker;
import org.stampede.api.PieceSet;
import org.stampede.api.TorrentView;
import org.stampede.lab.LabResult.PeerClass;

/**
 * One simulated peer: its piece and block bookkeeping (the lab's side of {@link TorrentView}, which its strategies
 * read), its connections, its strategies and its upload link. The content is one file; every piece has priority 1
 * and no deadline; there are no hash failures, so a piece is verified when its last block arrives.
 * <p>
 * What its picker is to hear of (see {@link PiecePicker}'s news) is kept here, as the engine keeps it: the pieces
 * verified, in order, and the pieces whose availability changed, coalesced; the simulation tells the picker at the
 * end of each event and before each pick ({@link Simulation#tell}).
 */
final class SimPeer implements TorrentView {
    final Simulation sim;
    final int index;
    /**
     * This peer's info-hash, drawn from the run's seed: each simulated peer is a client of its own, so a strategy
     * that seeds its random source from the info-hash draws independently in each peer and alike in each run.
     */
    private final String infoHash;
    final PeerClass peerClass;
    final long capacity;
    final long arrivalMicros;
    /** Where in its rechoke interval the peer's first rechoke falls, 0 to 1 (clocks are not synchronised). */
    final double rechokePhase;
    private final InetSocketAddress address;

    final Bits have;
    final Bits wanted;
    final Bits partial;
    private int[] availability;
    /** Per block: how many connections it is requested from. */
    private byte[] requests;
    /** Per block: received bit. */
    private long[] received;
    private int[] receivedCount;
    /** Per piece: blocks requested from at least one connection and not received. */
    private int[] requestedCount;
    /** Blocks of wanted pieces neither received nor requested: endgame when 0. */
    private long unrequestedMissing;
    /** Pieces verified that the picker is still to hear of, in order; made at the first. */
    private IntQueue verifiedNews;
    /** Pieces whose availability changed since the picker last heard; made at the first change. */
    private Bits availabilityNews;
    /** In the simulation's list of peers with news. */
    boolean newsQueued;

    /** This peer's side of each connection, in the order they were made. */
    final List<Connection> connections = new ArrayList<>();
    PiecePicker picker;
    Choker choker;
    Choker seedChoker;
    boolean present;
    boolean left;
    long completedMicros = -1;

    /** Connections whose requests this peer serves, one block each in turn. */
    final ArrayDeque<Connection> ring = new ArrayDeque<>();
    /** When a WAKE event is due for this link (a connection held to its rate may send then), or 0. */
    long wakeAt;
    /** The connection whose first request is on the wire, or null when the upload link is idle. */
    Connection sending;
    long uploaded;
    long downloaded;
    final Meter upMeter = new Meter();
    int unchoked;
    int nextConnectionId = 1;
    int rechokeGen;
    long nextRechokeMicros = Long.MAX_VALUE;

    SimPeer(Simulation sim, int index, String infoHash, PeerClass peerClass, long capacity, long arrivalMicros,
            double rechokePhase) {
        this.sim = sim;
        this.index = index;
        this.infoHash = infoHash;
        this.peerClass = peerClass;
        this.capacity = capacity;
        this.arrivalMicros = arrivalMicros;
        this.rechokePhase = rechokePhase;
        int n = sim.pieceCount;
        this.have = new Bits(n);
        this.wanted = new Bits(n);
        this.partial = new Bits(n);
        this.availability = new int[n];
        if (peerClass == PeerClass.SEED) {
            have.setAll();
        } else {
            wanted.setAll();
            int blocks = n * sim.blocksPerPiece;
            requests = new byte[blocks];
            received = new long[(blocks + 63) >>> 6];
            receivedCount = new int[n];
            requestedCount = new int[n];
            unrequestedMissing = blocks;
        }
        try {
            byte[] ip = { 10, (byte) (index >>> 16), (byte) (index >>> 8), (byte) index };
            this.address = new InetSocketAddress(InetAddress.getByAddress(ip), 6881);
        } catch (UnknownHostException e) {
            throw new IllegalStateException(e); // four bytes are always an address
        }
    }

    InetSocketAddress address() {
        return address;
    }

    // ---------------------------------------------------------------- TorrentView

    @Override
    public String infoHash() {
        return infoHash;
    }

    /** Derived from this peer's info-hash, itself drawn from the run's seed: distinct per peer, equal per run. */
    @Override
    public long randomSeed() {
        return Long.parseUnsignedLong(infoHash.substring(0, 16), 16);
    }

    @Override
    public int pieceCount() {
        return sim.pieceCount;
    }

    @Override
    public int pieceLength(int piece) {
        return sim.pieceLength;
    }

    @Override
    public int blockCount(int piece) {
        return sim.blocksPerPiece;
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
        return 1;
    }

    @Override
    public int availability(int piece) {
        return availability == null ? 0 : availability[piece];
    }

    @Override
    public PieceSet partial() {
        return partial;
    }

    @Override
    public BlockState blockState(int piece, int block) {
        if (have.contains(piece) || isReceived(piece, block)) {
            return BlockState.RECEIVED;
        }
        return requestCount(piece, block) > 0 ? BlockState.REQUESTED : BlockState.MISSING;
    }

    @Override
    public int requestCount(int piece, int block) {
        return requests == null ? 0 : requests[piece * sim.blocksPerPiece + block];
    }

    @Override
    public boolean endgame() {
        return unrequestedMissing == 0 && wanted.count() > 0;
    }

    @Override
    public boolean complete() {
        return wanted.count() == 0;
    }

    @Override
    public long deadline(int piece) {
        return -1;
    }

    @Override
    public int fileCount() {
        return 1;
    }

    @Override
    public long fileLength(int file) {
        checkFile(file);
        return (long) sim.pieceCount * sim.pieceLength;
    }

    @Override
    public int fileFirstPiece(int file) {
        checkFile(file);
        return 0;
    }

    @Override
    public int fileEndPiece(int file) {
        checkFile(file);
        return sim.pieceCount;
    }

    @Override
    public int filePriority(int file) {
        checkFile(file);
        return 1;
    }

    @Override
    public int fileOf(int piece) {
        if (piece < 0 || piece >= sim.pieceCount) {
            throw new IndexOutOfBoundsException("piece " + piece + " is outside [0, " + sim.pieceCount + ")");
        }
        return 0;
    }

    private static void checkFile(int file) {
        if (file != 0) {
            throw new IndexOutOfBoundsException("file " + file + " is outside [0, 1)");
        }
    }

    @Override
    public long nowMillis() {
        return sim.nowMillis();
    }

    // ---------------------------------------------------------------- bookkeeping

    boolean isReceived(int piece, int block) {
        if (received == null) {
            return false;
        }
        int i = piece * sim.blocksPerPiece + block;
        return (received[i >>> 6] & (1L << i)) != 0;
    }

    boolean allBlocksReceived(int piece) {
        return receivedCount[piece] == sim.blocksPerPiece;
    }

    /** A request for the block went to one more connection. */
    void requested(int piece, int block) {
        int i = piece * sim.blocksPerPiece + block;
        if (requests[i] == 0) {
            requestedCount[piece]++;
            unrequestedMissing--;
            partial.set(piece);
        }
        requests[i]++;
    }

    /** One request for the block ended without its data (choked, cancelled, disconnected). */
    void unrequested(int piece, int block) {
        int i = piece * sim.blocksPerPiece + block;
        if (requests == null || requests[i] == 0) {
            return;
        }
        requests[i]--;
        if (requests[i] == 0 && !isReceived(piece, block) && !have.contains(piece)) {
            requestedCount[piece]--;
            unrequestedMissing++;
            if (requestedCount[piece] == 0 && receivedCount[piece] == 0) {
                partial.clear(piece);
            }
        }
    }

    /** The block arrived in answer to one request; returns whether it is new (not a duplicate of endgame). */
    boolean receiveBlock(int piece, int block) {
        int i = piece * sim.blocksPerPiece + block;
        boolean wasRequested = requests[i] > 0;
        if (wasRequested) {
            requests[i]--;
        }
        if (have.contains(piece) || isReceived(piece, block)) {
            return false;
        }
        received[i >>> 6] |= 1L << i;
        receivedCount[piece]++;
        partial.set(piece);
        if (wasRequested) {
            requestedCount[piece]--;
        } else {
            unrequestedMissing--;
        }
        return true;
    }

    /** Every block of the piece arrived: the piece is had (no hash failures in the lab); the picker is to hear. */
    void verify(int piece) {
        have.set(piece);
        wanted.clear(piece);
        partial.clear(piece);
        if (listening()) {
            (verifiedNews == null ? verifiedNews = new IntQueue() : verifiedNews).add(piece);
            sim.queueNews(this);
        }
    }

    /** A peer connected with these pieces. */
    void addAvailability(Bits pieces) {
        for (int p = pieces.nextSetBit(0); p >= 0; p = pieces.nextSetBit(p + 1)) {
            availability[p]++;
        }
        availabilityChanged(pieces);
    }

    /** A peer with these pieces disconnected. */
    void removeAvailability(Bits pieces) {
        for (int p = pieces.nextSetBit(0); p >= 0; p = pieces.nextSetBit(p + 1)) {
            availability[p]--;
        }
        availabilityChanged(pieces);
    }

    /** A connected peer verified a piece (its {@code have}). */
    void peerHas(int piece) {
        availability[piece]++;
        if (listening()) {
            (availabilityNews == null ? availabilityNews = new Bits(sim.pieceCount) : availabilityNews).set(piece);
            sim.queueNews(this);
        }
    }

    private void availabilityChanged(Bits pieces) {
        if (listening() && pieces.count() > 0) {
            (availabilityNews == null ? availabilityNews = new Bits(sim.pieceCount) : availabilityNews).or(pieces);
            sim.queueNews(this);
        }
    }

    /** Whether a picker is there to hear of changes (a seed has none; one that left has closed it). */
    private boolean listening() {
        return picker != null && !left;
    }

    /**
     * Tells the picker what it is to hear of, in the order of {@link PiecePicker}'s news (pieces verified, then
     * availability; the lab has no failures, priorities or deadlines), and forgets it.
     */
    void tellPicker() {
        if (!listening()) {
            dropNews();
            return;
        }
        if (verifiedNews != null) {
            while (!verifiedNews.isEmpty() && picker != null) {
                picker.pieceVerified(this, verifiedNews.removeFirst());
            }
        }
        if (availabilityNews != null && availabilityNews.count() > 0 && picker != null) {
            picker.availabilityChanged(this, availabilityNews);
            availabilityNews.clearAll();
        }
    }

    /** Forgets the news (the picker is gone, or threw while hearing it). */
    void dropNews() {
        if (verifiedNews != null) {
            verifiedNews.clear();
        }
        if (availabilityNews != null) {
            availabilityNews.clearAll();
        }
    }

    /** The peer left: its block bookkeeping is no longer needed. */
    void release() {
        availability = null;
        requests = null;
        received = null;
        receivedCount = null;
        requestedCount = null;
    }

    @Override
    public String toString() {
        return "peer " + index + " (" + peerClass.label() + ")";
    }
}
