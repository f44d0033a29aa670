package org.stampede.storage;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;
import java.util.concurrent.CompletableFuture;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.stampede.metainfo.Torrent;

/** Writing, reading and verifying blocks; files on disk; priorities; argument checks. */
class FileStorageTest {

    @TempDir
    Path work;
    Path source;
    Path download;
    DiskIo io;

    @BeforeEach
    void setUp() throws Exception {
        Fixtures.mixedSet(work.resolve("src"));
        source = work.resolve("src");
        download = work.resolve("dl");
        io = new DiskIo();
    }

    @AfterEach
    void tearDown() {
        io.close();
    }

    private Torrent torrent(Torrent.Version v) throws Exception {
        return Fixtures.torrent(source.resolve("set"), v, 16 * 1024);
    }

    @Test
    void blocksWrittenOutOfOrderVerify() throws Exception {
        Torrent t = torrent(Torrent.Version.V1);
        try (FileStorage s = FileStorage.open(t, download, io)) {
            Fixtures.writeAll(s, t, source); // blocks last to first
            for (int p = t.pieceCount() - 1; p >= 0; p--) {
                assertTrue(Fixtures.await(s.verifyPiece(p)), "piece " + p);
            }
            assertEquals(t.pieceCount(), s.verifiedPieces().cardinality());
        }
    }

    @Test
    void pieceWithAWrongByteFailsToVerify() throws Exception {
        Torrent t = torrent(Torrent.Version.V1);
        try (FileStorage s = FileStorage.open(t, download, io)) {
            byte[] data = Fixtures.piece(t, source, 2);
            data[1234] ^= 1;
            Fixtures.writePiece(s, 2, data);
            assertFalse(Fixtures.await(s.verifyPiece(2)));
            assertFalse(s.verifiedPieces().get(2));
        }
    }

    @Test
    void pieceSpanningThreeFilesIsSplitIntoThem() throws Exception {
        Torrent t = torrent(Torrent.Version.V1);
        try (FileStorage s = FileStorage.open(t, download, io)) {
            Fixtures.writePiece(s, 0, Fixtures.piece(t, source, 0)); // a 10000, b 3000, c 3384
            s.flush();
        }
        Fixtures.assertSameBytes(source.resolve("set/a.bin"), download.resolve("set/a.bin"));
        Fixtures.assertSameBytes(source.resolve("set/b.bin"), download.resolve("set/b.bin"));
        byte[] c = Files.readAllBytes(download.resolve("set/c.bin"));
        assertEquals(3384, c.length, "c.bin holds only the first piece's part so far");
        assertArrayEquals(java.util.Arrays.copyOf(Files.readAllBytes(source.resolve("set/c.bin")), 3384), c);
    }

    @Test
    void allFilesEqualTheSourceAfterEveryPieceIsWritten() throws Exception {
        for (Torrent.Version v : Torrent.Version.values()) {
            Torrent t = torrent(v);
            Path dl = download.resolve(v.name());
            try (FileStorage s = FileStorage.open(t, dl, io)) {
                Fixtures.writeAll(s, t, source);
            }
            assertEquals(Fixtures.filesBelow(source.resolve("set")), Fixtures.filesBelow(dl.resolve("set")), "" + v);
            for (String f : Fixtures.filesBelow(source.resolve("set"))) {
                Fixtures.assertSameBytes(source.resolve("set").resolve(f), dl.resolve("set").resolve(f));
            }
        }
    }

    @Test
    void paddingFilesAreNeverCreated() throws Exception {
        Torrent t = torrent(Torrent.Version.HYBRID);
        assertTrue(t.files().stream().anyMatch(f -> f.padding()), "the hybrid torrent has padding files");
        try (FileStorage s = FileStorage.open(t, download, io)) {
            Fixtures.writeAll(s, t, source);
            for (int p = 0; p < t.pieceCount(); p++) {
                assertTrue(Fixtures.await(s.verifyPiece(p)), "piece " + p);
            }
        }
        assertFalse(Files.exists(download.resolve("set/.pad")));
        assertEquals(List.of("a.bin", "b.bin", "c.bin", "d.empty", "e.bin", "f.bin"),
                Fixtures.filesBelow(download.resolve("set")));
    }

    @Test
    void paddingReadsAsZeros() throws Exception {
        Torrent t = torrent(Torrent.Version.HYBRID);
        try (FileStorage s = FileStorage.open(t, download, io)) {
            Fixtures.writePiece(s, 0, Fixtures.piece(t, source, 0)); // a.bin (10000) + 6384 of padding
            ByteBuffer b = Fixtures.await(s.readBlock(0, 9000, 7384));
            assertEquals(7384, b.remaining());
            byte[] expected = new byte[7384];
            System.arraycopy(Files.readAllBytes(source.resolve("set/a.bin")), 9000, expected, 0, 1000);
            byte[] actual = new byte[7384];
            b.get(actual);
            assertArrayEquals(expected, actual);
        }
    }

    @Test
    void readBlockReturnsWhatWasWrittenAcrossFiles() throws Exception {
        Torrent t = torrent(Torrent.Version.V1);
        try (FileStorage s = FileStorage.open(t, download, io)) {
            byte[] piece = Fixtures.piece(t, source, 0);
            Fixtures.writePiece(s, 0, piece);
            ByteBuffer b = Fixtures.await(s.readBlock(0, 9_000, 5_000)); // end of a, all of b, start of c
            assertEquals(0, b.position());
            assertEquals(5_000, b.limit());
            byte[] got = new byte[5_000];
            b.get(got);
            assertArrayEquals(java.util.Arrays.copyOfRange(piece, 9_000, 14_000), got);
        }
    }

    @Test
    void readBlockOfDataNotOnDiskFails() throws Exception {
        Torrent t = torrent(Torrent.Version.V1);
        try (FileStorage s = FileStorage.open(t, download, io)) {
            Throwable e = Fixtures.failure(s.readBlock(3, 0, 1000));
            assertInstanceOf(StorageException.class, e);
            assertTrue(e.getMessage().contains("not on disk"), e.getMessage());
        }
    }

    @Test
    void readBlockLongerThanTheLimitFailsWithoutIo() throws Exception {
        Path big = work.resolve("big");
        Fixtures.randomFile(big.resolve("x.bin"), 1 << 20, 9);
        Torrent t = Fixtures.torrent(big, Torrent.Version.V1, 1 << 20);
        try (FileStorage s = FileStorage.open(t, download, io)) {
            Throwable e = Fixtures.failure(s.readBlock(0, 0, Storage.MAX_READ_LENGTH + 1));
            assertTrue(e.getMessage().contains("a read is 1 to"), e.getMessage());
        }
    }

    @Test
    void readBlockIntoABufferFillsItFromItsPositionAndKeepsPositionAndLimit() throws Exception {
        Torrent t = torrent(Torrent.Version.V1);
        try (FileStorage s = FileStorage.open(t, download, io)) {
            byte[] piece = Fixtures.piece(t, source, 0);
            Fixtures.writePiece(s, 0, piece);
            ByteBuffer into = ByteBuffer.allocateDirect(5_013).position(13);
            ByteBuffer b = Fixtures.await(s.readBlock(0, 9_000, into)); // end of a, all of b, start of c
            assertTrue(b == into);
            assertEquals(13, b.position());
            assertEquals(5_013, b.limit());
            byte[] got = new byte[5_000];
            b.get(got);
            assertArrayEquals(java.util.Arrays.copyOfRange(piece, 9_000, 14_000), got);
        }
    }

    @Test
    void readBlockIntoABufferWritesZerosForPadding() throws Exception {
        Torrent t = torrent(Torrent.Version.HYBRID);
        try (FileStorage s = FileStorage.open(t, download, io)) {
            Fixtures.writePiece(s, 0, Fixtures.piece(t, source, 0)); // a.bin (10000) + 6384 of padding
            ByteBuffer into = ByteBuffer.allocateDirect(7384);
            while (into.hasRemaining()) {
                into.put((byte) 0xff); // a reused buffer holds an older block
            }
            Fixtures.await(s.readBlock(0, 9000, into.clear()));
            byte[] expected = new byte[7384];
            System.arraycopy(Files.readAllBytes(source.resolve("set/a.bin")), 9000, expected, 0, 1000);
            byte[] actual = new byte[7384];
            into.get(actual);
            assertArrayEquals(expected, actual);
        }
    }

    @Test
    void readBlockIntoAnEmptyBufferFails() throws Exception {
        Torrent t = torrent(Torrent.Version.V1);
        try (FileStorage s = FileStorage.open(t, download, io)) {
            Fixtures.writePiece(s, 0, Fixtures.piece(t, source, 0));
            Throwable e = Fixtures.failure(s.readBlock(0, 0, ByteBuffer.allocate(10).position(10)));
            assertTrue(e.getMessage().contains("a read is 1 to"), e.getMessage());
        }
    }

    @Test
    void blockOutsideItsPieceIsRefused() throws Exception {
        Torrent t = torrent(Torrent.Version.V1);
        try (FileStorage s = FileStorage.open(t, download, io)) {
            int last = t.pieceCount() - 1;
            int size = s.pieceSize(last);
            assertInstanceOf(StorageException.class,
                    Fixtures.failure(s.writeBlock(last, size - 10, ByteBuffer.allocate(11))));
            assertInstanceOf(StorageException.class, Fixtures.failure(s.writeBlock(-1, 0, ByteBuffer.allocate(1))));
            assertInstanceOf(StorageException.class,
                    Fixtures.failure(s.writeBlock(t.pieceCount(), 0, ByteBuffer.allocate(1))));
            assertInstanceOf(StorageException.class, Fixtures.failure(s.writeBlock(0, -1, ByteBuffer.allocate(1))));
            assertInstanceOf(StorageException.class, Fixtures.failure(s.writeBlock(0, 0, ByteBuffer.allocate(0))));
            assertInstanceOf(StorageException.class, Fixtures.failure(s.verifyPiece(t.pieceCount())));
        }
        assertFalse(Files.exists(download), "nothing was created");
    }

    @Test
    void writeLeavesTheCallersBufferPositionAndLimitAsGiven() throws Exception {
        Torrent t = torrent(Torrent.Version.V1);
        try (FileStorage s = FileStorage.open(t, download, io)) {
            byte[] piece = Fixtures.piece(t, source, 0);
            ByteBuffer b = ByteBuffer.wrap(piece, 100, 14_000); // crosses a -> b -> c
            Fixtures.await(s.writeBlock(0, 100, b));
            assertEquals(100, b.position());
            assertEquals(14_100, b.limit());
        }
    }

    @Test
    void directBuffersAreWrittenToo() throws Exception {
        Torrent t = torrent(Torrent.Version.V1);
        try (FileStorage s = FileStorage.open(t, download, io)) {
            byte[] piece = Fixtures.piece(t, source, 1);
            ByteBuffer direct = ByteBuffer.allocateDirect(piece.length).put(piece).flip();
            Fixtures.await(s.writeBlock(1, 0, direct));
            assertTrue(Fixtures.await(s.verifyPiece(1)));
        }
    }

    @Test
    void writingAVerifiedPieceForgetsThatItWasVerified() throws Exception {
        Torrent t = torrent(Torrent.Version.V1);
        try (FileStorage s = FileStorage.open(t, download, io)) {
            byte[] piece = Fixtures.piece(t, source, 1);
            Fixtures.writePiece(s, 1, piece);
            assertTrue(Fixtures.await(s.verifyPiece(1)));
            Fixtures.await(s.writeBlock(1, 0, ByteBuffer.wrap(piece, 0, 100)));
            assertFalse(s.verifiedPieces().get(1));
        }
    }

    @Test
    void verifyingAPieceWhoseFileIsMissingIsFalseWithoutHashing() throws Exception {
        Torrent t = torrent(Torrent.Version.V1);
        try (FileStorage s = FileStorage.open(t, download, io)) {
            assertFalse(Fixtures.await(s.verifyPiece(4)));
            assertEquals(0, s.piecesHashed.sum());
        }
    }

    @Test
    void nothingIsCreatedBeforeTheFirstWrite() throws Exception {
        Torrent t = torrent(Torrent.Version.V1);
        try (FileStorage s = FileStorage.open(t, download, io)) {
            Fixtures.await(s.check(ProgressListener.NONE));
            assertFalse(Fixtures.await(s.verifyPiece(0)));
            s.flush();
        }
        assertFalse(Files.exists(download));
    }

    @Test
    void wantedEmptyFilesAreCreatedByTheFlushAfterAWrite() throws Exception {
        Torrent t = torrent(Torrent.Version.V1);
        try (FileStorage s = FileStorage.open(t, download, io)) {
            Fixtures.writePiece(s, 6, Fixtures.piece(t, source, 6));
            assertFalse(Files.exists(download.resolve("set/d.empty")));
            s.flush();
        }
        assertTrue(Files.isRegularFile(download.resolve("set/d.empty")));
        assertEquals(0, Files.size(download.resolve("set/d.empty")));
    }

    @Test
    void skippedEmptyFileIsNotCreated() throws Exception {
        Torrent t = torrent(Torrent.Version.V1);
        try (FileStorage s = FileStorage.open(t, download, io)) {
            s.setFilePriority(Fixtures.fileIndex(t, "d.empty"), 0);
            Fixtures.writePiece(s, 6, Fixtures.piece(t, source, 6));
        }
        assertTrue(Files.exists(download.resolve("set/f.bin")));
        assertFalse(Files.exists(download.resolve("set/d.empty")));
    }

    @Test
    void writesLeaveHolesSparse() throws Exception {
        Torrent t = torrent(Torrent.Version.V1);
        try (FileStorage s = FileStorage.open(t, download, io)) {
            Fixtures.writePiece(s, 6, Fixtures.piece(t, source, 6)); // the end of f.bin only
        }
        assertEquals(50_000, Files.size(download.resolve("set/f.bin")), "f.bin has its full length");
        assertFalse(Files.exists(download.resolve("set/a.bin")), "a.bin was not touched");
    }

    @Test
    void skippedFileIsNotCreatedWhenNoWantedPieceTouchesIt() throws Exception {
        Torrent t = torrent(Torrent.Version.V2); // v2: every piece in one file
        int c = Fixtures.fileIndex(t, "c.bin");
        try (FileStorage s = FileStorage.open(t, download, io)) {
            s.setFilePriority(c, 0);
            BitSet wanted = s.wantedPieces();
            for (int p = 0; p < t.pieceCount(); p++) {
                if (wanted.get(p)) {
                    Fixtures.writePiece(s, p, Fixtures.piece(t, source, p));
                }
            }
        }
        assertFalse(Files.exists(download.resolve("set/c.bin")));
        assertTrue(Files.exists(download.resolve("set/a.bin")));
    }

    @Test
    void piecesOnlyOfSkippedFilesAreNotWanted() throws Exception {
        Torrent t = torrent(Torrent.Version.V1);
        int f = Fixtures.fileIndex(t, "f.bin"); // bytes 53100 .. 103100: pieces 3 (shared with c, e) to 6
        try (FileStorage s = FileStorage.open(t, download, io)) {
            s.setFilePriority(f, 0);
            BitSet expected = new BitSet();
            expected.set(0, 4);
            assertEquals(expected, s.wantedPieces());
            s.setFilePriority(f, 1);
            expected.set(0, 7);
            assertEquals(expected, s.wantedPieces());
        }
    }

    @Test
    void writingAPieceThatIsNotWantedIsRefused() throws Exception {
        Torrent t = torrent(Torrent.Version.V1);
        try (FileStorage s = FileStorage.open(t, download, io)) {
            s.setFilePriority(Fixtures.fileIndex(t, "f.bin"), 0);
            Throwable e = Fixtures.failure(s.writeBlock(5, 0, ByteBuffer.wrap(Fixtures.piece(t, source, 5))));
            assertTrue(e.getMessage().contains("not wanted"), e.getMessage());
        }
        assertFalse(Files.exists(download.resolve("set/f.bin")));
    }

    @Test
    void pieceSharedWithASkippedFileIsWrittenIntoBoth() throws Exception {
        Torrent t = torrent(Torrent.Version.V1);
        try (FileStorage s = FileStorage.open(t, download, io)) {
            s.setFilePriority(Fixtures.fileIndex(t, "b.bin"), 0); // b lies in piece 0 with a and c
            assertTrue(s.wantedPieces().get(0));
            Fixtures.writePiece(s, 0, Fixtures.piece(t, source, 0));
            assertTrue(Fixtures.await(s.verifyPiece(0)));
        }
        Fixtures.assertSameBytes(source.resolve("set/b.bin"), download.resolve("set/b.bin"));
    }

    @Test
    void priorityOutsideZeroToSevenIsRejected() throws Exception {
        Torrent t = torrent(Torrent.Version.V1);
        try (FileStorage s = FileStorage.open(t, download, io)) {
            assertThrows(IllegalArgumentException.class, () -> s.setFilePriority(0, 8));
            assertThrows(IllegalArgumentException.class, () -> s.setFilePriority(0, -1));
            assertThrows(IndexOutOfBoundsException.class, () -> s.setFilePriority(t.files().size(), 1));
        }
    }

    @Test
    void operationsAfterCloseFail() throws Exception {
        Torrent t = torrent(Torrent.Version.V1);
        FileStorage s = FileStorage.open(t, download, io);
        s.close();
        Throwable e = Fixtures.failure(s.writeBlock(0, 0, ByteBuffer.allocate(10)));
        assertTrue(e.getMessage().contains("closed"), e.getMessage());
        assertTrue(Fixtures.failure(s.check(ProgressListener.NONE)).getMessage().contains("closed"));
        s.close(); // twice does nothing
    }

    @Test
    void closeOnADiskThreadIsRefused() throws Exception {
        Torrent t = torrent(Torrent.Version.V1);
        FileStorage s = FileStorage.open(t, download, io);
        try {
            Throwable[] thrown = new Throwable[1];
            BitSet one = new BitSet();
            one.set(0);
            Fixtures.await(s.check(one, (checked, total) -> {
                try {
                    s.close();
                } catch (Exception | Error e) {
                    thrown[0] = e;
                }
            }));
            assertInstanceOf(IllegalStateException.class, thrown[0]);
            assertFalse(Fixtures.await(s.verifyPiece(0)), "and the storage is still open");
        } finally {
            s.close();
        }
    }

    @Test
    void closeWaitsForAcceptedWrites() throws Exception {
        Torrent t = torrent(Torrent.Version.V1);
        List<CompletableFuture<Void>> writes = new ArrayList<>();
        try (FileStorage s = FileStorage.open(t, download, io)) {
            for (int p = 0; p < t.pieceCount(); p++) {
                writes.add(s.writeBlock(p, 0, ByteBuffer.wrap(Fixtures.piece(t, source, p))));
            }
        }
        for (CompletableFuture<Void> w : writes) {
            assertTrue(w.isDone() && !w.isCompletedExceptionally(), "every accepted write finished before close");
        }
        for (String f : List.of("a.bin", "b.bin", "c.bin", "e.bin", "f.bin")) {
            Fixtures.assertSameBytes(source.resolve("set").resolve(f), download.resolve("set").resolve(f));
        }
    }

    @Test
    void singleFileTorrentIsTheFileInTheDownloadFolder() throws Exception {
        Path one = source.resolve("movie.bin");
        Fixtures.randomFile(one, 100_000, 7);
        Torrent t = Fixtures.torrent(one, Torrent.Version.HYBRID, 32 * 1024);
        try (FileStorage s = FileStorage.open(t, download, io)) {
            Fixtures.writeAll(s, t, source);
            assertEquals(download.resolve("movie.bin"), s.filePath(0));
        }
        Fixtures.assertSameBytes(one, download.resolve("movie.bin"));
    }
}
