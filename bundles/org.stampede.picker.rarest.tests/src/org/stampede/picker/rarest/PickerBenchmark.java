package org.stampede.picker.rarest;

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
        measure("new piece, seed peer", rarest, pieces, seconds, fresh, seed, BLOCKS);
        measure("new piece, 1% peer", rarest, pieces, seconds, fresh, sparse, BLOCKS);
        TestTorrent started = PickerTiming.startPieces(PickerTiming.fresh(pieces, random), pieces, random);
        measure("200 started pieces", rarest, pieces, seconds, started, seed, 4);
        measure("endgame, 3200 blocks", rarest, pieces, seconds, PickerTiming.endgame(pieces), seed, 8);
    }
}
