package org.stampede.engine.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.stampede.api.TorrentView;
import org.stampede.engine.AddOptions;
import org.stampede.metainfo.Torrent;
import org.stampede.metainfo.TorrentCreator;

/**
 * The files as a picker sees them where the view contract's plain v1 layout does not go: a hybrid torrent's BEP 47
 * padding files (counted, priority 0, never a piece's file) and a v2 torrent's pieces, which end with their files.
 */
@Timeout(value = 60, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class FilesViewTest {
    private static final int PIECE = 64 * 1024;

    @TempDir
    Path dir;

    /** a.bin: 2.5 pieces; b.bin: 1 piece and 100 bytes; c.bin: 3 pieces. */
    private Torrent torrent(Torrent.Version version) throws Exception {
        Path set = dir.resolve("seed/set");
        Files.createDirectories(set);
        Random r = new Random(9);
        long[] lengths = { 5L * PIECE / 2, PIECE + 100, 3L * PIECE };
        String[] names = { "a.bin", "b.bin", "c.bin" };
        for (int i = 0; i < names.length; i++) {
            byte[] data = new byte[(int) lengths[i]];
            r.nextBytes(data);
            Files.write(set.resolve(names[i]), data);
        }
        return Torrent.parse(TorrentCreator.forSource(set).version(version).pieceLength(PIECE).creationDate(null)
                .create());
    }

    private TorrentView view(Torrent t, EngineImpl engine) throws Exception {
        ManagedTorrent h = (ManagedTorrent) engine.add(t, dir.resolve("leech-" + t.version()), AddOptions.defaults());
        h.checked().get(30, TimeUnit.SECONDS);
        return h.session.state;
    }

    private static List<Integer> fileOfEachPiece(TorrentView v) {
        return IntStream.range(0, v.pieceCount()).map(v::fileOf).boxed().toList();
    }

    @Test
    void paddingFilesAreCountedWithPriorityZeroAndAreNoPiecesFile() throws Exception {
        Torrent t = torrent(Torrent.Version.HYBRID);
        try (EngineImpl engine = TestEngines.create(LoopbackSwarmTest.settings(dir.resolve("s")),
                TestStrategies.registry(), u -> null)) {
            TorrentView v = view(t, engine);
            assertEquals(t.files().size(), v.fileCount());
            int padding = 0;
            for (int f = 0; f < v.fileCount(); f++) {
                assertEquals(t.files().get(f).length(), v.fileLength(f));
                if (t.files().get(f).padding()) {
                    padding++;
                    assertEquals(0, v.filePriority(f), "padding file " + f);
                } else {
                    assertEquals(1, v.filePriority(f));
                }
            }
            assertEquals(2, padding, "a.bin and b.bin are padded to a piece boundary: " + t.files());
            // a.bin: pieces 0-2; b.bin: pieces 3-4 (every file begins a piece); c.bin: pieces 5-7
            assertEquals(List.of(0, 0, 0, 2, 2, 4, 4, 4), fileOfEachPiece(v), "never a padding file");
            assertEquals(List.of(0, 3), List.of(v.fileFirstPiece(0), v.fileEndPiece(0)));
            assertEquals(List.of(3, 5), List.of(v.fileFirstPiece(2), v.fileEndPiece(2)));
            assertEquals(List.of(5, 8), List.of(v.fileFirstPiece(4), v.fileEndPiece(4)));
        }
    }

    @Test
    void aV2TorrentsPiecesEndWithTheirFiles() throws Exception {
        Torrent t = torrent(Torrent.Version.V2);
        try (EngineImpl engine = TestEngines.create(LoopbackSwarmTest.settings(dir.resolve("s")),
                TestStrategies.registry(), u -> null)) {
            TorrentView v = view(t, engine);
            assertEquals(3, v.fileCount());
            assertEquals(List.of(0, 0, 0, 1, 1, 2, 2, 2), fileOfEachPiece(v));
            assertEquals(PIECE / 2, v.pieceLength(2), "a.bin's last piece ends with it");
            assertEquals(100, v.pieceLength(4), "b.bin's too");
            assertEquals(List.of(3, 5), List.of(v.fileFirstPiece(1), v.fileEndPiece(1)));
            long bytes = 0;
            for (int p = 0; p < v.pieceCount(); p++) {
                bytes += v.pieceLength(p);
            }
            long files = 0;
            for (int f = 0; f < v.fileCount(); f++) {
                files += v.fileLength(f);
            }
            assertEquals(files, bytes);
            assertTrue(IntStream.range(0, v.fileCount()).allMatch(f -> v.filePriority(f) == 1));
        }
    }
}
