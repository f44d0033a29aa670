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
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.stampede.bencode.BDict;
import org.stampede.bencode.BInteger;
import org.stampede.bencode.BList;
import org.stampede.bencode.BString;
import org.stampede.bencode.BValue;
import org.stampede.bencode.BencodeDecoder;
import org.stampede.bencode.BencodeEncoder;
import org.stampede.metainfo.Torrent;

/**
 * Fast resume: what is saved, when it is trusted (checksum, torrent, files, spot check), that a bad or forged file
 * never costs more than a recheck and never makes a piece count as verified, and why it was not used.
 */
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
    void unchangedFilesAreTrustedAfterASpotCheck() throws Exception {
        downloadAndSave();
        try (FileStorage s = FileStorage.open(torrent, download, io)) {
            ResumeOutcome out = Fixtures.await(s.resume(resume, ProgressListener.NONE));
            assertNull(out.problem());
            assertEquals(allButPiece2(), out.verified());
            assertEquals(allButPiece2(), s.verifiedPieces());
            assertEquals(ResumeData.SPOT_CHECK_MIN_PIECES, out.spotChecked(), "9 pieces recorded: 8 are sampled");
            assertEquals(torrent.pieceCount() - 1 - out.spotChecked(), out.trusted());
            assertEquals(0, out.rechecked());
            assertEquals(out.spotChecked(), s.piecesHashed.sum(), "only the sample was hashed");
        }
    }

    @Test
    void manyStoragesResumingAtOnceAreNeverRefusedByAFullDiskQueue() throws Exception {
        downloadAndSave();
        try (DiskIo small = new DiskIo(2, 4, 64)) { // room for 4 block operations: 40 resumes overflow it
            List<FileStorage> opened = new ArrayList<>();
            try {
                List<CompletableFuture<ResumeOutcome>> outcomes = new ArrayList<>();
                for (int i = 0; i < 40; i++) {
                    FileStorage s = FileStorage.open(torrent, download, small);
                    opened.add(s);
                    outcomes.add(s.resume(resume, ProgressListener.NONE));
                }
                for (CompletableFuture<ResumeOutcome> f : outcomes) {
                    assertEquals(allButPiece2(), Fixtures.await(f).verified());
                }
            } finally {
                for (FileStorage s : opened) {
                    s.close();
                }
            }
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
            assertEquals(5, out.spotChecked(), "the 5 pieces still trusted are fewer than the sample: all are hashed");
            assertEquals(fPieces + out.spotChecked(), s.piecesHashed.sum());
            assertTrue(out.problem().startsWith("resume data partly used: file f.bin was modified (recorded "),
                    out.problem());
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
            assertTrue(out.problem().contains("file f.bin changed size (recorded 50000, found 20000)"), out.problem());
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
            assertTrue(out.problem().endsWith("; all " + torrent.pieceCount() + " pieces are rechecked"),
                    out.problem());
            assertEquals(0, out.trusted());
            assertEquals(0, out.spotChecked());
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
        byte[] bits = new byte[(torrent.pieceCount() + 7) / 8];
        bits[bits.length - 1] = 1; // the last spare bit (10 pieces: bits 10..15 are spare)
        ResumeDataException e = assertThrows(ResumeDataException.class,
                () -> ResumeData.parse(rewrite(good, "pieces", BString.of(bits), true)));
        assertTrue(e.getMessage().contains("spare"), e.getMessage());
    }

    /**
     * Resume data with {@code key} set to {@code value}, as a forger would write it: the checksum recomputed as the
     * format documents it (SHA-256 of the dictionary without it), or, as a careless editor would, left as it was.
     */
    static byte[] rewrite(byte[] resumeData, String key, BValue value, boolean newChecksum) throws Exception {
        BDict d = (BDict) BencodeDecoder.strict().decode(resumeData);
        BDict.Builder b = BDict.builder();
        d.entries().forEach((k, v) -> {
            if (!k.asString().equals(key) && !k.asString().equals("checksum")) {
                b.put(k, v);
            }
        });
        b.put(key, value);
        byte[] sum = newChecksum ? MessageDigest.getInstance("SHA-256").digest(BencodeEncoder.encode(b.build()))
                : d.getString("checksum").bytes();
        b.put("checksum", sum);
        return BencodeEncoder.encode(b.build());
    }

    /** Rewrites a resume file as {@link #rewrite(byte[], String, BValue, boolean)} does. */
    static void rewrite(Path file, String key, BValue value, boolean newChecksum) throws Exception {
        Files.write(file, rewrite(Files.readAllBytes(file), key, value, newChecksum));
    }

    // ---------------------------------------------------------------- integrity

    @Test
    void resumeFileEditedWithoutItsChecksumIsRefusedAsAWhole() throws Exception {
        downloadAndSave();
        BitSet all = new BitSet();
        all.set(0, torrent.pieceCount());
        rewrite(resume, "pieces", BString.of(ResumeData.toBitfield(all, torrent.pieceCount())), false);
        ResumeDataException e = assertThrows(ResumeDataException.class, () -> ResumeData.load(resume));
        assertTrue(e.getMessage().contains("checksum mismatch"), e.getMessage());
        assertFullRecheck("checksum mismatch");
        try (FileStorage s = FileStorage.open(torrent, download, io)) {
            Fixtures.await(s.resume(resume, ProgressListener.NONE));
            assertEquals(1, s.filePriority(Fixtures.fileIndex(torrent, "e.bin")), "nothing of it is applied");
        }
    }

    @Test
    void resumeFileOfFormat2WithoutAChecksumIsRefused() throws Exception {
        downloadAndSave();
        BDict d = (BDict) BencodeDecoder.strict().decode(Files.readAllBytes(resume));
        BDict.Builder b = BDict.builder();
        d.entries().forEach((k, v) -> {
            if (!k.asString().equals("checksum")) {
                b.put(k, v);
            }
        });
        Files.write(resume, BencodeEncoder.encode(b.build()));
        assertFullRecheck("'checksum' missing");
    }

    /** The resume data saved now, in format 1: no checksum, modification times in milliseconds. */
    private byte[] asFormat1(byte[] format2) throws Exception {
        BDict d = (BDict) BencodeDecoder.strict().decode(format2);
        BDict.Builder b = BDict.builder();
        d.entries().forEach((k, v) -> {
            String key = k.asString();
            if (key.equals("stampede resume")) {
                b.put(k, BInteger.of(1));
            } else if (key.equals("files")) {
                List<BValue> files = new ArrayList<>();
                for (BValue f : (BList) v) {
                    BList entry = (BList) f;
                    long nanos = ((BInteger) entry.get(1)).value();
                    files.add(BList.of(entry.get(0), BInteger.of(Math.floorDiv(nanos, 1_000_000L)), entry.get(2)));
                }
                b.put(k, BList.of(files));
            } else if (!key.equals("checksum")) {
                b.put(k, v);
            }
        });
        return BencodeEncoder.encode(b.build());
    }

    @Test
    void resumeFileOfFormat1IsReadButItsPiecesAreRecheckedAndItsPrioritiesKept() throws Exception {
        downloadAndSave();
        Files.write(resume, asFormat1(Files.readAllBytes(resume)));
        ResumeData old = ResumeData.load(resume);
        assertEquals(ResumeData.FORMAT_1, old.format());
        assertEquals(allButPiece2(), old.verifiedPieces());
        assertThrows(IllegalStateException.class, old::encode, "format 1 is not written again");
        try (FileStorage s = FileStorage.open(torrent, download, io)) {
            ResumeOutcome out = Fixtures.await(s.resume(resume, ProgressListener.NONE));
            assertTrue(out.problem().contains("format 1"), out.problem());
            assertEquals(0, out.trusted());
            assertEquals(0, out.spotChecked());
            assertEquals(torrent.pieceCount(), out.rechecked());
            assertEquals(torrent.pieceCount(), s.piecesHashed.sum(), "every piece was hashed");
            assertEquals(allButPiece2(), out.verified());
            assertEquals(5, s.filePriority(Fixtures.fileIndex(torrent, "e.bin")), "its priorities still apply");
            s.saveResumeData(resume);
        }
        assertEquals(ResumeData.FORMAT, ResumeData.load(resume).format(), "the next save writes format 2");
    }

    // ---------------------------------------------------------------- the spot check

    /** A single-file v1 torrent of 200 pieces of 16 KiB, enough for the sample (8 pieces) to be a small part. */
    private Torrent big() throws Exception {
        Path file = source.resolve("big.bin");
        Fixtures.randomFile(file, 200 * 16 * 1024, 11);
        return Fixtures.torrent(file, Torrent.Version.V1, 16 * 1024);
    }

    /** {@link #big()}'s data downloaded, checked (all 200 pieces good) and its resume data saved; the file. */
    private Path downloadedWithResume(Torrent t) throws Exception {
        Path file = download.resolve("big.bin");
        Fixtures.randomFile(file, 200 * 16 * 1024, 11);
        try (FileStorage s = FileStorage.open(t, download, io)) {
            assertEquals(200, Fixtures.await(s.check(ProgressListener.NONE)).cardinality());
            s.saveResumeData(resume);
        }
        return file;
    }

    /** Resume data for {@code t} as a forger writes it: every piece claimed, over the files as they are. */
    private void forgeAllOnes(Torrent t) throws Exception {
        try (FileStorage s = FileStorage.open(t, download, io)) {
            s.saveResumeData(resume); // sizes and times as they are; nothing verified
        }
        BitSet all = new BitSet();
        all.set(0, t.pieceCount());
        rewrite(resume, "pieces", BString.of(ResumeData.toBitfield(all, t.pieceCount())), true);
        ResumeData.load(resume); // valid: the checksum does not stop a forger
    }

    @Test
    void forgedAllOnesBitfieldOverZerosFailsTheSpotCheckAndNothingFalseIsVerified() throws Exception {
        Torrent t = big();
        Files.createDirectories(download);
        Files.write(download.resolve("big.bin"), new byte[200 * 16 * 1024]);
        forgeAllOnes(t);
        int[] last = new int[2];
        try (FileStorage s = FileStorage.open(t, download, io)) {
            ResumeOutcome out = Fixtures.await(s.resume(resume, (done, total) -> {
                last[0] = done;
                last[1] = total;
            }));
            assertTrue(out.problem().startsWith("resume data not used: 8 pieces it records as verified (first: "),
                    out.problem());
            assertTrue(out.problem().endsWith(" do not match the torrent (a spot check of 8 of those 200 pieces); "
                    + "all 200 pieces are rechecked"), out.problem());
            assertTrue(out.verified().isEmpty(), "no piece of zeros counts as verified: " + out.verified());
            assertTrue(s.verifiedPieces().isEmpty());
            assertEquals(0, out.trusted());
            assertEquals(8, out.spotChecked());
            assertEquals(192, out.rechecked());
            assertEquals(200, s.piecesHashed.sum(), "every piece was hashed");
            assertEquals(200, last[0], "progress covers the spot check and the recheck");
            assertEquals(200, last[1]);
        }
    }

    @Test
    void dataChangedEverywhereWithItsModificationTimeRestoredFailsTheSpotCheck() throws Exception {
        Torrent t = big();
        Path file = downloadedWithResume(t);
        FileTime before = Files.getLastModifiedTime(file);
        Fixtures.randomFile(file, 200 * 16 * 1024, 12); // same size, other bytes in every piece
        Files.setLastModifiedTime(file, before);
        try (FileStorage s = FileStorage.open(t, download, io)) {
            ResumeOutcome out = Fixtures.await(s.resume(resume, ProgressListener.NONE));
            assertTrue(out.problem().startsWith("resume data not used: 8 pieces it records as verified"),
                    out.problem());
            assertTrue(out.verified().isEmpty(), out.verified()::toString);
            assertEquals(200, s.piecesHashed.sum());
        }
    }

    @Test
    void onePieceChangedWithItsModificationTimeRestoredIsCaughtWhenSampled() throws Exception {
        Torrent t = big();
        Path file = downloadedWithResume(t);
        BitSet all = new BitSet();
        all.set(0, 200);
        // the same seed draws the same sample: change one of its pieces
        int changed = ResumeData.spotCheckSample(all, t.pieceLength(), new SplittableRandom(7)).nextSetBit(0);
        FileTime before = Files.getLastModifiedTime(file);
        try (RandomAccessFile raf = new RandomAccessFile(file.toFile(), "rw")) {
            long at = changed * 16L * 1024 + 100;
            raf.seek(at);
            int b = raf.read();
            raf.seek(at);
            raf.write(~b);
        }
        Files.setLastModifiedTime(file, before);
        try (FileStorage s = FileStorage.open(t, download, io)) {
            ResumeOutcome out = Fixtures.await(s.resume(resume, ProgressListener.NONE, new SplittableRandom(7)));
            assertEquals("resume data not used: piece " + changed + ", which it records as verified, does not match"
                    + " the torrent (a spot check of 8 of those 200 pieces); all 200 pieces are rechecked",
                    out.problem());
            BitSet expected = (BitSet) all.clone();
            expected.clear(changed);
            assertEquals(expected, out.verified());
            assertEquals(200, s.piecesHashed.sum());
        }
    }

    @Test
    void genuineResumeDataIsTrustedAfterHashingOnlyTheSample() throws Exception {
        Torrent t = big();
        Path file = downloadedWithResume(t);
        assertEquals(Files.getLastModifiedTime(file).to(TimeUnit.NANOSECONDS), ResumeData.load(resume).fileModified(0),
                "the time is recorded as precisely as the file system keeps it");
        int[] last = new int[2];
        try (FileStorage s = FileStorage.open(t, download, io)) {
            ResumeOutcome out = Fixtures.await(s.resume(resume, (done, total) -> {
                last[0] = done;
                last[1] = total;
            }));
            assertNull(out.problem());
            assertEquals(200, out.verified().cardinality());
            assertEquals(192, out.trusted());
            assertEquals(8, out.spotChecked());
            assertEquals(0, out.rechecked());
            assertEquals(8, s.piecesHashed.sum());
            assertEquals(8L * 16 * 1024, s.bytesReadForHashing(), "8 pieces read of 200");
            assertEquals(8, last[0]);
            assertEquals(8, last[1]);
        }
    }

    @Test
    void theSampleIsEightPiecesOrOnePercentBoundedInBytes() {
        long kib16 = 16 * 1024;
        assertEquals(0, ResumeData.spotCheckCount(0, kib16));
        assertEquals(5, ResumeData.spotCheckCount(5, kib16), "all of fewer than 8");
        assertEquals(8, ResumeData.spotCheckCount(200, kib16));
        assertEquals(8, ResumeData.spotCheckCount(800, kib16));
        assertEquals(9, ResumeData.spotCheckCount(801, kib16), "1%, rounded up");
        assertEquals(100, ResumeData.spotCheckCount(10_000, kib16));
        assertEquals(8, ResumeData.spotCheckCount(10_000, 16L << 20), "128 MiB of 16 MiB pieces");
        assertEquals(2, ResumeData.spotCheckCount(10_000, 64L << 20));
        assertEquals(1, ResumeData.spotCheckCount(10, 256L << 20), "always one piece");

        BitSet trusted = new BitSet();
        for (int p = 0; p < 3000; p += 3) {
            trusted.set(p);
        }
        BitSet sample = ResumeData.spotCheckSample(trusted, kib16, new SplittableRandom(1));
        assertEquals(10, sample.cardinality());
        BitSet outside = (BitSet) sample.clone();
        outside.andNot(trusted);
        assertTrue(outside.isEmpty(), "only trusted pieces are sampled: " + sample);
        assertEquals(sample, ResumeData.spotCheckSample(trusted, kib16, new SplittableRandom(1)), "a seed, a sample");
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
