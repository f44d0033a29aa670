package org.stampede.storage;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.stampede.metainfo.Torrent;
import org.stampede.metainfo.TorrentFile;

/** Full hash checks, their progress, cancellation, and back-pressure of the disk queue. */
class CheckTest {

    @TempDir
    Path work;
    Path source;
    Path download;
    DiskIo io;

    @BeforeEach
    void setUp() throws Exception {
        source = work.resolve("src");
        Fixtures.mixedSet(source);
        download = work.resolve("dl");
        io = new DiskIo();
    }

    @AfterEach
    void tearDown() {
        io.close();
    }

    private void copySource() throws IOException {
        for (String f : Fixtures.filesBelow(source.resolve("set"))) {
            Path to = download.resolve("set").resolve(f);
            Files.createDirectories(to.getParent());
            Files.copy(source.resolve("set").resolve(f), to, StandardCopyOption.REPLACE_EXISTING);
        }
    }

    private static int pieceAt(Torrent t, String file, long offsetInFile) {
        TorrentFile f = t.files().get(Fixtures.fileIndex(t, file));
        return (int) ((f.offset() + offsetInFile) / t.pieceLength());
    }

    @ParameterizedTest
    @EnumSource(Torrent.Version.class)
    void checkFindsExactlyTheGoodPiecesOfAPartlyCorruptedCopy(Torrent.Version version) throws Exception {
        Torrent t = Fixtures.torrent(source.resolve("set"), version, 16 * 1024);
        copySource();
        Path dl = download.resolve("set");
        BitSet bad = new BitSet();
        try (RandomAccessFile c = new RandomAccessFile(dl.resolve("c.bin").toFile(), "rw")) {
            c.seek(20_000);
            int b = c.read();
            c.seek(20_000);
            c.write(b ^ 0x40);
        }
        bad.set(pieceAt(t, "c.bin", 20_000));
        Files.delete(dl.resolve("e.bin"));
        Fixtures.piecesOf(t, Fixtures.fileIndex(t, "e.bin")).forEach(bad::set);
        try (RandomAccessFile f = new RandomAccessFile(dl.resolve("f.bin").toFile(), "rw")) {
            f.setLength(40_000);
        }
        for (int p = pieceAt(t, "f.bin", 40_000); p <= pieceAt(t, "f.bin", 49_999); p++) {
            bad.set(p);
        }
        BitSet expected = new BitSet();
        expected.set(0, t.pieceCount());
        expected.andNot(bad);

        try (FileStorage s = FileStorage.open(t, download, io)) {
            BitSet good = Fixtures.await(s.check(ProgressListener.NONE));
            assertEquals(expected, good);
            assertEquals(expected, s.verifiedPieces());
        }
    }

    @Test
    void checkReportsProgressForEveryPieceInOrder() throws Exception {
        Torrent t = Fixtures.torrent(source.resolve("set"), Torrent.Version.V1, 16 * 1024);
        copySource();
        List<int[]> calls = java.util.Collections.synchronizedList(new ArrayList<>());
        try (FileStorage s = FileStorage.open(t, download, io)) {
            Fixtures.await(s.check((checked, total) -> calls.add(new int[] { checked, total })));
        }
        assertEquals(t.pieceCount(), calls.size());
        for (int i = 0; i < calls.size(); i++) {
            assertEquals(i + 1, calls.get(i)[0]);
            assertEquals(t.pieceCount(), calls.get(i)[1]);
        }
    }

    @Test
    void checkOfAnEmptyDownloadFolderHashesNothing() throws Exception {
        Torrent t = Fixtures.torrent(source.resolve("set"), Torrent.Version.HYBRID, 16 * 1024);
        try (FileStorage s = FileStorage.open(t, download, io)) {
            assertTrue(Fixtures.await(s.check(ProgressListener.NONE)).isEmpty());
            assertEquals(0, s.piecesHashed.sum());
        }
    }

    @Test
    void checkOfSomePiecesHashesOnlyThose() throws Exception {
        Torrent t = Fixtures.torrent(source.resolve("set"), Torrent.Version.V1, 16 * 1024);
        copySource();
        BitSet some = new BitSet();
        some.set(1);
        some.set(4);
        try (FileStorage s = FileStorage.open(t, download, io)) {
            assertEquals(some, Fixtures.await(s.check(some, ProgressListener.NONE)));
            assertEquals(2, s.piecesHashed.sum());
        }
    }

    @Test
    void listenerThatThrowsFailsTheCheck() throws Exception {
        Torrent t = Fixtures.torrent(source.resolve("set"), Torrent.Version.V1, 16 * 1024);
        try (FileStorage s = FileStorage.open(t, download, io)) {
            Throwable e = Fixtures.failure(s.check((checked, total) -> {
                throw new IllegalStateException("listener bug");
            }));
            assertEquals("listener bug", e.getMessage());
        }
    }

    @Test
    void cancellingACheckStopsIt() throws Exception {
        Torrent t = Fixtures.torrent(source.resolve("set"), Torrent.Version.V1, 16 * 1024);
        copySource();
        DiskIo one = new DiskIo(1, 16, 16);
        CountDownLatch entered = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        try (FileStorage s = FileStorage.open(t, download, one)) {
            CompletableFuture<BitSet> check = s.check((checked, total) -> {
                entered.countDown();
                await(release);
            });
            assertTrue(entered.await(Fixtures.TIMEOUT_SECONDS, TimeUnit.SECONDS));
            check.cancel(false);
            release.countDown();
            Fixtures.await(s.verifyPiece(0)); // queued behind the check's next step
            assertEquals(2, s.piecesHashed.sum(), "the piece being checked, then only verifyPiece");
        } finally {
            release.countDown();
            one.close();
        }
    }

    @Test
    void fullDiskQueueRefusesAtOnceAndAcceptsAgainWhenDrained() throws Exception {
        Torrent t = Fixtures.torrent(source.resolve("set"), Torrent.Version.V1, 16 * 1024);
        DiskIo small = new DiskIo(1, 3, 16);
        CountDownLatch entered = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        try (FileStorage s = FileStorage.open(t, download, small)) {
            byte[] piece = Fixtures.piece(t, source, 0);
            // occupy the only disk thread: a check's listener blocks (a check does not count against the limit)
            CompletableFuture<BitSet> check = s.check((checked, total) -> {
                entered.countDown();
                await(release);
            });
            assertTrue(entered.await(Fixtures.TIMEOUT_SECONDS, TimeUnit.SECONDS));
            List<CompletableFuture<Void>> accepted = new ArrayList<>();
            for (int i = 0; i < 3; i++) {
                accepted.add(s.writeBlock(0, i * 1000, ByteBuffer.wrap(piece, i * 1000, 1000)));
            }
            CompletableFuture<Void> refused = s.writeBlock(0, 3000, ByteBuffer.wrap(piece, 3000, 1000));
            assertTrue(refused.isCompletedExceptionally(), "refused at once, not queued");
            assertInstanceOf(StorageBusyException.class, Fixtures.failure(refused));
            assertEquals(3, small.pending());
            release.countDown();
            for (CompletableFuture<Void> w : accepted) {
                Fixtures.await(w);
            }
            Fixtures.await(check);
            Fixtures.await(s.writeBlock(0, 3000, ByteBuffer.wrap(piece, 3000, 1000)));
            assertEquals(0, small.pending());
        } finally {
            release.countDown();
            small.close();
        }
    }

    private static void await(CountDownLatch latch) {
        try {
            latch.await(Fixtures.TIMEOUT_SECONDS, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
