package org.stampede.storage;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedTransferQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The disk threads and the open-file cache that {@link FileStorage}s share: one per process (or per disk) is the
 * intent, so that the number of threads and of open files stays bounded however many torrents run.
 *
 * <h2>Back-pressure</h2>
 * At most {@link #queueLimit()} operations ({@code writeBlock}, {@code readBlock}, {@code verifyPiece}) may be
 * queued or running at once; one more is refused at once with a {@link StorageBusyException} and does nothing, so
 * a caller on a network thread is never blocked, and the memory that waits for the disk (the callers' write
 * buffers) stays bounded. A hash check runs as at most {@link #threads()} chained tasks that do not count against
 * the limit: it neither starves nor is refused, and operations queued meanwhile are served between its pieces.
 *
 * <h2>Open files</h2>
 * At most {@link #maxOpenFiles()} files are open across all storages; the least recently used one is closed to
 * open another. A file in use by a running operation is closed when that operation ends.
 */
public final class DiskIo implements AutoCloseable {

    public static final int DEFAULT_THREADS = 2;
    public static final int DEFAULT_QUEUE_LIMIT = 1024;
    public static final int DEFAULT_MAX_OPEN_FILES = 64;

    /** Work for a disk thread. */
    @FunctionalInterface
    interface Op<T> {
        T run() throws Exception;
    }

    private final int threads;
    private final int queueLimit;
    private final ThreadPoolExecutor pool;
    private final AtomicInteger pending = new AtomicInteger();
    final FileCache files;

    /** Two threads, 1024 queued operations, 64 open files. */
    public DiskIo() {
        this(DEFAULT_THREADS, DEFAULT_QUEUE_LIMIT, DEFAULT_MAX_OPEN_FILES);
    }

    /**
     * @param threads      disk threads (2 suit one disk: one reads or hashes while the other writes)
     * @param queueLimit   operations that may be queued or running before new ones are refused
     * @param maxOpenFiles files kept open across all storages
     */
    public DiskIo(int threads, int queueLimit, int maxOpenFiles) {
        if (threads < 1 || queueLimit < 1 || maxOpenFiles < 1) {
            throw new IllegalArgumentException("threads, queueLimit and maxOpenFiles must be at least 1");
        }
        this.threads = threads;
        this.queueLimit = queueLimit;
        this.files = new FileCache(maxOpenFiles);
        AtomicInteger n = new AtomicInteger();
        // The queue is unbounded as a data structure; 'pending' bounds what clients can put in it, and internal
        // continuations are at most 'threads' per running check. LinkedTransferQueue is lock-free: submitting from
        // many network threads contends on no lock.
        this.pool = new ThreadPoolExecutor(threads, threads, 0, TimeUnit.SECONDS, new LinkedTransferQueue<>(),
                r -> new DiskThread(this, r, "stampede-disk-" + n.incrementAndGet()));
        pool.prestartAllCoreThreads(); // later submissions only enqueue
    }

    public int threads() {
        return threads;
    }

    public int queueLimit() {
        return queueLimit;
    }

    public int maxOpenFiles() {
        return files.limit();
    }

    /** Operations queued or running now. */
    public int pending() {
        return pending.get();
    }

    /**
     * Runs {@code op} on a disk thread, unless {@link #queueLimit()} operations are already pending. {@code after}
     * runs exactly once: on the disk thread after {@code op} and before the future completes, or at once if the
     * operation is refused.
     */
    <T> CompletableFuture<T> submit(Op<T> op, Runnable after) {
        if (pending.incrementAndGet() > queueLimit) {
            pending.decrementAndGet();
            after.run();
            return CompletableFuture.failedFuture(new StorageBusyException(
                    "the disk queue is full (" + queueLimit + " operations pending)"));
        }
        CompletableFuture<T> future = new CompletableFuture<>();
        try {
            pool.execute(() -> {
                T result = null;
                Throwable failure = null;
                try {
                    result = op.run();
                } catch (Throwable e) {
                    failure = e;
                } finally {
                    pending.decrementAndGet();
                    after.run();
                }
                if (failure != null) {
                    future.completeExceptionally(failure);
                } else {
                    future.complete(result);
                }
            });
        } catch (RejectedExecutionException e) {
            pending.decrementAndGet();
            after.run();
            future.completeExceptionally(new StorageException("disk I/O is shut down", e));
        }
        return future;
    }

    /** Runs an internal continuation (a step of a check) on a disk thread, not counted against the limit. */
    void execute(Runnable task) throws StorageException {
        try {
            pool.execute(task);
        } catch (RejectedExecutionException e) {
            throw new StorageException("disk I/O is shut down", e);
        }
    }

    /** Whether the calling thread is one of the disk threads. */
    boolean isDiskThread() {
        return Thread.currentThread() instanceof DiskThread t && t.owner == this;
    }

    private static final class DiskThread extends Thread {
        final DiskIo owner;

        DiskThread(DiskIo owner, Runnable r, String name) {
            super(r, name);
            this.owner = owner;
            setDaemon(true);
        }
    }

    /**
     * Stops the disk threads after the queued operations, waiting up to 10 seconds for them. Close the storages
     * first.
     */
    @Override
    public void close() {
        pool.shutdown();
        try {
            pool.awaitTermination(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        pool.shutdownNow();
    }
}
