package org.stampede.storage;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The open-file cache: its limit, its order, and handles in use. */
class FileCacheTest {

    @TempDir
    Path work;
    final AtomicInteger opens = new AtomicInteger();

    private final FileCache.Opener opener = (slot, write) -> {
        opens.incrementAndGet();
        return write ? FileChannel.open(slot.path, StandardOpenOption.CREATE, StandardOpenOption.READ,
                StandardOpenOption.WRITE) : FileChannel.open(slot.path, StandardOpenOption.READ);
    };

    private FileCache.Slot slot(int i) {
        return new FileCache.Slot(null, i, work.resolve("f" + i));
    }

    private FileCache.Handle use(FileCache cache, FileCache.Slot s) throws IOException {
        FileCache.Handle h = cache.acquire(s, true, opener);
        h.release();
        return h;
    }

    @Test
    void openFileIsReusedWithoutOpeningAgain() throws IOException {
        FileCache cache = new FileCache(2);
        FileCache.Slot a = slot(0);
        assertSame(use(cache, a), use(cache, a));
        assertEquals(1, opens.get());
    }

    @Test
    void leastRecentlyUsedFileIsClosedBeyondTheLimit() throws IOException {
        FileCache cache = new FileCache(2);
        FileCache.Slot a = slot(0);
        FileCache.Slot b = slot(1);
        FileCache.Slot c = slot(2);
        FileCache.Handle ha = use(cache, a);
        FileCache.Handle hb = use(cache, b);
        use(cache, a); // a is now more recent than b
        use(cache, c);
        assertEquals(2, cache.openCount());
        assertTrue(ha.channel.isOpen());
        assertFalse(hb.channel.isOpen(), "b, the least recently used, was closed");
    }

    @Test
    void evictedFileInUseStaysOpenUntilReleased() throws IOException {
        FileCache cache = new FileCache(1);
        FileCache.Slot a = slot(0);
        FileCache.Handle inUse = cache.acquire(a, true, opener);
        use(cache, slot(1)); // evicts a
        assertTrue(inUse.channel.isOpen(), "still in use");
        inUse.release();
        assertFalse(inUse.channel.isOpen());
        assertNotSame(inUse, use(cache, a), "a is opened again");
    }

    @Test
    void readHandleIsReplacedByAWritableOneForAWrite() throws IOException {
        FileCache cache = new FileCache(2);
        FileCache.Slot a = slot(0);
        use(cache, a); // creates the file
        FileCache.Slot again = new FileCache.Slot(null, 0, a.path);
        FileCache.Handle read = cache.acquire(again, false, opener);
        read.release();
        assertFalse(read.writable);
        FileCache.Handle write = use(cache, again);
        assertTrue(write.writable);
        assertFalse(read.channel.isOpen());
        assertSame(write, use(cache, again), "the writable handle serves writes from then on");
        FileCache.Handle forRead = cache.acquire(again, false, opener);
        forRead.release();
        assertSame(write, forRead, "and reads");
    }
}
