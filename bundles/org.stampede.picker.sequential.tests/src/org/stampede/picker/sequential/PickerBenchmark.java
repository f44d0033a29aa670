package org.stampede.picker.sequential;

import static org.stampede.api.testing.PickerTiming.BLOCKS;
import static org.stampede.api.testing.PickerTiming.measure;

import java.util.Random;
import java.util.function.Supplier;

import org.stampede.api.PiecePicker;
import org.stampede.api.TorrentView;
import org.stampede.api.testing.PickerTiming;
import org.stampede.api.testing.TestPeer;
import org.stampede.api.testing.TestTorrent;

/**
 * A benchmark, not a test: the time and allocation of one pick on a large torrent in the picker's main cases.
 * Usage:
 * {@code java -cp <api>:<api.testing>:<picker>:<this fragment>
 *     org.stampede.picker.sequential.PickerBenchmark [PIECES [SECONDS]]}
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
        Supplier<PiecePicker> sequential = () -> new SequentialPicker(new Random(2),
                SequentialPicker.DEFAULT_WINDOW_BYTES, SequentialPicker.DEFAULT_EDGE_BYTES);
        measure("sequential: window, seed peer", sequential, pieces, seconds, fresh, seed, BLOCKS);
        measure("sequential: 1% peer", sequential, pieces, seconds, fresh, sparse, BLOCKS);
        TestTorrent busy = PickerTiming.fresh(pieces, random);
        for (int p = 8; p < 8 + 64; p++) { // the window and the tail edge requested from other peers
            for (int b = 0; b < BLOCKS; b++) {
                busy.requested(p, b).requested(pieces - 1 - (p - 8) % 4, b);
            }
        }
        measure("sequential: rarest fallback, seed peer", sequential, pieces, seconds, busy, seed, BLOCKS);
        TestTorrent files = PickerTiming.fresh(pieces, random);
        long total = (long) pieces * BLOCKS * TorrentView.BLOCK_SIZE;
        long[] lengths = new long[1_000];
        java.util.Arrays.fill(lengths, total / lengths.length);
        lengths[lengths.length - 1] += total % lengths.length;
        files.files(lengths);
        measure("sequential: window, 1,000 files", sequential, pieces, seconds, files, seed, BLOCKS);
        measure("sequential: endgame, 3200 blocks", sequential, pieces, seconds, PickerTiming.endgame(pieces), seed,
                8);
    }
}
