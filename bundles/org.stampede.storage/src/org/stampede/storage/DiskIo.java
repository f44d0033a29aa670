package org.stampede.storage;

import java.util.Queue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;

/**
 * The disk threads and the open-file cache that {@link FileStorage}s share: one per process (or per disk) is the
 * intent, so that the number of threads and of open files stays bounded however many torrents run.
 *
 * <h2>Order</h2>
 * An operation with a key (a piece index: {@code writeBlock} and {@code verifyPiece}) runs on the disk thread
 * {@code key mod threads()}, so the operations on one piece run one at a time in the order they were submitted (from
 * one submitting thread; submissions racing from several threads are ordered as they reach the queue). That lets a
 * piece's hash follow its blocks as they are written, without reading them back. Operations without a key
 * ({@code readBlock}, a resume) and the steps of a check go to whichever disk thread is free. A disk thread takes
 * its keyed and its shared work in turn, so neither starves the other.
 *
 * <h2>Back-pressure</h2>
 * At most {@link #queueLimit()} operations ({@code writeBlock}, {@code readBlock}, {@code verifyPiece}) may be
 * queued or running at once; one more is refused at once with a {@link StorageBusyException} and does nothing, so
 * a caller on a network thread is never blocked, and the memory that waits for the disk (the callers' write
 * buffers) stays bounded. A hash check runs as at most {@link #threads()} chained tasks that do not count against
 * the limit: it neither starves nor is refused, and operations queued meanwhile are served between its pieces.
 * Submitting takes no lock: the queues are lock-free, and an idle disk thread is woken with
 * {@link LockSupport#unpark}.
 *
 * <h2>Open files</h2>
 * At most {@link #maxOpenFiles()} files are open across all storages; the least recently used one is closed to
 * open another. A file in use by a running operation is closed when that operation ends.
 */
public final class DiskIo implements AutoCloseable {

    public static final int DEFAULT_THREADS = 2;
    public static final int DEFAULT_QUEUE_LIMIT = 1024;
    public static final int DEFAULT_MAX_OPEN_FILES = 64;
    /** The key of an operation that any disk thread may run. */
    static final int ANY = -1;

    /** Work for a disk thread. */
    @FunctionalInterface
    interface Op<T> {
        T run() throws Exception;
    }

    private final int queueLimit;
    private final DiskThread[] workers;
    /** Work without a key, for any disk thread. Unbounded as a data structure: see {@link #submit}. */
    private final Queue<Runnable> shared = new ConcurrentLinkedQueue<>();
    private final AtomicInteger pending = new AtomicInteger();
    /** No new work is accepted; the disk threads end once the queues are empty. */
    private volatile boolean shutdown;
    /** The disk threads end now, leaving queued work undone. */
    private volatile boolean stopped;
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
        this.queueLimit = queueLimit;
        this.files = new FileCache(maxOpenFiles);
        this.workers = new DiskThread[threads];
        for (int i = 0; i < threads; i++) {
            workers[i] = new DiskThread(this, "stampede-disk-" + (i + 1));
        }
        for (DiskThread w : workers) {
            w.start();
        }
    }

    public int threads() {
        return workers.length;
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
     * Runs {@code op} on a disk thread, unless {@link #queueLimit()} operations are already pending: on the thread of
     * {@code key} (after the operations submitted before with the same key modulo {@link #threads()}) if it is 0 or
     * more, else ({@link #ANY}) on any. {@code after} runs exactly once: on the disk thread after {@code op} and
     * before the future completes, or at once if the operation is refused.
     */
    <T> CompletableFuture<T> submit(int key, Op<T> op, Runnable after) {
        if (pending.incrementAndGet() > queueLimit) {
            pending.decrementAndGet();
            after.run();
            return CompletableFuture.failedFuture(new StorageBusyException(
                    "the disk queue is full (" + queueLimit + " operations pending)"));
        }
        CompletableFuture<T> future = new CompletableFuture<>();
        Runnable task = () -> {
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
        };
        if (!enqueue(key, task)) {
            pending.decrementAndGet();
            after.run();
            future.completeExceptionally(shutDown());
        }
        return future;
    }

    /** Runs an internal continuation (a step of a check) on any disk thread, not counted against the limit. */
    void execute(Runnable task) throws StorageException {
        if (!enqueue(ANY, task)) {
            throw shutDown();
        }
    }

    /** Queues {@code task} and wakes a thread for it; false (and not queued) once shut down. */
    private boolean enqueue(int key, Runnable task) {
        if (shutdown) {
            return false;
        }
        DiskThread target = key < 0 ? null : workers[key % workers.length];
        Queue<Runnable> queue = target == null ? shared : target.own;
        queue.offer(task);
        // close() may have begun after the check above: if no thread took the task yet, take it back and refuse it
        // (a thread that ends polls its queues once more after it saw 'shutdown', so one that was taken runs)
        if (shutdown && queue.remove(task)) {
            return false;
        }
        if (target != null) {
            target.wake();
        } else {
            for (DiskThread w : workers) {
                if (w.wake()) {
                    break;
                }
            }
        }
        return true;
    }

    private static StorageException shutDown() {
        return new StorageException("disk I/O is shut down");
    }

    /** Whether the calling thread is one of the disk threads. */
    boolean isDiskThread() {
        return Thread.currentThread() instanceof DiskThread t && t.owner == this;
    }

    private static final class DiskThread extends Thread {
        final DiskIo owner;
        /** The keyed work of this thread, in submission order. */
        final Queue<Runnable> own = new ConcurrentLinkedQueue<>();
        /** Set by this thread before it parks; cleared by whoever wakes it. */
        final AtomicBoolean idle = new AtomicBoolean();
        /** Which queue to look at first: they take turns. */
        private boolean ownFirst;

        DiskThread(DiskIo owner, String name) {
            super(name);
            this.owner = owner;
            setDaemon(true);
        }

        /** Unparks this thread if it is idle and no one else woke it; true if this call woke it. */
        boolean wake() {
            if (idle.get() && idle.compareAndSet(true, false)) {
                LockSupport.unpark(this);
                return true;
            }
            return false;
        }

        @Override
        public void run() {
            while (!owner.stopped) {
                Runnable task = next();
                if (task == null) {
                    if (owner.shutdown) {
                        task = next(); // a task queued before 'shutdown' was set is visible now
                        if (task == null) {
                            return;
                        }
                    } else {
                        idle.set(true);
                        task = next(); // a submitter that saw idle false queued before this look
                        if (task == null) {
                            Thread.interrupted(); // an interrupt left by a task would make park return at once
                            if (!owner.shutdown) {
                                LockSupport.park(owner);
                            }
                            idle.set(false);
                            continue;
                        }
                        idle.set(false);
                    }
                }
                try {
                    task.run();
                } catch (Throwable e) {
                    // operations report their failures through their futures; this is a bug in a continuation
                    getUncaughtExceptionHandler().uncaughtException(this, e);
                }
            }
        }

        private Runnable next() {
            Runnable task;
            if (ownFirst) {
                task = own.poll();
                if (task == null) {
                    task = owner.shared.poll();
                }
            } else {
                task = owner.shared.poll();
                if (task == null) {
                    task = own.poll();
                }
            }
            ownFirst = !ownFirst;
            return task;
        }
    }

    /**
     * Stops the disk threads after the queued operations, waiting up to 10 seconds for them; then interrupts those
     * still running and drops what is still queued. Close the storages first.
     */
    @Override
    public void close() {
        shutdown = true;
        for (DiskThread w : workers) {
            LockSupport.unpark(w);
        }
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        try {
            for (DiskThread w : workers) {
                long left = deadline - System.nanoTime();
                if (w != Thread.currentThread() && left > 0) {
                    w.join(Math.max(1, TimeUnit.NANOSECONDS.toMillis(left)));
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        stopped = true;
        for (DiskThread w : workers) {
            if (w.isAlive() && w != Thread.currentThread()) {
                w.interrupt();
            }
        }
    }
}
