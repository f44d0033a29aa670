package org.stampede.storage;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The open files of all storages of one {@link DiskIo}, at most {@link #limit()} of them, least recently used
 * closed first.
 * <p>
 * The common case, a file already open, takes no lock: a volatile read of the file's handle and a compare-and-set
 * of its reference count. Opening a file takes the file's own lock (one opener per file) and, only to install the
 * handle and pick a victim among the open files, this cache's lock; the channel is opened and closed outside it.
 */
final class FileCache {

    /** One file of a storage: where it is, and its open channel if any. */
    static final class Slot {
        final FileStorage owner;
        final int index;
        final Path path;
        /** The current handle; installed and removed only under the cache's lock. */
        volatile Handle handle;
        volatile long lastUse;
        /** Written since the last flush. */
        volatile boolean dirty;

        Slot(FileStorage owner, int index, Path path) {
            this.owner = owner;
            this.index = index;
            this.path = path;
        }
    }

    /** An open channel with a reference count: one reference for the cache, one per operation using it. */
    static final class Handle {
        final FileChannel channel;
        final boolean writable;
        private final AtomicInteger refs = new AtomicInteger(1);

        Handle(FileChannel channel, boolean writable) {
            this.channel = channel;
            this.writable = writable;
        }

        /** Takes a reference unless the handle is already being closed. */
        boolean retain() {
            for (;;) {
                int r = refs.get();
                if (r <= 0) {
                    return false;
                }
                if (refs.compareAndSet(r, r + 1)) {
                    return true;
                }
            }
        }

        /** Drops a reference; the last one closes the channel. */
        void release() throws IOException {
            if (refs.decrementAndGet() == 0) {
                channel.close();
            }
        }
    }

    /** Opens the channel of a slot; the storage checks paths and creates folders. */
    @FunctionalInterface
    interface Opener {
        FileChannel open(Slot slot, boolean write) throws IOException;
    }

    private final int limit;
    /** Orders uses for the LRU choice; a counter, not a clock, so no two uses tie. */
    private final java.util.concurrent.atomic.AtomicLong clock = new java.util.concurrent.atomic.AtomicLong();
    /** The slots with a handle. Guarded by this. */
    private final List<Slot> open = new ArrayList<>();

    FileCache(int limit) {
        this.limit = limit;
    }

    int limit() {
        return limit;
    }

    /** Files open now. */
    synchronized int openCount() {
        return open.size();
    }

    /**
     * A handle for {@code slot} with a reference for the caller, who must {@link Handle#release()} it.
     *
     * @param write whether the caller writes (opens or reopens the file for writing, creating it)
     */
    Handle acquire(Slot slot, boolean write, Opener opener) throws IOException {
        Handle h = slot.handle;
        if (h != null && (h.writable || !write) && h.retain()) {
            slot.lastUse = clock.incrementAndGet();
            return h;
        }
        return acquireSlow(slot, write, opener);
    }

    private Handle acquireSlow(Slot slot, boolean write, Opener opener) throws IOException {
        synchronized (slot) {
            Handle h = slot.handle;
            if (h != null && (h.writable || !write) && h.retain()) {
                slot.lastUse = clock.incrementAndGet();
                return h;
            }
            FileChannel channel = opener.open(slot, write);
            Handle fresh = new Handle(channel, write);
            fresh.retain(); // the caller's reference
            List<Handle> closing = new ArrayList<>(2);
            synchronized (this) {
                Handle old = slot.handle;
                if (old != null) {
                    closing.add(old);
                } else {
                    open.add(slot);
                }
                slot.handle = fresh;
                slot.lastUse = clock.incrementAndGet();
                while (open.size() > limit) {
                    Slot victim = leastRecentlyUsed(slot);
                    open.remove(victim);
                    closing.add(victim.handle);
                    victim.handle = null;
                }
            }
            releaseQuietly(closing);
            return fresh;
        }
    }

    /** Guarded by this. */
    private Slot leastRecentlyUsed(Slot keep) {
        Slot victim = null;
        for (Slot s : open) {
            if (s != keep && (victim == null || s.lastUse < victim.lastUse)) {
                victim = s;
            }
        }
        return victim;
    }

    /** Drops the cache's reference to the handles of {@code owner}'s files (each closes when its last user ends). */
    void closeAll(FileStorage owner) throws IOException {
        List<Handle> closing = new ArrayList<>();
        synchronized (this) {
            for (int i = open.size() - 1; i >= 0; i--) {
                Slot s = open.get(i);
                if (s.owner == owner) {
                    open.remove(i);
                    closing.add(s.handle);
                    s.handle = null;
                }
            }
        }
        releaseAll(closing);
    }

    /**
     * Closes evicted handles. An error in closing one is not the business of the operation that needed the slot;
     * data written through it was flushed or will be by {@link FileStorage#flush()}, which reports errors.
     */
    private static void releaseQuietly(List<Handle> handles) {
        for (Handle h : handles) {
            try {
                h.release();
            } catch (IOException e) {
                // see above
            }
        }
    }

    private static void releaseAll(List<Handle> handles) throws IOException {
        IOException first = null;
        for (Handle h : handles) {
            try {
                h.release();
            } catch (IOException e) {
                if (first == null) {
                    first = e;
                } else {
                    first.addSuppressed(e);
                }
            }
        }
        if (first != null) {
            throw first;
        }
    }
}
