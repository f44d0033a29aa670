package org.stampede.engine.internal;

import java.net.InetSocketAddress;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;

import org.stampede.api.PeerView;
import org.stampede.api.PieceSet;
import org.stampede.wire.Message;
import org.stampede.wire.PeerId;

/**
 * One connected peer of a torrent: its protocol state and our bookkeeping of what we asked of it and it of us.
 * Every method is called with the torrent's lock held.
 */
final class PeerConnection implements PeerView {
    /** Messages that came while the torrent's lock was busy, for its strategy task to handle in order. */
    final java.util.concurrent.ConcurrentLinkedQueue<org.stampede.wire.Message> inbox =
            new java.util.concurrent.ConcurrentLinkedQueue<>();
    /** Reading paused until the inbox is worked off; guarded by the inbox's monitor. */
    boolean readingHeld;
    /** Guarded by the torrent's lock: the strategy task is to ask the picker for blocks from this peer. */
    boolean fillWanted;
    /** The upload rate the choker gave this peer at the last rechoke (unlimited unless it gave one). */
    final TokenBucket upShare = new TokenBucket(0, System.nanoTime());
    /** A block we asked for. */
    record Pending(int piece, int block, long sentAtMillis) {
    }

    /** A block the peer asked for. */
    record Wanted(int piece, int begin, int length) {
    }

    final int id;
    final PeerChannel channel;
    final PeerId peerId;
    final boolean outgoing;
    final boolean fast;
    final boolean extensions;
    String clientName;
    int listenPort;
    final long connectedAt;

    Bitfield pieces;
    boolean haveAll;
    boolean amChoking = true;
    boolean amInterested;
    boolean peerChoking = true;
    boolean peerInterested;
    boolean snubbed;
    boolean optimistic;
    long lastUnchokedAt = -1;
    long lastReceivedBlockAt;
    /** When we last sent it a block (engine clock), or 0. */
    long lastSentBlockAt;
    long lastMessageAt;
    int maxRequests = 16;
    final List<Pending> pending = new ArrayList<>();
    final ArrayDeque<Wanted> uploads = new ArrayDeque<>();
    final Bitfield allowedFast;
    final RateMeter down = new RateMeter(5);
    final RateMeter up = new RateMeter(5);
    long downloadedAtRechoke;
    long uploadedAtRechoke;
    /** Reads of blocks for this peer that storage has not finished. */
    int readsInFlight;
    /**
     * Set (under the session's lock) when serving stopped on a full send queue; the transport, on writing the queue
     * down, clears it and calls {@link TorrentSession#drained}.
     */
    volatile boolean awaitingDrain;
    /** Blocks from this peer that storage has not finished writing. */
    int writesInFlight;
    /**
     * Pieces that failed their hash check with blocks from this peer and from others. Above 0 the peer is on parole:
     * it downloads only pieces of its own, so that the next bad piece has it as its only source.
     */
    int hashFailures;
    /** The peer's extension handshake (BEP 10), once received. */
    org.stampede.wire.ExtensionHandshake theirExtensions;
    /**
     * Per extension id we gave in our handshake (index = id - 1): the extension and its handler on this connection,
     * null where the peer does not speak it or the extension was removed. Set when our handshake is sent.
     */
    ExtensionSlot[] extensionSlots;

    /** One extension on this connection: what it is, the peer's id for it, its handler. */
    static final class ExtensionSlot {
        final org.stampede.spi.Extension extension;
        final String name;
        int theirId;
        /** Set while the extension may send on this connection: from its {@code connected} call until closed. */
        volatile boolean active;
        /** The extension's service went away: never connected again on this connection. */
        boolean removed;
        org.stampede.spi.ExtensionConnection handler;

        ExtensionSlot(org.stampede.spi.Extension extension, String name) {
            this.extension = extension;
            this.name = name;
        }
    }

    PeerConnection(int id, PeerChannel channel, PeerId peerId, boolean outgoing, boolean fast, boolean extensions,
            int pieceCount, long now) {
        this.id = id;
        this.channel = channel;
        this.peerId = peerId;
        this.outgoing = outgoing;
        this.fast = fast;
        this.extensions = extensions;
        this.clientName = peerId.clientName();
        this.connectedAt = now;
        this.lastMessageAt = now;
        this.lastReceivedBlockAt = now;
        this.pieces = new Bitfield(pieceCount);
        this.allowedFast = new Bitfield(pieceCount);
    }

    @Override
    public int id() {
        return id;
    }

    @Override
    public InetSocketAddress address() {
        return channel.remoteAddress();
    }

    @Override
    public String client() {
        return clientName;
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

    long nowForRates;

    @Override
    public long downloadRate() {
        return down.rate(nowForRates);
    }

    @Override
    public long uploadRate() {
        return up.rate(nowForRates);
    }

    @Override
    public long downloaded() {
        return down.total();
    }

    @Override
    public long uploaded() {
        return up.total();
    }

    @Override
    public long downloadedSinceRechoke() {
        return down.total() - downloadedAtRechoke;
    }

    @Override
    public long uploadedSinceRechoke() {
        return up.total() - uploadedAtRechoke;
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
        return pending.size();
    }

    @Override
    public boolean supportsFast() {
        return fast;
    }

    @Override
    public PieceSet allowedFast() {
        return allowedFast;
    }

    /** Whether a request for this block is outstanding; removes it when {@code remove}. */
    boolean hasPending(int piece, int block, boolean remove) {
        for (int i = 0; i < pending.size(); i++) {
            Pending p = pending.get(i);
            if (p.piece == piece && p.block == block) {
                if (remove) {
                    pending.remove(i);
                }
                return true;
            }
        }
        return false;
    }

    boolean onParole() {
        return hashFailures > 0;
    }

    /** Requests of ours outstanding with this peer for blocks of {@code piece}. */
    int pendingIn(int piece) {
        int n = 0;
        for (int i = 0; i < pending.size(); i++) {
            if (pending.get(i).piece == piece) {
                n++;
            }
        }
        return n;
    }

    /** Cancels remembered: twice the most requests we keep outstanding with a peer (250). */
    private static final int CANCELS_REMEMBERED = 512;
    /** The last requests we cancelled, as {@code piece << 32 | block}, made on the first cancel. */
    private long[] cancelled;
    private int cancelledNext;
    private int cancelledSize;

    /**
     * Withdraws a request of ours: sends the cancel and remembers it for a while, because the block may already be
     * on its way (BEP 3 cancels are advisory), and a block that crossed its cancel is no violation.
     */
    void cancel(int piece, int block, int begin, int length) {
        if (cancelled == null) {
            cancelled = new long[CANCELS_REMEMBERED];
        }
        cancelled[cancelledNext] = (long) piece << 32 | block;
        cancelledNext = (cancelledNext + 1) % cancelled.length;
        cancelledSize = Math.min(cancelledSize + 1, cancelled.length);
        send(new Message.Cancel(piece, begin, length));
    }

    /** Whether we cancelled a request for this block lately (see {@link #cancel}). */
    boolean recentlyCancelled(int piece, int block) {
        long key = (long) piece << 32 | block;
        for (int i = 0; i < cancelledSize; i++) {
            if (cancelled[i] == key) {
                return true;
            }
        }
        return false;
    }

    /** Removes a queued upload the peer cancelled; returns whether there was one. */
    boolean cancelUpload(int piece, int begin, int length) {
        for (Iterator<Wanted> it = uploads.iterator(); it.hasNext();) {
            Wanted w = it.next();
            if (w.piece == piece && w.begin == begin && w.length == length) {
                it.remove();
                return true;
            }
        }
        return false;
    }

    void send(Message m) {
        channel.send(m);
    }

    /** Sends the piece message in {@code frame}, which the channel releases. */
    void sendPiece(BlockPool.Frame frame) {
        channel.sendPiece(frame);
    }

    @Override
    public String toString() {
        return "peer " + id + " " + address() + " (" + clientName + ")";
    }
}
