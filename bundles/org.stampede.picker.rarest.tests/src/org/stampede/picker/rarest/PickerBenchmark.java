package org.stampede.picker.rarest;

import static org.stampede.api.testing.PickerTiming.BLOCKS;
import static org.stampede.api.testing.PickerTiming.measure;

import java.util.Locale;
import java.util.Random;
import java.util.function.Supplier;

import org.stampede.api.PiecePicker;
import org.stampede.api.testing.MutablePieceSet;
import org.stampede.api.testing.PickerTiming;
import org.stampede.api.testing.TestPeer;
import org.stampede.api.testing.TestTorrent;

/**
 * A benchmark, not a test: the time and allocation of one pick on a large torrent in the picker's main cases.
 * Usage:
 * {@code java -cp <api>:<api.testing>:<picker>:<this fragment>
 *     org.stampede.picker.rarest.PickerBenchmark [PIECES [SECONDS]]}
 * (defaults 100,000 pieces of 16 blocks, 2 seconds per case; {@link PickerTiming} does the measuring).
 */
public final class PickerBenchmark {
    private PickerBenchmark() {
    }

    public static void main(String[] args) {
        int pieces = args.length > 0 ? Integer.parseInt(args[0]) : 100_000;
        double seconds = args.length > 1 ? Double.parseDouble(args[1]) : 2;
        Random random = new Random(1);
        TestTorrent fresh = PickerTiming.fresh(pieces, random);
        TestPeer seed = TestPeer.seed(pieces);
        TestPeer sparse = PickerTiming.sparsePeer(pieces);
        Supplier<PiecePicker> rarest = () -> new RarestFirstPicker(new Random(2));
        Supplier<PiecePicker> scanOnly = () -> new RarestFirstPicker(new Random(2), false);
        measure("new piece, seed peer (kept order)", rarest, pieces, seconds, fresh, seed, BLOCKS);
        measure("new piece, seed peer (scan)", scanOnly, pieces, seconds, fresh, seed, BLOCKS);
        measure("new piece, 1% peer", rarest, pieces, seconds, fresh, sparse, BLOCKS);
        news(pieces, seconds, random);
        TestTorrent started = PickerTiming.startPieces(PickerTiming.fresh(pieces, random), pieces, random);
        measure("200 started pieces", rarest, pieces, seconds, started, seed, 4);
        measure("endgame, 3200 blocks", rarest, pieces, seconds, PickerTiming.endgame(pieces), seed, 8);
    }

    /**
     * What keeping the order costs: a {@code have} (one piece, one bucket up) and a peer of every piece coming or
     * going (one call naming them all), each told to a picker whose order is built.
     */
    private static void news(int pieces, double seconds, Random random) {
        TestTorrent t = PickerTiming.fresh(pieces, random);
        RarestFirstPicker picker = new RarestFirstPicker(new Random(3));
        TestPeer seed = TestPeer.seed(pieces);
        t.pick(picker, seed, 1);
        MutablePieceSet one = new MutablePieceSet(pieces);
        long end = System.nanoTime() + (long) (seconds * 1e9);
        long n = 0;
        long start = System.nanoTime();
        while (System.nanoTime() < end) {
            int p = random.nextInt(pieces);
            one.set(p, true);
            t.availability(p, t.availability(p) + 1);
            picker.availabilityChanged(t, one);
            t.availability(p, t.availability(p) - 1);
            picker.availabilityChanged(t, one);
            one.clear(); // as the engine clears its set of news once told
            n += 2;
        }
        System.out.printf(Locale.ROOT, "%-40s %7d pieces %10.3f us/have%n", "news: a have told", pieces,
                (System.nanoTime() - start) / 1e3 / n);
        t.forgetNews();
        n = 0;
        end = System.nanoTime() + (long) (seconds * 1e9);
        start = System.nanoTime();
        while (System.nanoTime() < end) {
            t.connect(seed).tell(picker);
            t.disconnect(seed).tell(picker);
            n += 2;
        }
        System.out.printf(Locale.ROOT, "%-40s %7d pieces %10.1f us/peer%n", "news: a seed comes or goes", pieces,
                (System.nanoTime() - start) / 1e3 / n);
    }
}
