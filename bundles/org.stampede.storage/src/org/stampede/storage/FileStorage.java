package org.stampede.storage;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.SecureRandom;
import java.util.BitSet;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.concurrent.atomic.LongAdder;
import java.util.random.RandomGenerator;

import org.stampede.metainfo.MetainfoException;
import org.stampede.metainfo.PathSanitizer.SafePath;
import org.stampede.metainfo.Torrent;
import org.stampede.metainfo.TorrentFile;

/**
 * A torrent's files in a download folder, read and written with positional I/O on the threads of a {@link DiskIo}.
 *
 * <h2>Files</h2>
 * A single-file torrent is the file {@code <download folder>/<name>}; a multi-file torrent is the folder
 * {@code <download folder>/<name>/} with each file at its path below it. Files and their folders are created when
 * first written, sparse (a write far into a file leaves a hole, not zeros); nothing is created to read, hash or
 * check. Wanted files of length 0 are created by {@link #flush()} (and so by {@link #close()}) once anything has
 * been written. Padding files (BEP 47) are never created, written or read: their bytes are zeros. BEP 47 symbolic
 * links are not created.
 *
 * <h2>Staying inside the download folder</h2>
 * Every path comes from a parsed torrent, so it is already safe (see {@code PathSanitizer}); it is resolved with
 * {@link SafePath#resolveUnder(Path)} and checked again to lie below the download folder. When a file is opened,
 * the real path of its folder (symbolic links followed) must also lie below the real path of the download folder,
 * folders are created one level at a time only after that check, and the file itself is opened without following a
 * link: a link placed in the download folder cannot redirect a write, or a read for a peer, outside it. The
 * download folder itself may be a link. (A local user racing us between the check and the open is not in scope.)
 *
 * <h2>Concurrency</h2>
 * Operations on different blocks, files and pieces run in parallel with no lock in common; positional I/O needs
 * none on the channel. The writes and verifies of one piece run on one disk thread in the order they were submitted
 * (see {@link DiskIo}), so a piece's hash follows its blocks as they arrive. Writing a piece while a check hashes
 * it is the caller's mistake (the hash then fails or not, nothing worse).
 */
public final class FileStorage implements Storage {

    /** Most time {@link #close()} waits for accepted operations. */
    static final long CLOSE_TIMEOUT_SECONDS = 60;

    private final Torrent torrent;
    private final PieceMap map;
    private final DiskIo io;
    private final Path root;
    /** The download folder's real path, once known (it may not exist before the first write). */
    private volatile Path realRoot;
    /** One slot per file; null for padding files. */
    private final FileCache.Slot[] slots;
    private final FileCache.Opener opener = this::openChannel;
    private final AtomicLongArray verified;
    private final AtomicLongArray wanted;
    /** Pieces written since the last successful {@link #flush()}: a failed flush no longer vouches for them. */
    private final AtomicLongArray unflushed;
    /** Flushes that failed: a piece verified while one fails is not (its bytes may be among those lost). */
    private volatile int flushFailures;
    /** Guarded by itself. */
    private final int[] priorities;
    /** Wanted files of length 0 may be missing; {@link #flush()} creates them once something was written. */
    private volatile boolean emptyFilesPending = true;
    private volatile boolean written;
    private final Runnable endOp = this::endOp;
    private final AtomicInteger inFlight = new AtomicInteger();
    private final AtomicBoolean closing = new AtomicBoolean();
    private volatile boolean closed;
    private volatile boolean filesClosed;
    private final Object drained = new Object();
    /** Pieces actually read and hashed (not those found missing); for tests. */
    final LongAdder piecesHashed = new LongAdder();
    /** Bytes read from disk by {@link #hashPiece}. */
    private final LongAdder hashedBytes = new LongAdder();
    /** Pieces hashed from their blocks as they are written. */
    final PieceHashes hashes;

    private FileStorage(Torrent torrent, Path root, Path[] paths, DiskIo io) {
        this.torrent = torrent;
        this.map = new PieceMap(torrent);
        this.hashes = new PieceHashes(torrent, map, this::readInto);
        this.io = io;
        this.root = root;
        this.slots = new FileCache.Slot[map.fileCount];
        for (int i = 0; i < slots.length; i++) {
            if (paths[i] != null) {
                slots[i] = new FileCache.Slot(this, i, paths[i]);
            }
        }
        int words = (map.pieceCount + 63) >>> 6;
        this.verified = new AtomicLongArray(words);
        this.wanted = new AtomicLongArray(words);
        this.unflushed = new AtomicLongArray(words);
        this.priorities = new int[map.fileCount];
        java.util.Arrays.fill(priorities, 1);
        for (int p = 0; p < map.pieceCount; p++) {
            setBit(wanted, p, map.anyFile(p, f -> true));
        }
    }

    /**
     * Storage for {@code torrent} under {@code downloadRoot}. Touches no file.
     *
     * @throws StorageException if a file's path cannot be resolved below {@code downloadRoot}
     */
    public static FileStorage open(Torrent torrent, Path downloadRoot, DiskIo io) throws StorageException {
        Objects.requireNonNull(io, "io");
        Path root = downloadRoot.toAbsolutePath().normalize();
        return new FileStorage(torrent, root, resolvePaths(torrent, root), io);
    }

    /**
     * Where each file of {@code torrent} lies under {@code downloadRoot}: null for padding files.
     *
     * @throws StorageException if a path would leave the download folder
     */
    static Path[] resolvePaths(Torrent torrent, Path downloadRoot) throws StorageException {
        Path base = downloadRoot.toAbsolutePath().normalize();
        List<TorrentFile> files = torrent.files();
        Path[] out = new Path[files.size()];
        Path torrentRoot = torrent.isSingleFile() ? base : resolveUnder(base, List.of(torrent.name()));
        for (int i = 0; i < out.length; i++) {
            TorrentFile f = files.get(i);
            if (!f.padding()) {
                out[i] = resolveUnder(torrentRoot, f.path());
                if (!out[i].startsWith(base) || out[i].equals(base)) {
                    throw new StorageException("file " + i + " resolves to " + out[i] + ", outside " + base);
                }
            }
        }
        return out;
    }

    /** {@code components} as a plain relative path below {@code base}; anything else is refused. */
    static Path resolveUnder(Path base, List<String> components) throws StorageException {
        try {
            return new SafePath(components, List.of()).resolveUnder(base);
        } catch (MetainfoException | IllegalArgumentException e) {
            throw new StorageException("unsafe path " + components + ": " + e.getMessage(), e);
        }
    }

    public Torrent torrent() {
        return torrent;
    }

    /** The download folder, absolute. */
    public Path downloadRoot() {
        return root;
    }

    /** Where file {@code fileIndex} is (or will be) on disk; null for a padding file. */
    public Path filePath(int fileIndex) {
        FileCache.Slot s = slots[Objects.checkIndex(fileIndex, slots.length)];
        return s == null ? null : s.path;
    }

    @Override
    public int pieceCount() {
        return map.pieceCount;
    }

    @Override
    public int pieceSize(int piece) {
        return map.pieceSize(Objects.checkIndex(piece, map.pieceCount));
    }

    /**
     * Bytes read back from disk to hash pieces since this storage was opened: whole pieces hashed by
     * {@link #check}, a resume, or {@link #verifyPiece} of a piece not written in one go by this storage, and the
     * single blocks read to hash pieces whose blocks were written out of order. A piece whose blocks were written
     * in order is hashed as they are written and costs no read. For monitoring and tests.
     */
    public long bytesReadForHashing() {
        return hashedBytes.sum() + hashes.blocksRead.sum() * Hashing.BLOCK;
    }

    /** Pieces that {@link #verifyPiece} hashed from the blocks as they were written rather than from disk. */
    public long piecesHashedOnArrival() {
        return hashes.piecesVerified.sum();
    }

    // ---------------------------------------------------------------- operations

    @Override
    public CompletableFuture<Void> writeBlock(int piece, int offset, ByteBuffer data) {
        StorageException bad = checkBlock(piece, offset, data.remaining());
        if (bad != null) {
            return CompletableFuture.failedFuture(bad);
        }
        if (!getBit(wanted, piece)) {
            return CompletableFuture.failedFuture(
                    new StorageException("piece " + piece + " is not wanted: all its files are skipped"));
        }
        return submit(piece, () -> {
            try {
                write(piece, offset, data);
            } catch (IOException | RuntimeException | Error e) {
                hashes.invalidate(piece); // some bytes may be on disk
                throw e;
            }
            hashes.written(piece, offset, data);
            return null;
        });
    }

    @Override
    public CompletableFuture<ByteBuffer> readBlock(int piece, int offset, int length) {
        if (length < 1 || length > MAX_READ_LENGTH) {
            return CompletableFuture.failedFuture(new StorageException(
                    "block of " + length + " bytes: a read is 1 to " + MAX_READ_LENGTH + " bytes"));
        }
        StorageException bad = checkBlock(piece, offset, length);
        if (bad != null) {
            return CompletableFuture.failedFuture(bad);
        }
        return submit(() -> read(piece, offset, length));
    }

    @Override
    public CompletableFuture<ByteBuffer> readBlock(int piece, int offset, ByteBuffer into) {
        int length = into.remaining();
        if (length < 1 || length > MAX_READ_LENGTH) {
            return CompletableFuture.failedFuture(new StorageException(
                    "block of " + length + " bytes: a read is 1 to " + MAX_READ_LENGTH + " bytes"));
        }
        StorageException bad = checkBlock(piece, offset, length);
        if (bad != null) {
            return CompletableFuture.failedFuture(bad);
        }
        return submit(() -> {
            int position = into.position();
            try {
                readInto(piece, offset, into);
            } finally {
                into.limit(position + length).position(position);
            }
            return into;
        });
    }

    @Override
    public CompletableFuture<Boolean> verifyPiece(int piece) {
        if (piece < 0 || piece >= map.pieceCount) {
            return CompletableFuture.failedFuture(new StorageException(pieceOutOfRange(piece)));
        }
        return submit(piece, () -> {
            int failures = flushFailures;
            Boolean fromBlocks = hashes.verify(piece);
            boolean good = fromBlocks != null ? fromBlocks : hashPiece(piece, null);
            setBit(verified, piece, good);
            if (good && flushFailures != failures) { // the bytes just hashed may be among those it lost
                setBit(verified, piece, false);
                throw new StorageException("piece " + piece + " was hashed while writing to disk failed: its bytes "
                        + "may not be on disk");
            }
            return good;
        });
    }

    @Override
    public CompletableFuture<BitSet> check(ProgressListener listener) {
        BitSet all = new BitSet(map.pieceCount);
        all.set(0, map.pieceCount);
        return check(all, listener);
    }

    /**
     * Hashes the pieces in {@code pieces}, as {@link #check(ProgressListener)} does for all of them.
     *
     * @return those of {@code pieces} that match the torrent
     */
    public CompletableFuture<BitSet> check(BitSet pieces, ProgressListener listener) {
        Objects.requireNonNull(listener, "listener");
        if (pieces.length() > map.pieceCount) {
            return CompletableFuture.failedFuture(new StorageException(pieceOutOfRange(pieces.length() - 1)));
        }
        if (closed) {
            return CompletableFuture.failedFuture(new StorageException(closedMessage()));
        }
        Check c = new Check(pieces.stream().toArray(), listener);
        c.start();
        return c.result;
    }

    /** One check: a few chained tasks, each hashing one piece then queueing itself again. */
    private final class Check implements Runnable {
        final int[] order;
        final ProgressListener listener;
        final CompletableFuture<BitSet> result = new CompletableFuture<>();
        final AtomicInteger next = new AtomicInteger();
        final AtomicInteger workers = new AtomicInteger();
        final AtomicLongArray good = new AtomicLongArray((map.pieceCount + 63) >>> 6);
        /** Sizes of the files on disk at the start, -1 if absent; read by the first step. */
        volatile long[] sizes;
        /** Guarded by this. */
        int done;

        Check(int[] order, ProgressListener listener) {
            this.order = order;
            this.listener = listener;
        }

        void start() {
            if (order.length == 0) {
                result.complete(new BitSet());
                return;
            }
            int n = Math.min(io.threads(), order.length);
            workers.set(n);
            for (int i = 0; i < n; i++) {
                if (!schedule()) {
                    finishWorker();
                }
            }
        }

        /** Queues the next step; false (and the check failed) if the storage is closed or the disk shut down. */
        private boolean schedule() {
            if (!beginOp()) {
                result.completeExceptionally(new StorageException(closedMessage()));
                return false;
            }
            try {
                io.execute(this);
                return true;
            } catch (StorageException e) {
                endOp();
                result.completeExceptionally(e);
                return false;
            }
        }

        @Override
        public void run() {
            boolean continued = false;
            try {
                continued = step();
            } catch (Throwable e) {
                result.completeExceptionally(e);
            } finally {
                endOp();
            }
            if (!continued) {
                finishWorker();
            }
        }

        /** Hashes the next piece; true if the next step is queued, false if this worker is done. */
        private boolean step() {
            if (result.isDone()) {
                return false;
            }
            long[] known = sizes;
            if (known == null) {
                synchronized (this) {
                    if (sizes == null) {
                        sizes = fileSizes();
                    }
                    known = sizes;
                }
            }
            int i = next.getAndIncrement();
            if (i >= order.length) {
                return false;
            }
            int piece = order[i];
            boolean ok;
            try {
                ok = hashPiece(piece, known);
            } catch (IOException | RuntimeException e) {
                ok = false; // unreadable: not verified; downloading it again will report the error if it persists
            }
            setBit(verified, piece, ok);
            if (ok) {
                setBit(good, piece, true);
            }
            synchronized (this) {
                done++;
                listener.progress(done, order.length); // an exception fails the check (see run)
            }
            return schedule();
        }

        private void finishWorker() {
            if (workers.decrementAndGet() == 0) {
                result.complete(toBitSet(good));
            }
        }
    }

    /** Sizes of the files with data, -1 where a file is absent or not a regular file. */
    private long[] fileSizes() {
        long[] out = new long[map.fileCount];
        for (int f = 0; f < out.length; f++) {
            out[f] = slots[f] != null && map.hasData(f) ? ResumeData.stat(slots[f].path)[0] : -1;
        }
        return out;
    }

    @Override
    public void setFilePriority(int fileIndex, int priority) {
        Objects.checkIndex(fileIndex, map.fileCount);
        if (priority < 0 || priority > 7) {
            throw new IllegalArgumentException("priority " + priority + " is not 0 to 7");
        }
        synchronized (priorities) {
            int old = priorities[fileIndex];
            priorities[fileIndex] = priority;
            if ((old > 0) == (priority > 0) || map.padding(fileIndex)) {
                return;
            }
            if (map.length(fileIndex) == 0) {
                if (priority > 0) {
                    emptyFilesPending = true;
                }
                return;
            }
            int first = map.firstPiece(fileIndex);
            int last = map.lastPiece(fileIndex);
            for (int p = first; p <= last; p++) {
                // pieces strictly inside the file hold no other file
                boolean want = p == first || p == last ? map.anyFile(p, f -> priorities[f] > 0) : priority > 0;
                setBit(wanted, p, want);
            }
        }
    }

    @Override
    public int filePriority(int fileIndex) {
        Objects.checkIndex(fileIndex, map.fileCount);
        synchronized (priorities) {
            return priorities[fileIndex];
        }
    }

    /** All file priorities, in file order. */
    int[] filePriorities() {
        synchronized (priorities) {
            return priorities.clone();
        }
    }

    @Override
    public BitSet wantedPieces() {
        return toBitSet(wanted);
    }

    @Override
    public BitSet verifiedPieces() {
        return toBitSet(verified);
    }

    /**
     * {@inheritDoc}
     * <p>
     * When it fails, the pieces written since the last successful flush are no longer verified: a system that could
     * not write dirty pages back may have dropped them (Linux reports such an error once, and a later flush then
     * succeeds without the bytes), so they are neither vouched for by {@link #resumeData()} nor trusted until they
     * are hashed or written again.
     */
    @Override
    public void flush() throws IOException {
        if (emptyFilesPending && written) {
            createEmptyFiles();
        }
        // taken before forcing, as the files' dirty marks are: a write done meanwhile marks its piece again
        long[] since = new long[unflushed.length()];
        for (int w = 0; w < since.length; w++) {
            since[w] = unflushed.getAndSet(w, 0);
        }
        try {
            for (FileCache.Slot s : slots) {
                if (s == null || !s.dirty) {
                    continue;
                }
                s.dirty = false;
                if (!Files.exists(s.path, LinkOption.NOFOLLOW_LINKS)) {
                    continue; // deleted behind our back: nothing left to flush (and not to be created again)
                }
                // a writable handle: some systems (Windows) cannot force a file opened only for reading
                FileCache.Handle h = io.files.acquire(s, true, opener);
                try {
                    h.channel.force(false);
                } catch (IOException e) {
                    s.dirty = true;
                    throw new StorageException(s.path + ": writing to disk failed: " + e.getMessage(), e);
                } finally {
                    h.release();
                }
            }
        } catch (IOException | RuntimeException e) {
            synchronized (unflushed) {
                flushFailures++; // before unverifying: a verify that sets its bit after this sees it
            }
            for (int w = 0; w < since.length; w++) {
                long bits = since[w];
                for (long rest = bits; rest != 0; rest &= rest - 1) {
                    int piece = (w << 6) + Long.numberOfTrailingZeros(rest);
                    setBit(verified, piece, false);
                    hashes.invalidate(piece);
                }
                unflushed.getAndAccumulate(w, bits, (a, b) -> a | b); // still to be flushed
            }
            throw e;
        }
    }

    @Override
    public void close() throws IOException {
        if (io.isDiskThread()) {
            throw new IllegalStateException("close() on a disk thread would wait for itself");
        }
        if (!closing.compareAndSet(false, true)) {
            return;
        }
        closed = true;
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(CLOSE_TIMEOUT_SECONDS);
        synchronized (drained) {
            while (inFlight.get() > 0) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    break;
                }
                try {
                    drained.wait(Math.max(1, TimeUnit.NANOSECONDS.toMillis(left)));
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    break;
                }
            }
        }
        int left = inFlight.get();
        try {
            flush();
        } finally {
            filesClosed = true;
            io.files.closeAll(this);
        }
        if (left > 0) {
            throw new StorageException("closed with " + left + " operations still running");
        }
    }

    // ---------------------------------------------------------------- resume

    /**
     * What to save for a fast resume: flushes, records each file's size and modification time, then takes the
     * verified pieces and flushes again. In this order a verified piece's bytes are on disk, and were either
     * written before its file was looked at (so the recorded time covers them) or after (so the file's time
     * differs at the next start and its pieces are rechecked). Blocks; not for network or disk threads.
     */
    public ResumeData resumeData() throws IOException {
        flush();
        long[] sizes = new long[map.fileCount];
        long[] times = new long[map.fileCount];
        for (int f = 0; f < map.fileCount; f++) {
            if (slots[f] != null) {
                long[] st = ResumeData.stat(slots[f].path);
                sizes[f] = st[0];
                times[f] = st[1];
            } else {
                sizes[f] = -1;
            }
        }
        BitSet verifiedNow = verifiedPieces();
        flush();
        return new ResumeData(torrent, verifiedNow, sizes, times, filePriorities());
    }

    /** {@link #resumeData()} saved atomically to {@code file}. */
    public void saveResumeData(Path file) throws IOException {
        resumeData().save(file);
    }

    /**
     * Starts from saved resume data, as far as {@link ResumeData} says it can be trusted: if it is intact, belongs
     * to this torrent and its checksum matches, trusts its verified pieces in the files whose size and modification
     * time are as recorded, after hashing a random sample of them (the spot check); rechecks the pieces of files
     * that changed; and rechecks everything if the resume data is missing, unreadable, damaged, of format 1, for
     * another torrent, or if a sampled piece does not match. Restores the file priorities of resume data for this
     * torrent. Never fails for bad resume data: the outcome says what was wrong.
     *
     * @param listener hears the progress of the spot check and the recheck together, and, if the spot check fails,
     *                 of the recheck of the rest (the total grows then)
     * @return the verified pieces and what was trusted, checked and wrong
     */
    public CompletableFuture<ResumeOutcome> resume(Path resumeFile, ProgressListener listener) {
        return resume(resumeFile, listener, new SecureRandom());
    }

    /** As {@link #resume(Path, ProgressListener)}, drawing the spot check's sample with {@code random}; for tests. */
    CompletableFuture<ResumeOutcome> resume(Path resumeFile, ProgressListener listener, RandomGenerator random) {
        Objects.requireNonNull(listener, "listener");
        return background(() -> validateResume(resumeFile)).thenCompose(v -> {
            BitSet trusted = v.trusted();
            BitSet sample = ResumeData.spotCheckSample(trusted, torrent.pieceLength(), random);
            BitSet first = v.recheck();
            first.or(sample);
            return check(first, listener).thenCompose(good -> {
                BitSet failed = (BitSet) sample.clone();
                failed.andNot(good);
                if (failed.isEmpty()) {
                    for (int p = trusted.nextSetBit(0); p >= 0; p = trusted.nextSetBit(p + 1)) {
                        setBit(verified, p, true);
                    }
                    return CompletableFuture.completedFuture(new ResumeOutcome(verifiedPieces(),
                            trusted.cardinality() - sample.cardinality(), sample.cardinality(),
                            v.recheck().cardinality(), v.problem()));
                }
                // the pieces already hashed keep their result; the others, trusted or not, are hashed now
                BitSet rest = new BitSet(map.pieceCount);
                rest.set(0, map.pieceCount);
                rest.andNot(first);
                int before = first.cardinality();
                String problem = spotCheckFailed(failed, sample.cardinality(), trusted.cardinality());
                return check(rest, (done, total) -> listener.progress(before + done, before + total))
                        .thenApply(g -> new ResumeOutcome(verifiedPieces(), 0, sample.cardinality(),
                                map.pieceCount - sample.cardinality(), problem));
            });
        });
    }

    /** Reads and validates resume data and applies its file priorities if it is for this torrent; on a disk thread. */
    private ResumeData.Validation validateResume(Path resumeFile) throws StorageException {
        try {
            ResumeData data = ResumeData.load(resumeFile);
            ResumeData.Validation v = data.validate(torrent, root);
            if (v.matchesTorrent()) {
                int[] saved = data.filePriorities();
                for (int f = 0; f < saved.length; f++) {
                    setFilePriority(f, saved[f]);
                }
            }
            return v;
        } catch (NoSuchFileException e) {
            return ResumeData.Validation.recheckAll(map.pieceCount, "no resume data at " + resumeFile, false);
        } catch (IOException | ResumeDataException e) {
            return ResumeData.Validation.recheckAll(map.pieceCount,
                    "resume data not used: " + resumeFile + " is unusable: " + e.getMessage(), false);
        }
    }

    private String spotCheckFailed(BitSet failed, int sampled, int trusted) {
        int n = failed.cardinality();
        return "resume data not used: "
                + (n == 1 ? "piece " + failed.nextSetBit(0) + ", which it records as verified, does not"
                        : n + " pieces it records as verified (first: " + failed.nextSetBit(0) + ") do not")
                + " match the torrent (a spot check of " + sampled + " of those " + trusted + " pieces); all "
                + map.pieceCount + " pieces are rechecked";
    }

    // ---------------------------------------------------------------- disk work

    private void write(int piece, int offset, ByteBuffer data) throws IOException {
        int position = data.position();
        int limit = data.limit();
        try {
            long at = map.pieceStart(piece) + offset;
            long end = at + (limit - position);
            for (int span = map.spanAt(at); at < end; span++) {
                int f = map.spanFile(span);
                long fileEnd = map.offset(f) + map.length(f);
                int n = (int) (Math.min(end, fileEnd) - at);
                if (map.padding(f)) {
                    data.position(data.position() + n);
                } else {
                    data.limit(data.position() + n);
                    FileCache.Slot slot = slots[f];
                    FileCache.Handle h = io.files.acquire(slot, true, opener);
                    try {
                        long pos = at - map.offset(f);
                        while (data.hasRemaining()) {
                            pos += h.channel.write(data, pos);
                        }
                    } finally {
                        h.release();
                    }
                    slot.dirty = true;
                    data.limit(limit);
                }
                at += n;
            }
        } finally {
            data.limit(limit).position(position);
        }
        setBit(verified, piece, false);
        setBit(unflushed, piece, true); // after the bytes: a flush that takes the mark forces them
        if (!written) {
            written = true;
        }
    }

    private ByteBuffer read(int piece, int offset, int length) throws IOException {
        ByteBuffer out = ByteBuffer.allocate(length);
        readInto(piece, offset, out);
        return out.clear();
    }

    /** Reads bytes at {@code offset} within {@code piece} into {@code out}, from its position to its limit. */
    private void readInto(int piece, int offset, ByteBuffer out) throws IOException {
        int limit = out.limit();
        long at = map.pieceStart(piece) + offset;
        long end = at + out.remaining();
        for (int span = map.spanAt(at); at < end; span++) {
            int f = map.spanFile(span);
            long fileEnd = map.offset(f) + map.length(f);
            int n = (int) (Math.min(end, fileEnd) - at);
            if (map.padding(f)) {
                for (int i = 0; i < n; i++) {
                    out.put((byte) 0); // the buffer may be reused: write the zeros
                }
            } else {
                out.limit(out.position() + n);
                long pos = at - map.offset(f);
                FileCache.Handle h = acquireForRead(slots[f]);
                try {
                    while (out.hasRemaining()) {
                        int k = h.channel.read(out, pos);
                        if (k < 0) {
                            throw new StorageException(slots[f].path + ": ends at byte " + pos + ", before the "
                                    + (pos + out.remaining()) + " that piece " + piece + " needs: not on disk");
                        }
                        pos += k;
                    }
                } finally {
                    h.release();
                }
                out.limit(limit);
            }
            at += n;
        }
    }

    private FileCache.Handle acquireForRead(FileCache.Slot slot) throws IOException {
        try {
            return io.files.acquire(slot, false, opener);
        } catch (NoSuchFileException e) {
            throw new StorageException(slot.path + ": not on disk", e);
        }
    }

    /**
     * Hashes a piece from disk against the torrent.
     *
     * @param sizes file sizes known from the start of a check, or null to look at the open files
     * @return false without reading if a file of the piece is absent or too short
     */
    boolean hashPiece(int piece, long[] sizes) throws IOException {
        long start = map.pieceStart(piece);
        long end = start + map.pieceSize(piece);
        for (int span = map.spanAt(start); span < map.spanCount() && map.offset(map.spanFile(span)) < end; span++) {
            int f = map.spanFile(span);
            long need = Math.min(end, map.offset(f) + map.length(f)) - map.offset(f);
            if (!map.padding(f) && sizes != null && sizes[f] < need) {
                return false;
            }
        }
        Hashing h = Hashing.local();
        boolean v2 = map.alignedFiles;
        h.sha1.reset();
        h.sha256.reset();
        int leaves = 0;
        if (v2) {
            h.leaves((map.pieceSize(piece) + Hashing.BLOCK - 1) / Hashing.BLOCK);
        }
        long at = start;
        for (int span = map.spanAt(start); at < end; span++) {
            int f = map.spanFile(span);
            long fileEnd = map.offset(f) + map.length(f);
            long n = Math.min(end, fileEnd) - at;
            if (map.padding(f)) {
                Hashing.updateZeros(h.sha1, n);
            } else {
                FileCache.Handle handle;
                try {
                    handle = io.files.acquire(slots[f], false, opener);
                } catch (NoSuchFileException e) {
                    return false;
                }
                try {
                    long pos = at - map.offset(f);
                    if (handle.channel.size() < pos + n) {
                        return false;
                    }
                    long left = n;
                    while (left > 0) {
                        int chunk = (int) Math.min(left, Hashing.CHUNK);
                        h.buffer.clear().limit(chunk);
                        while (h.buffer.hasRemaining()) {
                            if (handle.channel.read(h.buffer, pos + h.buffer.position()) < 0) {
                                return false; // shrunk meanwhile
                            }
                        }
                        hashedBytes.add(chunk);
                        if (v2) {
                            leaves = h.hashLeaves(0, chunk, leaves);
                        } else {
                            h.sha1.update(h.array, 0, chunk);
                        }
                        pos += chunk;
                        left -= chunk;
                    }
                } finally {
                    handle.release();
                }
            }
            at += n;
        }
        piecesHashed.increment();
        if (!v2) {
            return h.sha1Matches(torrent.pieceHashV1(piece));
        }
        return h.merkleRootMatches(leaves, PieceHashes.merkleWidth(map, piece, leaves), torrent.pieceHashV2(piece));
    }

    /** Creates the wanted files of length 0 that are missing. */
    private void createEmptyFiles() throws IOException {
        emptyFilesPending = false; // before: a priority raised meanwhile sets it again
        int[] prio = filePriorities();
        for (int f = 0; f < map.fileCount; f++) {
            if (slots[f] != null && map.length(f) == 0 && prio[f] > 0
                    && !Files.exists(slots[f].path, LinkOption.NOFOLLOW_LINKS)) {
                openChannel(slots[f], true).close();
            }
        }
    }

    /**
     * Opens a file's channel: for writing with creation of the file and its folders, else read-only. The real path of
     * its folder must lie below the real download folder, and the file itself is opened without following a link.
     */
    private FileChannel openChannel(FileCache.Slot slot, boolean write) throws IOException {
        if (filesClosed) {
            throw new StorageException(closedMessage());
        }
        Path parent = slot.path.getParent();
        Path real = realRoot(write);
        if (write) {
            createFolders(parent, real);
        }
        Path realParent = parent.toRealPath();
        if (!realParent.startsWith(real)) {
            throw new StorageException(slot.path + ": its folder is really " + realParent
                    + ", outside the download folder " + real + " (a symbolic link?): refused");
        }
        Path file = realParent.resolve(slot.path.getFileName().toString());
        try {
            if (write) {
                return FileChannel.open(file, StandardOpenOption.READ, StandardOpenOption.WRITE,
                        StandardOpenOption.CREATE, StandardOpenOption.SPARSE, LinkOption.NOFOLLOW_LINKS);
            }
            return FileChannel.open(file, StandardOpenOption.READ, LinkOption.NOFOLLOW_LINKS);
        } catch (IOException e) {
            if (Files.isSymbolicLink(file)) { // the JDK says only "Too many levels of symbolic links"
                throw new StorageException(slot.path + " is a symbolic link: refused (a torrent's files are never "
                        + "written or read through a link)", e);
            }
            throw e;
        }
    }

    private Path realRoot(boolean create) throws IOException {
        Path r = realRoot;
        if (r == null) {
            if (create) {
                Files.createDirectories(root);
            }
            r = root.toRealPath();
            realRoot = r;
        }
        return r;
    }

    /** Creates the folders from the download folder down to {@code folder}, refusing links that lead outside. */
    private void createFolders(Path folder, Path real) throws IOException {
        if (folder.equals(root)) {
            return;
        }
        Path p = root;
        for (Path name : root.relativize(folder)) {
            p = p.resolve(name);
            if (Files.isSymbolicLink(p)) {
                if (!p.toRealPath().startsWith(real)) {
                    throw new StorageException(p + " is a symbolic link to " + p.toRealPath()
                            + ", outside the download folder " + real + ": refused");
                }
            } else if (!Files.isDirectory(p, LinkOption.NOFOLLOW_LINKS)) {
                try {
                    Files.createDirectory(p);
                } catch (FileAlreadyExistsException e) {
                    if (!Files.isDirectory(p)) {
                        throw new StorageException(p + " is in the way: a file where a folder belongs", e);
                    }
                }
            }
        }
    }

    // ---------------------------------------------------------------- helpers

    /** Runs {@code op} on any disk thread as an operation of this storage (counted for close). */
    /**
     * Runs {@code op} on a disk thread as a check's step does: queued past the limit of the block operations, which
     * it must never be refused by (10,000 torrents resuming at once would fill that queue and fail their checks).
     */
    private <T> CompletableFuture<T> background(DiskIo.Op<T> op) {
        if (!beginOp()) {
            return CompletableFuture.failedFuture(new StorageException(closedMessage()));
        }
        CompletableFuture<T> f = new CompletableFuture<>();
        try {
            io.execute(() -> {
                try {
                    f.complete(op.run());
                } catch (Throwable e) {
                    f.completeExceptionally(e);
                } finally {
                    endOp();
                }
            });
        } catch (StorageException e) {
            endOp();
            f.completeExceptionally(e);
        }
        return f;
    }

    private <T> CompletableFuture<T> submit(DiskIo.Op<T> op) {
        return submit(DiskIo.ANY, op);
    }

    /**
     * Runs {@code op} as an operation of this storage (counted for close) on the disk thread of {@code piece}, after
     * the operations on that piece submitted before it; on any disk thread for {@link DiskIo#ANY}.
     */
    private <T> CompletableFuture<T> submit(int piece, DiskIo.Op<T> op) {
        if (!beginOp()) {
            return CompletableFuture.failedFuture(new StorageException(closedMessage()));
        }
        return io.submit(piece, op, endOp);
    }

    private boolean beginOp() {
        if (closed) {
            return false;
        }
        inFlight.incrementAndGet();
        if (closed) {
            endOp();
            return false;
        }
        return true;
    }

    private void endOp() {
        if (inFlight.decrementAndGet() == 0 && closed) {
            synchronized (drained) {
                drained.notifyAll();
            }
        }
    }

    private StorageException checkBlock(int piece, int offset, int length) {
        if (piece < 0 || piece >= map.pieceCount) {
            return new StorageException(pieceOutOfRange(piece));
        }
        int size = map.pieceSize(piece);
        if (offset < 0 || length < 1 || (long) offset + length > size) {
            return new StorageException("block at " + offset + " of " + length + " bytes is not within piece " + piece
                    + " of " + size + " bytes");
        }
        return null;
    }

    private String pieceOutOfRange(int piece) {
        return "piece " + piece + " does not exist (the torrent has " + map.pieceCount + ")";
    }

    private String closedMessage() {
        return "storage of " + torrent.name() + " is closed";
    }

    private static boolean getBit(AtomicLongArray bits, int i) {
        return (bits.get(i >>> 6) & (1L << i)) != 0;
    }

    private static void setBit(AtomicLongArray bits, int i, boolean value) {
        long mask = 1L << i;
        int w = i >>> 6;
        for (;;) {
            long old = bits.get(w);
            long now = value ? old | mask : old & ~mask;
            if (old == now || bits.compareAndSet(w, old, now)) {
                return;
            }
        }
    }

    private static BitSet toBitSet(AtomicLongArray bits) {
        long[] words = new long[bits.length()];
        for (int i = 0; i < words.length; i++) {
            words[i] = bits.get(i);
        }
        return BitSet.valueOf(words);
    }

    @Override
    public String toString() {
        return "FileStorage[" + torrent.name() + " in " + root + "]";
    }
}
