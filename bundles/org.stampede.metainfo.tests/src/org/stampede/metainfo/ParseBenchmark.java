package org.stampede.metainfo;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;

import org.stampede.bencode.BencodeDecoder;

/**
 * A benchmark, not a test: bencode decoding and full torrent parsing throughput on the given files.
 * Run by {@code releng/interop/bench_parse.sh}, which compares it with libtorrent in the same run.
 * Usage: {@code java -cp <bencode jar>:<metainfo jar>:<this jar> org.stampede.metainfo.ParseBenchmark SECONDS FILE...}
 */
public final class ParseBenchmark {
    private ParseBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        double seconds = Double.parseDouble(args[0]);
        for (int i = 1; i < args.length; i++) {
            byte[] data = Files.readAllBytes(Path.of(args[i]));
            String name = Path.of(args[i]).getFileName().toString();
            BencodeDecoder decoder = BencodeDecoder.lenient().withLimits(TorrentParser.LIMITS);
            measure("bencode-decode", name, data, seconds, () -> decoder.decode(data));
            measure("torrent-parse", name, data, seconds, () -> Torrent.parse(data));
        }
    }

    interface Work {
        Object run() throws Exception;
    }

    private static void measure(String what, String file, byte[] data, double seconds, Work work) throws Exception {
        long sink = 0;
        long warmEnd = System.nanoTime() + (long) (seconds / 2 * 1e9);
        while (System.nanoTime() < warmEnd) {
            sink += work.run().hashCode() & 1;
        }
        long start = System.nanoTime();
        long end = start + (long) (seconds * 1e9);
        long n = 0;
        while (System.nanoTime() < end) {
            sink += work.run().hashCode() & 1;
            n++;
        }
        double elapsed = (System.nanoTime() - start) / 1e9;
        System.out.printf(Locale.ROOT, "stampede %-15s %-22s %9d bytes %10.1f ops/s %9.1f MiB/s (sink %d)%n", what,
                file, data.length, n / elapsed, n * (double) data.length / elapsed / (1 << 20), sink & 1);
    }
}
