package org.stampede.engine.internal;

import java.nio.ByteBuffer;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReferenceArray;

import org.stampede.wire.MessageEncoder;

/**
 * Direct buffers for serving blocks, each holding a whole piece message: its {@value MessageEncoder#PIECE_HEADER_LENGTH}
 * -byte header, then a block of up to {@link #BLOCK} bytes. The disk reads the block into it and the socket writes it
 * from it: no copy in between (a heap buffer costs the JDK a copy through a temporary direct one on each side) and
 * nothing allocated per block.
 * <p>
 * At most {@code capacity} frames, made when first needed and reused after; when all are in use
 * {@link #acquire()} returns null and the caller reads into a new heap buffer as before, so the pool's memory is
 * bounded whatever peers request. Takes no lock: a free frame waits in its own slot of an array and is claimed by
 * compare-and-set.
 */
final class BlockPool {
    /** The longest block a frame holds: the block size peers request. */
    static final int BLOCK = TorrentState.BLOCK;
    static final int HEADER = MessageEncoder.PIECE_HEADER_LENGTH;

    /**
     * One piece message's buffer; owned by whoever {@link #acquire acquired} it until {@link #release}. A frame is
     * its own write callback: a transport that has written it runs it, which releases it.
     */
    static final class Frame implements Runnable {
        private final BlockPool pool;
        private final int slot;
        /** The message from its first header byte, limited to the header and block once {@link #encode}d. */
        final ByteBuffer message;
        /** The block part of {@link #message}, with its own position and limit. */
        private final ByteBuffer block;
        int index;
        int begin;
        int length;

        private Frame(BlockPool pool, int slot) {
            this.pool = pool;
            this.slot = slot;
            this.message = ByteBuffer.allocateDirect(HEADER + BLOCK);
            this.block = message.slice(HEADER, BLOCK);
        }

        /** The block part, position 0 and limit {@code length}, to read the block into. */
        ByteBuffer block(int length) {
            return block.clear().limit(length);
        }

        /** Writes the header for the block read into {@link #block(int)}; {@link #message} then spans both. */
        void encode(int index, int begin, int length) {
            this.index = index;
            this.begin = begin;
            this.length = length;
            message.clear();
            MessageEncoder.encodeHeader(index, begin, length, message);
            message.position(0).limit(HEADER + length);
        }

        /** Gives the frame back; its owner must not touch it after. */
        void release() {
            pool.free.set(slot, this);
            pool.hint = slot;
        }

        /** The transport's callback once the frame is written: releases it. */
        @Override
        public void run() {
            release();
        }
    }

    private final AtomicReferenceArray<Frame> free;
    private final AtomicInteger made = new AtomicInteger();
    /** Where a free frame probably is (the last released); a racy hint, any value is correct. */
    private volatile int hint;

    BlockPool(int capacity) {
        free = new AtomicReferenceArray<>(capacity);
    }

    /** A free frame, a new one while fewer than the capacity exist, or null when all are in use. */
    Frame acquire() {
        int n = free.length();
        int start = hint;
        for (int i = 0; i < n; i++) {
            int slot = (start + i) % n;
            Frame f = free.get(slot);
            if (f != null && free.compareAndSet(slot, f, null)) {
                return f;
            }
        }
        for (int m; (m = made.get()) < n;) {
            if (made.compareAndSet(m, m + 1)) {
                return new Frame(this, m);
            }
        }
        return null;
    }

    /** Frames made so far (in use or free). */
    int made() {
        return made.get();
    }
}
