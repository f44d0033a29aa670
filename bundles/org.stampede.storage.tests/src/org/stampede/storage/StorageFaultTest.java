package org.stampede.storage;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.BitSet;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.stampede.metainfo.Torrent;
import org.stampede.testing.faulty.fs.Errno;
import org.stampede.testing.faulty.fs.Fault;
import org.stampede.testing.faulty.fs.FaultyFileSystem;

/**
 * Storage on a file system that fails on purpose ({@link FaultyFileSystem}): a failed write, read or flush is
 * reported with the system's error, and nothing is ever verified, or vouched for by resume data, that is not on disk.
 */
class StorageFaultTest {
    @TempDir
    Path work;
    Path source;
    FaultyFileSystem fs;
    Path download;
    DiskIo io;
    Torrent t;

    @BeforeEach
    void setUp() throws Exception {
        source = work.resolve("src");
        Fixtures.randomFile(source.resolve("set/a.bin"), 200_000, 1);
        Fixtures.randomFile(source.resolve("set/b.bin"), 100_000, 2);
        t = Fixtures.torrent(source.resolve("set"), Torrent.Version.V1, 16 * 1024);
        fs = FaultyFileSystem.overDefault();
        download = fs.wrap(work.resolve("dl"));
        io = new DiskIo();
    }

    @AfterEach
    void tearDown() {
        io.close();
    }

    @Test
    void aWriteOnAFullDiskFailsWithTheSystemsErrorAndItsPieceIsNotVerified() throws Exception {
        Fault full = fs.inject(Fault.on(Fault.Op.WRITE, Errno.ENOSPC).named("a.bin").after(1).always().torn());
        try (FileStorage s = FileStorage.open(t, download, io)) {
            Fixtures.writePiece(s, 0, Fixtures.piece(t, source, 0));
            assertTrue(Fixtures.await(s.verifyPiece(0)));
            Throwable e = Fixtures.failure(s.writeBlock(1, 0, ByteBuffer.wrap(Fixtures.piece(t, source, 1))));
            assertEquals("No space left on device", e.getMessage());
            assertEquals(1, full.failures());
            assertFalse(Fixtures.await(s.verifyPiece(1)), "half a block on disk is not a piece");
            assertEquals(bits(0), s.verifiedPieces());

            fs.remove(full);
            Fixtures.writePiece(s, 1, Fixtures.piece(t, source, 1));
            assertTrue(Fixtures.await(s.verifyPiece(1)), "written again once there is room");
        }
    }

    @Test
    void aFileThatCannotBeOpenedFailsTheWriteNamingIt() throws Exception {
        fs.inject(Fault.on(Fault.Op.OPEN, Errno.EACCES).named("b.bin").forWriting().always());
        int last = t.pieceCount() - 1;
        try (FileStorage s = FileStorage.open(t, download, io)) {
            Throwable e = Fixtures.failure(s.writeBlock(last, 0, ByteBuffer.allocate(100)));
            assertInstanceOf(java.nio.file.AccessDeniedException.class, e);
            assertTrue(e.getMessage().endsWith("b.bin"), e.getMessage());
            assertFalse(s.verifiedPieces().get(last));
        }
    }

    @Test
    void aReadErrorWhileCheckingLeavesThePieceUnverifiedAndThenReadsAgain() throws Exception {
        try (FileStorage s = FileStorage.open(t, download, io)) {
            Fixtures.writeAll(s, t, source);
        }
        Fault eio = fs.inject(Fault.on(Fault.Op.READ, Errno.EIO).named("b.bin").times(2));
        try (FileStorage s = FileStorage.open(t, download, io)) {
            BitSet good = Fixtures.await(s.check((done, total) -> { }));
            assertEquals(2, eio.failures());
            assertEquals(t.pieceCount() - 2, good.cardinality(), "the pieces whose read failed are not verified");
            assertEquals(good, s.verifiedPieces());
            BitSet again = Fixtures.await(s.check((done, total) -> { }));
            assertEquals(t.pieceCount(), again.cardinality(), "the error is gone: every piece verifies");
        }
    }

    /**
     * A flush that fails loses what was written since the last good one (the fault zeroes it, as a system that could
     * not write dirty pages back may drop them, then reports success for the next flush): those pieces are no longer
     * verified, resume data does not vouch for them even once a flush succeeds, and every piece it does vouch for is
     * on disk with the right bytes.
     */
    @Test
    void aFailedFlushUnverifiesWhatItMayHaveLostAndResumeDataNeverVouchesForIt() throws Exception {
        int half = t.pieceCount() / 2;
        try (FileStorage s = FileStorage.open(t, download, io)) {
            for (int p = 0; p < half; p++) {
                Fixtures.writePiece(s, p, Fixtures.piece(t, source, p));
                assertTrue(Fixtures.await(s.verifyPiece(p)));
            }
            s.flush(); // these are on disk
            for (int p = half; p < t.pieceCount(); p++) {
                Fixtures.writePiece(s, p, Fixtures.piece(t, source, p));
                assertTrue(Fixtures.await(s.verifyPiece(p)));
            }
            assertEquals(t.pieceCount(), s.verifiedPieces().cardinality());
            Fault eio = fs.inject(Fault.on(Fault.Op.FORCE, Errno.EIO).dropsUnforcedWrites());
            IOException e = assertThrows(IOException.class, s::flush);
            assertTrue(e.getMessage().contains("Input/output error"), e.getMessage());
            assertEquals(1, eio.failures());
            BitSet after = s.verifiedPieces();
            for (int p = 0; p < half; p++) {
                assertTrue(after.get(p), "piece " + p + " was flushed before: still verified");
            }
            assertFalse(after.get(t.pieceCount() - 1), "a piece written since the last good flush is not: " + after);

            ResumeData saved = s.resumeData(); // the fault failed once: this flush succeeds, the bytes are gone
            BitSet vouched = saved.verifiedPieces();
            assertEquals(after, vouched);
            Path real = FaultyFileSystem.real(download);
            for (int p = vouched.nextSetBit(0); p >= 0; p = vouched.nextSetBit(p + 1)) {
                assertArrayEquals(Fixtures.piece(t, source, p), Fixtures.piece(t, real, p),
                        "piece " + p + " is vouched for: its bytes are on disk");
            }
            assertEquals(half, vouched.cardinality(), "only what the good flush covered: " + vouched);
            assertFalse(Fixtures.await(s.verifyPiece(half)), "piece " + half + " was lost: hashed from disk, it fails");
        }
    }

    @Test
    void aFileThatIsASymbolicLinkIsRefusedSayingSo() throws Exception {
        Path outside = Files.createDirectories(work.resolve("outside"));
        Path real = FaultyFileSystem.real(download);
        Files.createDirectories(real.resolve("set"));
        Files.createSymbolicLink(real.resolve("set/a.bin"), outside.resolve("a.bin"));
        try (FileStorage s = FileStorage.open(t, real, io)) {
            Throwable e = Fixtures.failure(s.writeBlock(0, 0, ByteBuffer.allocate(100)));
            assertInstanceOf(StorageException.class, e);
            assertTrue(e.getMessage().contains("a.bin is a symbolic link: refused"), e.getMessage());
        }
        assertFalse(Files.exists(outside.resolve("a.bin")), "nothing was written through the link");
    }

    private static BitSet bits(int... pieces) {
        BitSet b = new BitSet();
        for (int p : pieces) {
            b.set(p);
        }
        return b;
    }
}
