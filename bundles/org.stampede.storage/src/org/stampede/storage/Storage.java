package org.stampede.storage;

import java.io.Closeable;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.BitSet;
import java.util.concurrent.CompletableFuture;

import org.osgi.annotation.versioning.ProviderType;

/**
 * The data of one torrent: blocks written and read by piece and offset, pieces hashed against the torrent. It knows
 * nothing of peers; the engine decides what to request, when a piece is complete and what to do with a failed hash.
 *
 * <h2>Threads</h2>
 * The methods that touch the disk never block: they queue the work on the disk threads of a {@link DiskIo} and
 * return a future, so they may be called from network threads. Futures complete on a disk thread, and
 * dependent actions added with {@code thenRun}, {@code whenComplete} etc. run there too: keep them short, or use
 * the {@code ...Async} variants with your own executor. Futures fail with a {@link StorageException} (or the
 * {@link IOException} of the file system) for bad arguments, missing data and I/O errors, and with a
 * {@link StorageBusyException} when the disk queue is full; they are never completed by throwing from the method
 * itself. {@link #flush()} and {@link #close()} block and are for other threads.
 *
 * <h2>Back-pressure</h2>
 * The disk queue is bounded ({@link DiskIo#queueLimit()}); beyond it, operations are refused at once with a
 * {@link StorageBusyException}. A peer connection should limit its own outstanding writes (for instance by pausing
 * reads from its socket while more than a few dozen of its blocks wait for the disk), so the refusal is the last
 * line of defence against overload, not the flow control.
 *
 * <h2>Skipped files</h2>
 * A file of priority 0 is skipped. A piece is wanted when at least one file with data and a priority above 0 has
 * bytes in it; pieces only of skipped files are not wanted, and writing them is refused, so a skipped file that
 * shares no piece with a wanted file is never created. A piece shared by a wanted and a skipped file is written
 * whole, into both real files (the skipped one is created sparse): no part files, no moving data later when the
 * priority changes.
 */
@ProviderType
public interface Storage extends Closeable {

    /** Longest block {@link #readBlock} serves: 128 KiB (peers request 16 KiB). */
    int MAX_READ_LENGTH = 128 * 1024;

    /** Number of pieces of the torrent. */
    int pieceCount();

    /** Length of piece {@code piece} in bytes: the piece length, or less for the last piece (of a file, in v2). */
    int pieceSize(int piece);

    /**
     * Writes the bytes of {@code data} from its position to its limit at {@code offset} within {@code piece}.
     * <p>
     * The buffer is not copied: it belongs to the storage from the call until the future completes, successfully
     * or not, and the caller must neither change nor reuse it before then. When the future completes, the buffer's
     * position and limit are as they were at the call, and the caller owns it again (and may pool it). Writing into
     * a piece forgets that it was verified.
     *
     * @return completes when the bytes are in the operating system's cache (see {@link #flush()} for the disk);
     *         fails if the block is empty or does not lie within the piece, if the piece is not wanted, or on an I/O
     *         error
     */
    CompletableFuture<Void> writeBlock(int piece, int offset, ByteBuffer data);

    /**
     * Reads {@code length} bytes at {@code offset} within {@code piece}, for uploading. Padding reads as zeros.
     *
     * @return a new heap buffer, position 0 and limit {@code length}; fails if {@code length} is not 1 to
     *         {@link #MAX_READ_LENGTH}, if the block does not lie within the piece, or if the data is not on disk
     */
    CompletableFuture<ByteBuffer> readBlock(int piece, int offset, int length);

    /**
     * Reads {@code into.remaining()} bytes at {@code offset} within {@code piece} into {@code into}, from its
     * position, for uploading without a new buffer per block (a direct buffer saves the JDK's copy through a
     * temporary one). Padding reads as zeros.
     * <p>
     * As with {@link #writeBlock}, the buffer belongs to the storage from the call until the future completes; then
     * its position and limit are as they were at the call, and the caller owns it again.
     *
     * @return completes with {@code into} once it holds the bytes; fails as {@link #readBlock(int, int, int)} does
     *         for a length of {@code into.remaining()}
     */
    CompletableFuture<ByteBuffer> readBlock(int piece, int offset, ByteBuffer into);

    /**
     * Hashes {@code piece} from disk and compares it with the torrent: SHA-1 for v1 and hybrid torrents (for a
     * hybrid torrent the v1 hash covers the same bytes as the v2 one, and is the cheaper of the two), the BEP 52
     * merkle root of the piece's 16 KiB blocks for v2-only torrents. A piece whose data is missing is false.
     *
     * @return whether the data on disk matches; also remembered in {@link #verifiedPieces()}
     */
    CompletableFuture<Boolean> verifyPiece(int piece);

    /**
     * Hashes every piece, on all disk threads. Pieces whose files are missing or too short are not read. Other
     * operations are served between pieces.
     *
     * @param listener hears progress after each piece
     * @return the pieces whose data matches the torrent (also {@link #verifiedPieces()} from then on); cancelling
     *         the future stops the check after the pieces being hashed
     */
    CompletableFuture<BitSet> check(ProgressListener listener);

    /**
     * Sets the priority of a file, 0 meaning skip it (see the class comment). Takes effect at once for
     * {@link #wantedPieces()} and {@link #writeBlock}; does no I/O.
     *
     * @param fileIndex index in {@code Torrent.files()}
     * @param priority  0 to 7; only 0 versus above 0 matters to storage, the value is kept for resume data
     */
    void setFilePriority(int fileIndex, int priority);

    /** The priority of a file; 1 unless set. */
    int filePriority(int fileIndex);

    /** The pieces that have bytes of at least one file with data and a priority above 0; a new set each call. */
    BitSet wantedPieces();

    /**
     * The pieces known to match the torrent: hashed successfully by {@link #verifyPiece}, {@link #check} or a
     * resume, or trusted by a resume from resume data that passed its checks (see {@link ResumeData}), and not
     * written since; a new set each call.
     */
    BitSet verifiedPieces();

    /**
     * Forces to disk every byte of every write whose future has completed. Blocks; not for network threads.
     *
     * @throws IOException if the file system reports an error for any file (the file stays to be flushed)
     */
    void flush() throws IOException;

    /**
     * Refuses new operations, waits for those already accepted, flushes and closes the files. Blocks; not for
     * network or disk threads. Closing twice does nothing.
     */
    @Override
    void close() throws IOException;
}
