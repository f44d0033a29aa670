package org.stampede.storage;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import org.stampede.metainfo.Torrent;
import org.stampede.metainfo.TorrentCreator;
import org.stampede.metainfo.TorrentFile;

/**
 * Test data: files of pseudo-random bytes, torrents of them made by {@link TorrentCreator}, and the bytes of each
 * piece computed from the source files independently of the storage code.
 */
final class Fixtures {
    static final int BLOCK = 16 * 1024;
    static final long TIMEOUT_SECONDS = 60;

    private Fixtures() {
    }

    /** Writes {@code length} pseudo-random bytes (fixed seed) to {@code file}, creating its folders. */
    static void randomFile(Path file, long length, long seed) throws IOException {
        Files.createDirectories(file.getParent());
        Random random = new Random(seed);
        byte[] chunk = new byte[64 * 1024];
        try (var out = Files.newOutputStream(file)) {
            for (long left = length; left > 0; left -= chunk.length) {
                random.nextBytes(chunk);
                out.write(chunk, 0, (int) Math.min(left, chunk.length));
            }
        }
    }

    /**
     * The folder {@code <root>/set} used by most tests, with 16 KiB pieces: a.bin 10000, b.bin 3000 (smaller than a
     * block), c.bin 40000, d.empty 0, e.bin 100, f.bin 50000 bytes. In v1 the first piece spans a, b and c, and the
     * last piece (7th) is 4796 bytes.
     */
    static Path mixedSet(Path root) throws IOException {
        Path set = root.resolve("set");
        randomFile(set.resolve("a.bin"), 10_000, 1);
        randomFile(set.resolve("b.bin"), 3_000, 2);
        randomFile(set.resolve("c.bin"), 40_000, 3);
        Files.createFile(set.resolve("d.empty"));
        randomFile(set.resolve("e.bin"), 100, 5);
        randomFile(set.resolve("f.bin"), 50_000, 6);
        return set;
    }

    static Torrent torrent(Path source, Torrent.Version version, long pieceLength) throws Exception {
        return Torrent.parse(TorrentCreator.forSource(source).version(version).pieceLength(pieceLength)
                .creationDate(null).threads(2).create());
    }

    /** The index of the file with this display path. */
    static int fileIndex(Torrent t, String displayPath) {
        for (int i = 0; i < t.files().size(); i++) {
            if (t.files().get(i).displayPath().equals(displayPath)) {
                return i;
            }
        }
        throw new AssertionError("no file " + displayPath);
    }

    /** Where file {@code f} lies under a download folder (independent of FileStorage). */
    static Path fileUnder(Torrent t, Path root, TorrentFile f) {
        Path p = t.isSingleFile() ? root : root.resolve(t.name());
        for (String c : f.path()) {
            p = p.resolve(c);
        }
        return p;
    }

    /** Size of piece {@code p}, computed from the file list. */
    static int pieceSize(Torrent t, int p) {
        long start = p * t.pieceLength();
        long end = 0;
        for (TorrentFile f : t.files()) {
            if (t.version() == Torrent.Version.V2) {
                if (f.length() > 0 && f.offset() <= start && start < f.offset() + f.length()) {
                    end = f.offset() + f.length();
                }
            } else {
                end = Math.max(end, f.offset() + f.length());
            }
        }
        return (int) Math.min(t.pieceLength(), end - start);
    }

    /** The pieces holding bytes of file {@code f}. */
    static List<Integer> piecesOf(Torrent t, int f) {
        TorrentFile file = t.files().get(f);
        List<Integer> out = new ArrayList<>();
        if (file.length() > 0) {
            for (long p = file.offset() / t.pieceLength(); p <= (file.offset() + file.length() - 1)
                    / t.pieceLength(); p++) {
                out.add((int) p);
            }
        }
        return out;
    }

    /** The bytes of piece {@code p} as they lie in the files under {@code root}; padding is zeros. */
    static byte[] piece(Torrent t, Path root, int p) throws IOException {
        long start = p * t.pieceLength();
        byte[] out = new byte[pieceSize(t, p)];
        long end = start + out.length;
        for (TorrentFile f : t.files()) {
            long from = Math.max(start, f.offset());
            long to = Math.min(end, f.offset() + f.length());
            if (from >= to || f.padding()) {
                continue;
            }
            try (RandomAccessFile raf = new RandomAccessFile(fileUnder(t, root, f).toFile(), "r")) {
                raf.seek(from - f.offset());
                raf.readFully(out, (int) (from - start), (int) (to - from));
            }
        }
        return out;
    }

    /** Writes {@code data} as piece {@code p} in 16 KiB blocks, last block first, and waits. */
    static void writePiece(Storage s, int p, byte[] data) throws Exception {
        List<CompletableFuture<Void>> writes = new ArrayList<>();
        for (int off = (data.length - 1) / BLOCK * BLOCK; off >= 0; off -= BLOCK) {
            writes.add(s.writeBlock(p, off, ByteBuffer.wrap(data, off, Math.min(BLOCK, data.length - off))));
        }
        for (CompletableFuture<Void> w : writes) {
            await(w);
        }
    }

    /** Copies every piece from the source files under {@code sourceRoot} into {@code s}. */
    static void writeAll(Storage s, Torrent t, Path sourceRoot) throws Exception {
        for (int p = 0; p < t.pieceCount(); p++) {
            writePiece(s, p, piece(t, sourceRoot, p));
        }
    }

    static <T> T await(CompletableFuture<T> f) throws Exception {
        try {
            return f.get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof Exception cause) {
                throw cause;
            }
            throw e;
        } catch (TimeoutException e) {
            return fail("no result within " + TIMEOUT_SECONDS + " s");
        }
    }

    /** The exception a future failed with; fails the test if it succeeded. */
    static Throwable failure(CompletableFuture<?> f) throws Exception {
        try {
            Object v = f.get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
            return fail("expected a failure, got " + v);
        } catch (ExecutionException e) {
            return e.getCause();
        }
    }

    /** Lists the regular files below {@code dir}, as paths relative to it joined with '/'. */
    static List<String> filesBelow(Path dir) throws IOException {
        List<String> out = new ArrayList<>();
        if (!Files.exists(dir)) {
            return out;
        }
        try (var walk = Files.walk(dir)) {
            walk.filter(Files::isRegularFile).forEach(p -> out.add(dir.relativize(p).toString().replace('\\', '/')));
        }
        out.sort(null);
        return out;
    }

    static void assertSameBytes(Path expected, Path actual) throws IOException {
        assertTrue(Files.exists(actual), actual + " exists");
        assertTrue(java.util.Arrays.equals(Files.readAllBytes(expected), Files.readAllBytes(actual)),
                actual + " has the bytes of " + expected);
    }
}
