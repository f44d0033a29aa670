package org.stampede.picker.random;

import static org.stampede.api.testing.PickerTiming.BLOCKS;
import static org.stampede.api.testing.PickerTiming.measure;

import java.util.Random;
import java.util.function.Supplier;

import org.stampede.api.PiecePicker;
import org.stampede.api.testing.PickerTiming;
import org.stampede.api.testing.TestPeer;
import org.stampede.api.testing.TestTorrent;

/**
 * A benchmark, not a test: the time and allocation of one pick on a large torrent in the picker's main cases.
 * Usage:
 * {@code java -cp <api>:<api.testing>:<picker>:<this fragment>
 *     org.stampede.picker.random.PickerBenchmark [PIECES [SECONDS]]}
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
        TestTorrent early = new TestTorrent(pieces, BLOCKS).verified(0, 1);
        Supplier<PiecePicker> classic = () -> new ClassicPicker(new Random(2), ClassicPicker.RANDOM_FIRST_PIECES);
        Supplier<PiecePicker> uniform = () -> new ClassicPicker(new Random(2), ClassicPicker.ALWAYS_RANDOM);
        measure("random-first: new piece, seed peer", classic, pieces, seconds, fresh, seed, BLOCKS);
        measure("random-first: new piece, 1% peer", classic, pieces, seconds, fresh, sparse, BLOCKS);
        measure("random-first: random phase, seed peer", classic, pieces, seconds, early, seed, BLOCKS);
        measure("random: new piece, seed peer", uniform, pieces, seconds, fresh, seed, BLOCKS);
        TestTorrent started = PickerTiming.startPieces(
                new TestTorrent(pieces, BLOCKS).verified(0, 1, 2, 3, 4, 5, 6, 7), pieces, random);
        measure("random-first: 200 started pieces", classic, pieces, seconds, started, seed, 4);
        measure("random-first: endgame, 3200 blocks", classic, pieces, seconds, PickerTiming.endgame(pieces), seed,
                8);
    }
}
