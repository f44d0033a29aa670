package org.stampede.api.testing;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.lang.reflect.Method;
import java.util.Locale;
import java.util.Random;
import java.util.function.Supplier;

import org.stampede.api.BlockRequests;
import org.stampede.api.PiecePicker;

/**
 * For a picker benchmark (a main class, not a test): the time and allocation of one pick, and the usual large
 * torrents to pick from. Picks leave the torrent unchanged (the requests are counted, not recorded), so every
 * pick of a case does the same work.
 */
public final class PickerTiming {
    /** Blocks per piece of the torrents made here. */
    public static final int BLOCKS = 16;

    private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();
    private static final Method ALLOCATED_BYTES = allocatedBytesMethod();

    private PickerTiming() {
    }

    /** Pieces 0–7 verified, each piece held by 1 to 50 peers. */
    public static TestTorrent fresh(int pieces, Random random) {
        TestTorrent t = new TestTorrent(pieces, BLOCKS).verified(0, 1, 2, 3, 4, 5, 6, 7);
        for (int p = 0; p < pieces; p++) {
            t.availability(p, 1 + random.nextInt(50));
        }
        return t;
    }

    /** A peer with every hundredth piece. */
    public static TestPeer sparsePeer(int pieces) {
        MutablePieceSet some = new MutablePieceSet(pieces);
        for (int p = 0; p < pieces; p += 100) {
            some.add(p);
        }
        return new TestPeer(some);
    }

    /** Half of the blocks of 200 random pieces (above 7) received; returns {@code torrent}. */
    public static TestTorrent startPieces(TestTorrent torrent, int pieces, Random random) {
        for (int i = 0; i < 200; i++) {
            int p = 8 + random.nextInt(pieces - 8);
            for (int b = 0; b < BLOCKS / 2; b++) {
                torrent.received(p, b);
            }
        }
        return torrent;
    }

    /** Endgame: all but the first 200 pieces verified, every block of those requested, 10 copies of each piece. */
    public static TestTorrent endgame(int pieces) {
        TestTorrent endgame = new TestTorrent(pieces, BLOCKS);
        endgame.availabilityOfAll(10);
        for (int p = 0; p < pieces; p++) {
            if (p >= 200) {
                endgame.verified(p);
            } else {
                for (int b = 0; b < BLOCKS; b++) {
                    endgame.requested(p, b);
                }
            }
        }
        return endgame.endgame(true);
    }

    /** {@link #measure(String, Supplier, int, double, TestTorrent, TestPeer, int, long)} with a still clock. */
    public static void measure(String what, Supplier<PiecePicker> pickers, int pieces, double seconds,
            TestTorrent torrent, TestPeer peer, int capacity) {
        measure(what, pickers, pieces, seconds, torrent, peer, capacity, 0);
    }

    /**
     * Warms a new picker up for half of {@code seconds}, then prints the mean time and allocation of one pick of up
     * to {@code capacity} blocks over {@code seconds}; the torrent's clock advances {@code clockStepMillis} before
     * every pick.
     */
    public static void measure(String what, Supplier<PiecePicker> pickers, int pieces, double seconds,
            TestTorrent torrent, TestPeer peer, int capacity, long clockStepMillis) {
        PiecePicker picker = pickers.get();
        Counting requests = new Counting(capacity);
        long warmEnd = System.nanoTime() + (long) (seconds / 2 * 1e9);
        long sink = 0;
        while (System.nanoTime() < warmEnd) {
            sink += run(picker, torrent, peer, requests, clockStepMillis);
        }
        long allocatedBefore = allocatedBytes();
        long start = System.nanoTime();
        long end = start + (long) (seconds * 1e9);
        long n = 0;
        while (System.nanoTime() < end) {
            sink += run(picker, torrent, peer, requests, clockStepMillis);
            n++;
        }
        long elapsed = System.nanoTime() - start;
        long allocated = allocatedBytes() - allocatedBefore;
        System.out.printf(Locale.ROOT, "%-40s %7d pieces %10.1f us/pick %8.1f bytes/pick (sink %d)%n",
                what, pieces, elapsed / 1e3 / n, allocated / (double) n, sink & 1);
    }

    private static int run(PiecePicker picker, TestTorrent torrent, TestPeer peer, Counting requests,
            long clockStepMillis) {
        requests.accepted = 0;
        if (clockStepMillis != 0) {
            torrent.at(torrent.nowMillis() + clockStepMillis);
        }
        picker.pick(torrent, peer, requests);
        return requests.accepted;
    }

    /** Accepts up to a capacity without changing the torrent. */
    private static final class Counting implements BlockRequests {
        private final int capacity;
        private int accepted;

        Counting(int capacity) {
            this.capacity = capacity;
        }

        @Override
        public boolean request(int piece, int block) {
            if (accepted == capacity) {
                return false;
            }
            accepted++;
            return true;
        }

        @Override
        public int accepted() {
            return accepted;
        }

        @Override
        public int remaining() {
            return capacity - accepted;
        }
    }

    /**
     * HotSpot's com.sun.management extension, looked up reflectively so that the bundle compiles against the plain
     * Java SE profile; null where it is not available.
     */
    private static Method allocatedBytesMethod() {
        try {
            return Class.forName("com.sun.management.ThreadMXBean").getMethod("getCurrentThreadAllocatedBytes");
        } catch (ReflectiveOperationException e) {
            return null;
        }
    }

    /** Bytes allocated by this thread so far, or -1 where that is not known. */
    private static long allocatedBytes() {
        try {
            return ALLOCATED_BYTES == null ? -1 : (Long) ALLOCATED_BYTES.invoke(THREADS);
        } catch (ReflectiveOperationException e) {
            return -1;
        }
    }
}
