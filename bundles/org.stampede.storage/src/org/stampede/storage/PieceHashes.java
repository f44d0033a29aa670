package org.stampede.storage;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.security.DigestException;
import java.security.MessageDigest;
import java.util.Arrays;
import java.util.concurrent.atomic.LongAdder;

import org.stampede.metainfo.Torrent;

/**
 * Hashes pieces from their blocks as they are written, so that verifying a piece downloaded in order reads nothing
 * back from disk (libtorrent's "hash cursor").
 *
 * <h2>How</h2>
 * A piece being written has a <em>cursor</em>: the blocks ({@link Hashing#BLOCK} bytes, the last one shorter) known
 * to be on disk, and their hash so far. For v1 and hybrid torrents that is a running SHA-1 over the blocks before
 * {@code next}: a block written at {@code next} is fed from the caller's buffer (still in memory), then the cursor
 * moves over the blocks after it that were written earlier, reading just those from disk (they were written
 * moments ago, so they are in the page cache). For v2 torrents every block's merkle leaf (SHA-256) is computed from
 * the buffer when it is written, in any order. {@link #verify} then finishes the hash, reading from disk only the
 * blocks the cursor has not seen, and compares it with the torrent.
 * <p>
 * Nothing is kept of a block's bytes after its write: out-of-order blocks are read back, one block each, rather
 * than held in memory, so the memory does not depend on the order in which peers send.
 *
 * <h2>Falling back</h2>
 * {@link #verify} answers null (hash it from disk as before) when the piece has no cursor (written before this
 * storage was opened, or its cursor was taken by another piece), when a write did not cover exactly one block, when
 * a block was written twice or a write failed, and for pieces of more than {@link #MAX_BLOCKS} blocks. A cursor is
 * dropped when its piece is verified, whatever the outcome, so a piece downloaded again after a hash failure starts
 * a new one.
 *
 * <h2>Memory and threads</h2>
 * At most {@link #SLOTS} cursors per storage, reused (their digests too: nothing is allocated per block); when all
 * are taken the least recently written one is given to the new piece. A cursor costs a digest and 128 bytes, plus
 * 32 bytes per block of the piece for v2 (32 KiB at most). Work happens on the disk threads, under the lock of the
 * piece's cursor only; the slot table's lock is held just to find or claim a cursor (never while hashing, and
 * always taken before a cursor's lock).
 */
final class PieceHashes {
    /** Cursors per storage. */
    static final int SLOTS = 64;
    /** Largest piece that gets a cursor, in blocks (16 MiB). */
    static final int MAX_BLOCKS = 1024;

    /** Reads bytes of a piece from disk into a buffer, from its position to its limit; padding reads as zeros. */
    @FunctionalInterface
    interface Reader {
        void read(int piece, int offset, ByteBuffer into) throws IOException;
    }

    private final Torrent torrent;
    private final PieceMap map;
    private final Reader reader;
    private final boolean v2;
    /** Guarded by itself. */
    private final Cursor[] slots = new Cursor[SLOTS];
    /** Guarded by {@link #slots}. */
    private long clock;
    /** Blocks read back from disk to move a cursor or finish a piece; for tests and measurements. */
    final LongAdder blocksRead = new LongAdder();
    /** Pieces verified through their cursor. */
    final LongAdder piecesVerified = new LongAdder();

    PieceHashes(Torrent torrent, PieceMap map, Reader reader) {
        this.torrent = torrent;
        this.map = map;
        this.reader = reader;
        this.v2 = map.alignedFiles;
    }

    /** The running hash of one piece. */
    private final class Cursor {
        /** The piece, or -1 when free; changed under the slot table's lock and this cursor's. */
        volatile int piece = -1;
        /** Last claimed; guarded by the slot table. */
        long stamp;
        // the rest guarded by this cursor
        boolean valid;
        int blocks;
        /** v1: the blocks before this one are in {@link #md}. */
        int next;
        final long[] written = new long[MAX_BLOCKS / 64];
        /** SHA-1 for v1 and hybrid, SHA-256 for v2. */
        final MessageDigest md = Hashing.digest(v2 ? "SHA-256" : "SHA-1");
        final byte[] result = new byte[20];
        /** v2: leaf hashes of the written blocks. */
        byte[] leaves = new byte[0];

        void assign(int p, int count) {
            piece = p;
            blocks = count;
            valid = true;
            next = 0;
            Arrays.fill(written, 0);
            md.reset();
            if (v2 && leaves.length < count * Hashing.HASH) {
                leaves = new byte[count * Hashing.HASH];
            }
        }

        boolean has(int block) {
            return (written[block >>> 6] & (1L << block)) != 0;
        }

        void set(int block) {
            written[block >>> 6] |= 1L << block;
        }
    }

    /**
     * Called on a disk thread after {@code data} (position to limit) was written at {@code offset} within
     * {@code piece}. Leaves the buffer's position and limit as they were.
     */
    void written(int piece, int offset, ByteBuffer data) {
        int size = map.pieceSize(piece);
        int blocks = blockCount(size);
        if (blocks > MAX_BLOCKS || offset % Hashing.BLOCK != 0
                || data.remaining() != Math.min(Hashing.BLOCK, size - offset)) {
            invalidate(piece);
            return;
        }
        int block = offset / Hashing.BLOCK;
        for (int attempt = 0; attempt < 3; attempt++) {
            Cursor c = claim(piece, blocks);
            synchronized (c) {
                if (c.piece != piece) {
                    continue; // given to another piece meanwhile
                }
                if (!c.valid) {
                    return;
                }
                if (c.has(block)) {
                    c.valid = false; // written twice: what is on disk is no longer certain
                    return;
                }
                c.set(block);
                if (v2) {
                    int position = data.position();
                    c.md.update(data);
                    data.position(position);
                    digestInto(c.md, c.leaves, block * Hashing.HASH, Hashing.HASH);
                } else if (block == c.next) {
                    feed(c.md, piece, offset, data);
                    c.next++;
                    advance(c, false);
                }
                return;
            }
        }
        invalidate(piece);
    }

    /** Forgets what is known of {@code piece}: a write to it could not be followed. */
    void invalidate(int piece) {
        Cursor c = find(piece);
        if (c != null) {
            synchronized (c) {
                if (c.piece == piece) {
                    c.valid = false;
                }
            }
        }
    }

    /**
     * Finishes the hash of {@code piece} from its cursor, reading only the blocks it has not seen, and drops the
     * cursor.
     *
     * @return whether the piece matches the torrent, or null if it has no usable cursor (hash it from disk)
     */
    Boolean verify(int piece) {
        Cursor c = find(piece);
        if (c == null) {
            return null;
        }
        Boolean result = null;
        synchronized (c) {
            if (c.piece == piece && c.valid) {
                result = finish(c);
            }
        }
        release(c, piece);
        if (result != null) {
            piecesVerified.increment();
        }
        return result;
    }

    /** The hash of the cursor's piece, or null if a block could not be read. */
    private Boolean finish(Cursor c) {
        if (!v2) {
            if (!advance(c, true)) {
                return null;
            }
            digestInto(c.md, c.result, 0, 20);
            return MessageDigest.isEqual(c.result, torrent.pieceHashV1(c.piece));
        }
        int size = map.pieceSize(c.piece);
        Hashing h = Hashing.local();
        for (int b = 0; b < c.blocks; b++) {
            if (!c.has(b)) {
                int off = b * Hashing.BLOCK;
                int len = Math.min(Hashing.BLOCK, size - off);
                if (!readBack(c.piece, off, len, h)) {
                    return null;
                }
                c.md.update(h.array, 0, len);
                digestInto(c.md, c.leaves, b * Hashing.HASH, Hashing.HASH);
            }
        }
        byte[] leaves = h.leaves(c.blocks);
        System.arraycopy(c.leaves, 0, leaves, 0, c.blocks * Hashing.HASH);
        return h.merkleRootMatches(c.blocks, merkleWidth(map, c.piece, c.blocks), torrent.pieceHashV2(c.piece));
    }

    /**
     * v1: moves the cursor over the blocks after it that are on disk (all blocks if {@code all}), reading them
     * back. False (and the cursor invalid) if a read failed.
     */
    private boolean advance(Cursor c, boolean all) {
        int size = map.pieceSize(c.piece);
        Hashing h = null;
        while (c.next < c.blocks && (all || c.has(c.next))) {
            if (h == null) {
                h = Hashing.local();
            }
            int off = c.next * Hashing.BLOCK;
            int len = Math.min(Hashing.BLOCK, size - off);
            if (!readBack(c.piece, off, len, h)) {
                c.valid = false;
                return false;
            }
            c.md.update(h.array, 0, len);
            c.next++;
        }
        return true;
    }

    private boolean readBack(int piece, int offset, int length, Hashing h) {
        h.buffer.clear().limit(length);
        try {
            reader.read(piece, offset, h.buffer);
        } catch (IOException | RuntimeException e) {
            return false;
        }
        blocksRead.increment();
        return true;
    }

    /** Feeds a block from memory, padding as zeros (as on disk, where padding is never written). */
    private void feed(MessageDigest md, int piece, int offset, ByteBuffer data) {
        int position = data.position();
        int limit = data.limit();
        try {
            long at = map.pieceStart(piece) + offset;
            long end = at + (limit - position);
            int pos = position;
            for (int span = map.spanAt(at); at < end; span++) {
                int f = map.spanFile(span);
                int n = (int) (Math.min(end, map.offset(f) + map.length(f)) - at);
                if (map.padding(f)) {
                    Hashing.updateZeros(md, n);
                } else {
                    data.limit(pos + n).position(pos);
                    md.update(data);
                    data.limit(limit);
                }
                pos += n;
                at += n;
            }
        } finally {
            data.limit(limit).position(position);
        }
    }

    /** The cursor of {@code piece}, claiming a free one (or the least recently used) if it has none. */
    private Cursor claim(int piece, int blocks) {
        synchronized (slots) {
            long stamp = ++clock;
            int empty = -1;
            Cursor free = null;
            Cursor oldest = null;
            for (int i = 0; i < slots.length; i++) {
                Cursor c = slots[i];
                if (c == null) {
                    if (empty < 0) {
                        empty = i;
                    }
                } else if (c.piece == piece) {
                    c.stamp = stamp;
                    return c;
                } else if (c.piece < 0) {
                    free = free == null ? c : free;
                } else if (oldest == null || c.stamp < oldest.stamp) {
                    oldest = c;
                }
            }
            Cursor c = free != null ? free : empty >= 0 ? (slots[empty] = new Cursor()) : oldest;
            synchronized (c) {
                c.assign(piece, blocks);
            }
            c.stamp = stamp;
            return c;
        }
    }

    private Cursor find(int piece) {
        synchronized (slots) {
            for (Cursor c : slots) {
                if (c != null && c.piece == piece) {
                    return c;
                }
            }
            return null;
        }
    }

    private void release(Cursor c, int piece) {
        synchronized (slots) {
            synchronized (c) {
                if (c.piece == piece) {
                    c.piece = -1;
                }
            }
        }
    }

    static int blockCount(int pieceSize) {
        return (pieceSize + Hashing.BLOCK - 1) / Hashing.BLOCK;
    }

    /**
     * BEP 52: the width of a v2 piece's subtree, in leaves: a piece of a file longer than one piece is a full
     * subtree of pieceLength / 16 KiB leaves; a file of at most one piece is its own tree, padded to a power of two.
     */
    static long merkleWidth(PieceMap map, int piece, int leaves) {
        int f = map.spanFile(map.spanAt(map.pieceStart(piece)));
        return map.length(f) <= map.pieceLength ? Hashing.ceilPow2(leaves) : map.pieceLength / Hashing.BLOCK;
    }

    private static void digestInto(MessageDigest md, byte[] out, int offset, int length) {
        try {
            md.digest(out, offset, length);
        } catch (DigestException e) {
            throw new IllegalStateException(e);
        }
    }
}
