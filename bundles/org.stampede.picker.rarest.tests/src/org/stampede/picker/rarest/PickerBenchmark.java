package org.stampede.picker.rarest;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.lang.reflect.Method;
import java.util.Locale;
import java.util.Random;

import org.stampede.api.BlockRequests;
import org.stampede.api.testing.MutablePieceSet;
import org.stampede.api.testing.TestPeer;
import org.stampede.api.testing.TestTorrent;

/**
 * A benchmark, not a test: the time and allocation of one pick on a large torrent in the picker's main cases.
 * Usage: {@code java -cp <api>:<picker>:<this fragment> org.stampede.picker.rarest.PickerBenchmark [PIECES [SECONDS]]}
 * (defaults 100,000 pieces of 16 blocks, 2 seconds per case). Picks leave the torrent unchanged (the requests
 * are counted, not recorded), so every pick in a case does the same work.
 */
public final class PickerBenchmark {
    private static final int BLOCKS = 16;

    private PickerBenchmark() {
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

    public static void main(String[] args) {
        int pieces = args.length > 0 ? Integer.parseInt(args[0]) : 100_000;
        double seconds = args.length > 1 ? Double.parseDouble(args[1]) : 2;
        Random random = new Random(1);

        TestTorrent fresh = new TestTorrent(pieces, BLOCKS).verified(0, 1, 2, 3, 4, 5, 6, 7);
        for (int p = 0; p < pieces; p++) {
            fresh.availability(p, 1 + random.nextInt(50));
        }
        TestPeer seed = TestPeer.seed(pieces);
        MutablePieceSet some = new MutablePieceSet(pieces);
        for (int p = 0; p < pieces; p += 100) {
            some.add(p);
        }
        TestPeer sparse = new TestPeer(some);
        measure("new piece, seed peer", pieces, seconds, fresh, seed, BLOCKS);
        measure("new piece, 1% peer", pieces, seconds, fresh, sparse, BLOCKS);

        TestTorrent started = new TestTorrent(pieces, BLOCKS).verified(0, 1, 2, 3, 4, 5, 6, 7);
        for (int p = 0; p < pieces; p++) {
            started.availability(p, 1 + random.nextInt(50));
        }
        for (int i = 0; i < 200; i++) {
            int p = 8 + random.nextInt(pieces - 8);
            for (int b = 0; b < BLOCKS / 2; b++) {
                started.received(p, b);
            }
        }
        measure("200 started pieces", pieces, seconds, started, seed, 4);

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
        endgame.endgame(true);
        measure("endgame, 3200 blocks", pieces, seconds, endgame, seed, 8);
    }

    private static void measure(String what, int pieces, double seconds, TestTorrent torrent, TestPeer peer,
            int capacity) {
        RarestFirstPicker picker = new RarestFirstPicker(new Random(2));
        Counting requests = new Counting(capacity);
        long warmEnd = System.nanoTime() + (long) (seconds / 2 * 1e9);
        long sink = 0;
        while (System.nanoTime() < warmEnd) {
            sink += run(picker, torrent, peer, requests);
        }
        long allocatedBefore = allocatedBytes();
        long start = System.nanoTime();
        long end = start + (long) (seconds * 1e9);
        long n = 0;
        while (System.nanoTime() < end) {
            sink += run(picker, torrent, peer, requests);
            n++;
        }
        long elapsed = System.nanoTime() - start;
        long allocated = allocatedBytes() - allocatedBefore;
        System.out.printf(Locale.ROOT, "rarest-first %-22s %7d pieces %10.1f us/pick %8.1f bytes/pick (sink %d)%n",
                what, pieces, elapsed / 1e3 / n, allocated / (double) n, sink & 1);
    }

    private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();
    private static final Method ALLOCATED_BYTES = allocatedBytesMethod();

    /**
     * HotSpot's com.sun.management extension, looked up reflectively so that the fragment compiles against the
     * plain Java SE profile; null where it is not available.
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

    private static int run(RarestFirstPicker picker, TestTorrent torrent, TestPeer peer, Counting requests) {
        requests.accepted = 0;
        picker.pick(torrent, peer, requests);
        return requests.accepted;
    }
}
