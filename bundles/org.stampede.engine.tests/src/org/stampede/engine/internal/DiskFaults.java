package org.stampede.engine.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.util.BitSet;
import java.util.Random;

import org.stampede.engine.TorrentHandle;
import org.stampede.engine.TorrentStatus;
import org.stampede.metainfo.Torrent;
import org.stampede.metainfo.TorrentCreator;
import org.stampede.metainfo.TorrentFile;

/**
 * What the storage-failure tests share: their data, and the checks that a torrent stopped for good and that what it
 * reports as verified is on disk, read back here independently of the storage code.
 */
final class DiskFaults {
    private DiskFaults() {
    }

    /** Writes {@code length} pseudo-random bytes (fixed seed) to {@code file}, creating its folders. */
    static byte[] randomFile(Path file, int length, long seed) throws IOException {
        byte[] b = new byte[length];
        new Random(seed).nextBytes(b);
        Files.createDirectories(file.getParent());
        Files.write(file, b);
        return b;
    }

    static Torrent v1(Path source, long pieceLength) throws Exception {
        return Torrent.parse(TorrentCreator.forSource(source).version(Torrent.Version.V1).pieceLength(pieceLength)
                .creationDate(null).create());
    }

    /**
     * The torrent stops for good: state ERROR with a reason that mentions {@code mentions}, its connections closed,
     * and nothing more downloaded for a second and a half (no loop).
     *
     * @return the reason
     */
    static String assertStopsWithError(TorrentHandle h, String... mentions) throws InterruptedException {
        Waits.await(() -> h.status().state() == TorrentStatus.State.ERROR, "the torrent stops: " + h.status());
        String error = h.status().error();
        for (String m : mentions) {
            assertTrue(error != null && error.contains(m), "the reason mentions '" + m + "': " + error);
        }
        Waits.await(() -> h.peers().isEmpty(), "its connections close");
        long downloaded = h.status().downloaded();
        Thread.sleep(1500);
        assertEquals(downloaded, h.status().downloaded(), "nothing is downloaded again while stopped");
        assertEquals(TorrentStatus.State.ERROR, h.status().state(), "it stays stopped: " + h.status());
        assertTrue(h.peers().isEmpty(), "no peer is connected again: " + h.peers());
        return error;
    }

    /** The pieces the handle reports as verified (state have). */
    static BitSet reported(TorrentHandle h) {
        byte[] states = new byte[h.torrent().pieceCount()];
        h.pieces(states, null);
        BitSet out = new BitSet();
        for (int p = 0; p < states.length; p++) {
            if (states[p] == TorrentHandle.PIECE_HAVE) {
                out.set(p);
            }
        }
        return out;
    }

    /** Every piece in {@code pieces} is on disk under {@code dir} with the torrent's hash. */
    static void assertOnDisk(Torrent t, Path dir, BitSet pieces, String what) throws Exception {
        for (int p = pieces.nextSetBit(0); p >= 0; p = pieces.nextSetBit(p + 1)) {
            byte[] sha1 = MessageDigest.getInstance("SHA-1").digest(piece(t, dir, p));
            assertArrayEquals(t.pieceHashV1(p), sha1, what + ": piece " + p + " is on disk with its hash");
        }
    }

    /** The bytes of piece {@code p} of a v1 torrent as they lie under {@code dir}; missing bytes read as zeros. */
    static byte[] piece(Torrent t, Path dir, int p) throws IOException {
        long start = p * t.pieceLength();
        long end = Math.min(start + t.pieceLength(), t.totalLength());
        byte[] out = new byte[(int) (end - start)];
        for (TorrentFile f : t.files()) {
            long from = Math.max(start, f.offset());
            long to = Math.min(end, f.offset() + f.length());
            if (from >= to || f.padding()) {
                continue;
            }
            Path file = t.isSingleFile() ? dir.resolve(t.name()) : dir.resolve(t.name());
            if (!t.isSingleFile()) {
                for (String c : f.path()) {
                    file = file.resolve(c);
                }
            }
            try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
                ByteBuffer b = ByteBuffer.wrap(out, (int) (from - start), (int) (to - from));
                long pos = from - f.offset();
                while (b.hasRemaining()) {
                    int n = ch.read(b, pos);
                    if (n < 0) {
                        break;
                    }
                    pos += n;
                }
            } catch (NoSuchFileException e) {
                // zeros
            }
        }
        return out;
    }

    static byte[] sha256(Path file) throws Exception {
        return MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(file));
    }
}
