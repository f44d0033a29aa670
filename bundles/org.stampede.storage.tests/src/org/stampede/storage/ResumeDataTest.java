package org.stampede.storage;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.BitSet;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.stampede.bencode.BDict;
import org.stampede.bencode.BencodeDecoder;
import org.stampede.bencode.BencodeEncoder;
import org.stampede.metainfo.Torrent;

/** Fast resume: what is saved, when it is trusted, and that a bad file never costs more than a recheck. */
class ResumeDataTest {

    @TempDir
    Path work;
    Path source;
    Path download;
    Path resume;
    DiskIo io;
    Torrent torrent;

    @BeforeEach
    void setUp() throws Exception {
        source = work.resolve("src");
        Fixtures.mixedSet(source);
        download = work.resolve("dl");
        resume = work.resolve("set.resume");
        io = new DiskIo();
        torrent = Fixtures.torrent(source.resolve("set"), Torrent.Version.HYBRID, 16 * 1024);
    }

    @AfterEach
    void tearDown() {
        io.close();
    }

    /** Downloads everything except piece 2, verifies, saves resume data. */
    private void downloadAndSave() throws Exception {
        try (FileStorage s = FileStorage.open(torrent, download, io)) {
            for (int p = 0; p < torrent.pieceCount(); p++) {
                if (p != 2) {
                    Fixtures.writePiece(s, p, Fixtures.piece(torrent, source, p));
                    assertTrue(Fixtures.await(s.verifyPiece(p)));
                }
            }
            s.setFilePriority(Fixtures.fileIndex(torrent, "e.bin"), 5);
            s.saveResumeData(resume);
        }
    }

    private BitSet allButPiece2() {
        BitSet b = new BitSet();
        b.set(0, torrent.pieceCount());
        b.clear(2);
        return b;
    }

    @Test
    void unchangedFilesAreTrustedWithoutHashing() throws Exception {
        downloadAndSave();
        try (FileStorage s = FileStorage.open(torrent, download, io)) {
            ResumeOutcome out = Fixtures.await(s.resume(resume, ProgressListener.NONE));
            assertNull(out.problem());
            assertEquals(allButPiece2(), out.verified());
            assertEquals(allButPiece2(), s.verifiedPieces());
            assertEquals(torrent.pieceCount() - 1, out.trusted());
            assertEquals(0, out.rechecked());
            assertEquals(0, s.piecesHashed.sum(), "no piece was hashed");
        }
    }

    @Test
    void resumeRestoresFilePriorities() throws Exception {
        downloadAndSave();
        try (FileStorage s = FileStorage.open(torrent, download, io)) {
            Fixtures.await(s.resume(resume, ProgressListener.NONE));
            assertEquals(5, s.filePriority(Fixtures.fileIndex(torrent, "e.bin")));
            assertEquals(1, s.filePriority(Fixtures.fileIndex(torrent, "a.bin")));
        }
    }

    @Test
    void touchedFileHasItsPiecesRechecked() throws Exception {
        downloadAndSave();
        Path f = download.resolve("set/f.bin");
        Files.setLastModifiedTime(f, FileTime.fromMillis(Files.getLastModifiedTime(f).toMillis() - 5000));
        int fIndex = Fixtures.fileIndex(torrent, "f.bin");
        try (FileStorage s = FileStorage.open(torrent, download, io)) {
            ResumeOutcome out = Fixtures.await(s.resume(resume, ProgressListener.NONE));
            int fPieces = Fixtures.piecesOf(torrent, fIndex).size();
            assertEquals(fPieces, out.rechecked());
            assertEquals(fPieces, s.piecesHashed.sum());
            assertTrue(out.problem().contains("f.bin"), out.problem());
            assertEquals(allButPiece2(), out.verified(), "the data is unchanged, so the recheck confirms it");
        }
    }

    @Test
    void fileThatChangedSizeLosesItsBadPieces() throws Exception {
        downloadAndSave();
        try (RandomAccessFile f = new RandomAccessFile(download.resolve("set/f.bin").toFile(), "rw")) {
            f.setLength(20_000); // f's pieces at 16 KiB are 6..9: 6 survives
        }
        try (FileStorage s = FileStorage.open(torrent, download, io)) {
            ResumeOutcome out = Fixtures.await(s.resume(resume, ProgressListener.NONE));
            BitSet expected = allButPiece2();
            expected.clear(7, 10);
            assertEquals(expected, out.verified());
            assertEquals(4, out.rechecked());
        }
    }

    @Test
    void corruptResumeFileMeansAFullRecheckAndAnError() throws Exception {
        downloadAndSave();
        Files.write(resume, "d5:hello".getBytes());
        assertFullRecheck("unusable");
    }

    @Test
    void truncatedResumeFileMeansAFullRecheckAndAnError() throws Exception {
        downloadAndSave();
        byte[] whole = Files.readAllBytes(resume);
        Files.write(resume, java.util.Arrays.copyOf(whole, whole.length / 2));
        assertFullRecheck("malformed");
    }

    @Test
    void missingResumeFileMeansAFullRecheck() throws Exception {
        downloadAndSave();
        Files.delete(resume);
        assertFullRecheck("no resume data");
    }

    @Test
    void resumeDataOfAnotherTorrentIsRejected() throws Exception {
        downloadAndSave();
        Torrent other = Fixtures.torrent(source.resolve("set"), Torrent.Version.HYBRID, 32 * 1024);
        ResumeData data = ResumeData.load(resume);
        assertNotNull(data.mismatch(other));
        assertNull(data.mismatch(torrent));
        try (FileStorage s = FileStorage.open(other, download, io)) {
            ResumeOutcome out = Fixtures.await(s.resume(resume, ProgressListener.NONE));
            assertTrue(out.problem().contains("info-hash"), out.problem());
            assertEquals(0, out.trusted());
            assertEquals(other.pieceCount(), out.rechecked());
            assertEquals(1, s.filePriority(Fixtures.fileIndex(other, "e.bin")), "its priorities are not applied");
        }
    }

    private void assertFullRecheck(String problem) throws Exception {
        try (FileStorage s = FileStorage.open(torrent, download, io)) {
            ResumeOutcome out = Fixtures.await(s.resume(resume, ProgressListener.NONE));
            assertTrue(out.problem().contains(problem), out.problem());
            assertEquals(0, out.trusted());
            assertEquals(torrent.pieceCount(), out.rechecked());
            assertEquals(allButPiece2(), out.verified());
            // piece 2 was never written, but it lies in a hole of c.bin, whose later pieces were: it is read and hashed
            assertEquals(torrent.pieceCount(), s.piecesHashed.sum(), "every piece was hashed");
        }
    }

    @Test
    void piecesClaimedForFilesThatAreTooShortAreNotTrusted() throws Exception {
        int n = torrent.files().size();
        long[] sizes = new long[n];
        java.util.Arrays.fill(sizes, -1); // no file exists, as now
        BitSet claimed = new BitSet();
        claimed.set(0, torrent.pieceCount());
        ResumeData lying = new ResumeData(torrent, claimed, sizes, new long[n], new int[n]);
        ResumeData.Validation v = lying.validate(torrent, download);
        assertTrue(v.trusted().isEmpty());
        assertEquals(claimed, v.recheck());
        assertTrue(v.problem().contains("beyond the end"), v.problem());
    }

    @Test
    void encodedResumeDataReadsBackTheSame() throws Exception {
        BitSet pieces = new BitSet();
        pieces.set(0);
        pieces.set(7);
        pieces.set(9);
        int n = torrent.files().size();
        long[] sizes = new long[n];
        long[] times = new long[n];
        int[] prios = new int[n];
        for (int i = 0; i < n; i++) {
            sizes[i] = i * 1000 - 1;
            times[i] = 1_700_000_000_000L + i;
            prios[i] = i % 8;
        }
        ResumeData back = ResumeData.parse(new ResumeData(torrent, pieces, sizes, times, prios).encode());
        assertEquals(pieces, back.verifiedPieces());
        assertArrayEquals(prios, back.filePriorities());
        for (int i = 0; i < n; i++) {
            assertEquals(sizes[i], back.fileSize(i));
            assertEquals(times[i], back.fileModified(i));
        }
        assertEquals(Torrent.Version.HYBRID, back.version());
        assertNull(back.mismatch(torrent));
    }

    @Test
    void bitfieldPutsPieceZeroInTheHighBit() {
        BitSet b = new BitSet();
        b.set(0);
        b.set(9);
        assertArrayEquals(new byte[] { (byte) 0x80, 0x40 }, ResumeData.toBitfield(b, 10));
        assertEquals(b, ResumeData.fromBitfield(new byte[] { (byte) 0x80, 0x40 }));
    }

    @Test
    void resumeDataWithSpareBitsSetIsRejected() throws Exception {
        BitSet pieces = new BitSet();
        int n = torrent.files().size();
        byte[] good = new ResumeData(torrent, pieces, new long[n], new long[n], new int[n]).encode();
        BDict d = (BDict) BencodeDecoder.strict().decode(good);
        byte[] bits = new byte[(torrent.pieceCount() + 7) / 8];
        bits[bits.length - 1] = 1; // the last spare bit (10 pieces: bits 10..15 are spare)
        BDict.Builder b = BDict.builder();
        d.entries().forEach((k, v) -> {
            if (!k.asString().equals("pieces")) {
                b.put(k, v);
            }
        });
        b.put("pieces", bits);
        ResumeDataException e = assertThrows(ResumeDataException.class,
                () -> ResumeData.parse(BencodeEncoder.encode(b.build())));
        assertTrue(e.getMessage().contains("spare"), e.getMessage());
    }

    @Test
    void resumeFileOfWrongTypesIsAnErrorNotACrash() {
        for (String bad : new String[] { "", "i1e", "le", "d15:stampede resumei2ee",
                "d15:stampede resume3:onee",
                "d5:filesi1e11:piece counti1e6:pieces1:\0" + "15:stampede resumei1e7:version2:v1e" }) {
            assertThrows(ResumeDataException.class, () -> ResumeData.parse(bad.getBytes()), bad);
        }
    }

    @Test
    void failedSaveLeavesTheOldFileWholeAndNoTemporaryFile() throws Exception {
        downloadAndSave();
        byte[] before = Files.readAllBytes(resume);
        assertThrows(IOException.class, () -> ResumeData.writeAtomically(resume, new byte[] { 'x' }, () -> {
            throw new IOException("simulated crash before the rename");
        }));
        assertArrayEquals(before, Files.readAllBytes(resume));
        assertFalse(Files.exists(work.resolve("set.resume.tmp")));
        ResumeData.load(resume); // still valid
    }

    @Test
    void saveWritesATemporaryFileThenRenamesIt() throws Exception {
        downloadAndSave();
        Path tmp = work.resolve("set.resume.tmp");
        byte[][] seen = new byte[2][];
        ResumeData.writeAtomically(resume, new byte[] { 'n', 'e', 'w' }, () -> {
            seen[0] = Files.readAllBytes(tmp);
            seen[1] = Files.readAllBytes(resume);
        });
        assertArrayEquals(new byte[] { 'n', 'e', 'w' }, seen[0], "the new bytes are complete in the temporary file");
        assertFalse(new String(seen[1]).equals("new"), "while the old file is still in place");
        assertArrayEquals(new byte[] { 'n', 'e', 'w' }, Files.readAllBytes(resume));
        assertFalse(Files.exists(tmp));
    }

    @Test
    void staleTemporaryFileOfACrashedSaveIsIgnoredThenReplaced() throws Exception {
        downloadAndSave();
        Path tmp = work.resolve("set.resume.tmp");
        Files.write(tmp, "d15:stampede resumei1e3:pie".getBytes()); // a writer died here
        try (FileStorage s = FileStorage.open(torrent, download, io)) {
            assertNull(Fixtures.await(s.resume(resume, ProgressListener.NONE)).problem());
            s.saveResumeData(resume);
        }
        assertFalse(Files.exists(tmp));
        ResumeData.load(resume);
    }
}
