package org.stampede.picker.sequential;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.lang.reflect.Method;
import java.util.Locale;
import java.util.Random;
import java.util.function.Supplier;

import org.stampede.api.BlockRequests;
import org.stampede.api.PiecePicker;
import org.stampede.api.testing.MutablePieceSet;
import org.stampede.api.testing.TestPeer;
import org.stampede.api.testing.TestTorrent;

/**
 * A benchmark, not a test: the time and allocation of one pick on a large torrent in the picker's main cases.
 * Usage:
 * {@code java -cp <api>:<picker>:<this fragment> org.stampede.picker.sequential.PickerBenchmark [PIECES [SECONDS]]}
 * (defaults 100,000 pieces of 16 blocks, 2 seconds per case). Picks leave the torrent unchanged (the requests
 * are counted, not recorded), so every pick in a case does the same work.
 */
public final class PickerBenchmark {
    private static final int BLOCKS = 16;
    /** How far the torrent's clock moves between picks. */
    private static long clockStep;

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
        Supplier<PiecePicker> sequential = () -> new SequentialPicker(new Random(2),
                SequentialPicker.DEFAULT_WINDOW_BYTES, SequentialPicker.DEFAULT_EDGE_BYTES);
        measure("sequential: window, seed peer", sequential, pieces, seconds, fresh, seed, BLOCKS);
        measure("sequential: 1% peer", sequential, pieces, seconds, fresh, sparse, BLOCKS);
        TestTorrent busy = new TestTorrent(pieces, BLOCKS).verified(0, 1, 2, 3, 4, 5, 6, 7);
        for (int p = 0; p < pieces; p++) {
            busy.availability(p, 1 + random.nextInt(50));
        }
        for (int p = 8; p < 8 + 64; p++) { // the window and the tail edge requested from other peers
            for (int b = 0; b < BLOCKS; b++) {
                busy.requested(p, b).requested(pieces - 1 - (p - 8) % 4, b);
            }
        }
        measure("sequential: rarest fallback, seed peer", sequential, pieces, seconds, busy, seed, BLOCKS);
        clockStep = SequentialPicker.DEADLINE_RESCAN_MILLIS;
        measure("sequential: window + deadline rescan", sequential, pieces, seconds, fresh, seed, BLOCKS);
        clockStep = 0;
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
        measure("sequential: endgame, 3200 blocks", sequential, pieces, seconds, endgame, seed, 8);
    }

    private static void measure(String what, Supplier<PiecePicker> pickers, int pieces, double seconds,
            TestTorrent torrent, TestPeer peer, int capacity) {
        PiecePicker picker = pickers.get();
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
        System.out.printf(Locale.ROOT, "%-40s %7d pieces %10.1f us/pick %8.1f bytes/pick (sink %d)%n",
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

    private static int run(PiecePicker picker, TestTorrent torrent, TestPeer peer, Counting requests) {
        requests.accepted = 0;
        torrent.at(torrent.nowMillis() + clockStep);
        picker.pick(torrent, peer, requests);
        return requests.accepted;
    }
}
