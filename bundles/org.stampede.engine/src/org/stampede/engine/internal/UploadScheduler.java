package org.stampede.engine.internal;

import java.nio.ByteBuffer;

import org.stampede.wire.Message;

/**
 * Uploading: the requests a peer queued with us, served while the rate limits (the torrent's, the engine's and the
 * peer's own share from the choker) and the peer's send queue allow; blocks are read into a pool of direct frames
 * and sent from them. Under the torrent's lock.
 */
final class UploadScheduler {
    /** The request queue we advertise (BEP 10 {@code reqq}). */
    static final int ADVERTISED_REQUEST_QUEUE = 250;
    /** Requests a peer may have queued with us: twice the 250 we advertise, for slack. */
    static final int MAX_QUEUED_UPLOADS = 2 * ADVERTISED_REQUEST_QUEUE;
    static final int MAX_READS_IN_FLIGHT = 4;
    /**
     * Bytes queued for sending to one peer at which no more blocks are read for it; once the transport has written
     * the queue down to {@link #SEND_QUEUE_LOW} it calls {@link #drained}, which serves more at once (waiting for the
     * next request or timer tick instead halved the upload rate on loopback).
     */
    static final long SEND_QUEUE_HIGH = 512 * 1024;
    static final long SEND_QUEUE_LOW = SEND_QUEUE_HIGH / 2;
    /**
     * Direct buffers this torrent serves blocks from (1 MiB at most): enough for one fast peer's send queue and reads
     * in flight; blocks beyond them are read into new heap buffers.
     */
    static final int BLOCK_FRAMES = 64;

    private final TorrentSession s;
    private final TorrentState state;
    private final BlockPool blocks = new BlockPool(BLOCK_FRAMES);

    UploadScheduler(TorrentSession session) {
        this.s = session;
        this.state = session.state;
    }

    /** A peer asked for a block: queued, rejected (Fast) or ignored while choked; served when the limits allow. */
    void onRequest(PeerConnection p, Message.Request r) {
        if (!state.have().contains(r.index())) {
            if (p.fast) {
                p.send(new Message.RejectRequest(r.index(), r.begin(), r.length()));
                return;
            }
            throw new Violation("requested piece " + r.index() + " that we do not have");
        }
        if (r.begin() + (long) r.length() > state.pieceLength(r.index())) {
            throw new Violation("request past the end of piece " + r.index());
        }
        if (p.amChoking) {
            if (p.fast) {
                p.send(new Message.RejectRequest(r.index(), r.begin(), r.length()));
            }
            return; // without Fast, requests while choked are ignored (BEP 3)
        }
        if (p.uploads.size() >= MAX_QUEUED_UPLOADS) {
            throw new Violation("more than " + MAX_QUEUED_UPLOADS + " requests queued");
        }
        p.uploads.add(new PeerConnection.Wanted(r.index(), r.begin(), r.length()));
        pump(p);
    }

    /** Serves queued requests while the rate limits and the send queue allow. */
    void pump(PeerConnection p) {
        while (!p.uploads.isEmpty() && p.readsInFlight < MAX_READS_IN_FLIGHT && !p.amChoking) {
            if (p.channel.queuedBytes() >= SEND_QUEUE_HIGH) {
                p.awaitingDrain = true;
                if (p.channel.queuedBytes() >= SEND_QUEUE_LOW) {
                    return; // the transport calls drained() below SEND_QUEUE_LOW
                }
                p.awaitingDrain = false; // written down meanwhile
            }
            PeerConnection.Wanted w = p.uploads.peek();
            long now = System.nanoTime();
            TokenBucket global = s.engine.uploadLimit();
            if (s.upLimit.nanosUntil(w.length(), now) > 0 || global.nanosUntil(w.length(), now) > 0
                    || p.upShare.nanosUntil(w.length(), now) > 0) {
                return; // the timer pumps again
            }
            p.upShare.take(w.length(), now);
            s.upLimit.take(w.length(), now);
            global.take(w.length(), now);
            p.uploads.poll();
            p.readsInFlight++;
            BlockPool.Frame frame = w.length() <= BlockPool.BLOCK ? blocks.acquire() : null;
            if (frame != null) {
                s.storage.readBlock(w.piece(), w.begin(), frame.block(w.length()))
                        .whenComplete((data, err) -> sent(p, w, null, frame, err));
            } else {
                s.storage.readBlock(w.piece(), w.begin(), w.length())
                        .whenComplete((data, err) -> sent(p, w, data, null, err));
            }
        }
    }

    /**
     * The transport wrote {@code p}'s send queue down to below {@link #SEND_QUEUE_LOW} after {@link #pump} had stopped
     * on a full queue: serves more of its requests.
     */
    void drained(PeerConnection p) {
        if (!s.lockBriefly()) {
            s.strategies.handOver(() -> drained(p));
            return;
        }
        try {
            if (s.peers.containsKey(p.id)) {
                pump(p);
            }
        } finally {
            s.lock.unlock();
        }
    }

    /** A block was read, into {@code data} or into {@code frame} (which this then sends or releases). */
    private void sent(PeerConnection p, PeerConnection.Wanted w, ByteBuffer data, BlockPool.Frame frame,
            Throwable err) {
        if (!s.lockBriefly()) {
            s.strategies.handOver(() -> sent(p, w, data, frame, err));
            return;
        }
        try {
            p.readsInFlight--;
            boolean attached = s.peers.containsKey(p.id);
            if (frame != null && (err != null || p.amChoking || !attached)) {
                frame.release();
            }
            if (!attached) {
                return;
            }
            if (err != null) {
                s.engine.log(s.infoHashHex + ": reading piece " + w.piece() + " for " + p + ": " + err.getMessage());
                if (p.fast) {
                    p.send(new Message.RejectRequest(w.piece(), w.begin(), w.length()));
                }
                if (!RequestScheduler.busy(err)) { // a piece we have cannot be read: serving it again would fail again
                    s.diskFailed("cannot read piece " + w.piece() + " to send it", err);
                }
                return;
            }
            if (p.amChoking) {
                return;
            }
            long now = s.engine.nowMillis();
            if (frame != null) {
                frame.encode(w.piece(), w.begin(), w.length());
                p.sendPiece(frame);
            } else {
                p.send(new Message.Piece(w.piece(), w.begin(), data));
            }
            p.up.add(w.length(), now);
            p.lastSentBlockAt = now;
            s.up.add(w.length(), now);
            s.engine.uploaded(w.length());
            pump(p);
        } finally {
            s.lock.unlock();
        }
    }
}
