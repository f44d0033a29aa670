package org.stampede.engine.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.BitSet;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.stampede.engine.AddOptions;
import org.stampede.engine.EngineSettings;
import org.stampede.engine.TorrentHandle;
import org.stampede.engine.TorrentStatus;
import org.stampede.metainfo.Torrent;
import org.stampede.storage.ResumeData;
import org.stampede.testing.faulty.fs.Errno;
import org.stampede.testing.faulty.fs.Fault;
import org.stampede.testing.faulty.fs.FaultyFileSystem;

/**
 * Fault injection (issue 15): a leecher whose download and state folders lie on a {@link FaultyFileSystem} downloads
 * from a seeder on loopback while writes, opens and flushes of its data and of its resume data fail at chosen points.
 * Whatever fails, the torrent ends in ERROR with the system's reason after a bounded amount of downloading (or, for
 * resume data alone, goes on with a warning); every piece it reports as verified is on disk with its hash, checked
 * here by reading the files back; and once the fault is gone, a resume in place or a new engine from the saved resume
 * data finishes with the right SHA-256, keeping the pieces verified before.
 */
@Timeout(value = 180, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class StorageFaultInjectionTest {
    static final int PIECE = 64 * 1024;
    static final int SIZE = 2 * 1024 * 1024;
    static final int PIECES = SIZE / PIECE;
    static final int BLOCKS_PER_PIECE = PIECE / (16 * 1024);

    @TempDir
    Path dir;
    FaultyFileSystem fs;
    EngineImpl seeder;
    EngineImpl leecher;
    Torrent t;
    /** The leecher's folders, real. */
    Path dl;
    Path state;

    @BeforeEach
    void setUp() throws Exception {
        DiskFaults.randomFile(dir.resolve("seed/data.bin"), SIZE, 41);
        t = DiskFaults.v1(dir.resolve("seed/data.bin"), PIECE);
        // 1 MiB/s: a download takes about two seconds, time enough to fail it midway
        seeder = TestEngines.create(LoopbackSwarmTest.settings(dir.resolve("s1")).withLimits(0, 1024 * 1024),
                TestStrategies.registry(), u -> null);
        seeder.add(t, dir.resolve("seed"), AddOptions.defaults()).checked().get(30, TimeUnit.SECONDS);
        fs = FaultyFileSystem.overDefault();
        dl = Files.createDirectories(dir.resolve("leech"));
        state = dl.resolve(".stampede");
        leecher = leecherEngine();
    }

    @AfterEach
    void tearDown() {
        if (leecher != null) {
            leecher.close();
        }
        seeder.close();
    }

    /** An engine whose state folder lies on the faulty file system. */
    private EngineImpl leecherEngine() throws IOException {
        EngineSettings s = LoopbackSwarmTest.settings(fs.wrap(state));
        return TestEngines.create(s, TestStrategies.registry(), u -> null);
    }

    private TorrentHandle download() throws Exception {
        TorrentHandle h = leecher.add(t, fs.wrap(dl), AddOptions.defaults());
        h.checked().get(30, TimeUnit.SECONDS);
        h.connect(seeder.listenAddress());
        return h;
    }

    private void assertReportedOnDisk(TorrentHandle h, String when) throws Exception {
        BitSet reported = DiskFaults.reported(h);
        assertEquals(reported.cardinality(), h.status().have(), "the status counts what the piece map shows");
        DiskFaults.assertOnDisk(t, dl, reported, when);
    }

    private void assertTheDataIsTheSeeders() throws Exception {
        BitSet bad = new BitSet();
        for (int p = 0; p < PIECES; p++) {
            if (!java.util.Arrays.equals(t.pieceHashV1(p),
                    java.security.MessageDigest.getInstance("SHA-1").digest(DiskFaults.piece(t, dl, p)))) {
                bad.set(p);
            }
        }
        assertEquals(new BitSet(), bad, "pieces whose bytes on disk differ from the seeder's");
        assertArrayEquals(DiskFaults.sha256(dir.resolve("seed/data.bin")), DiskFaults.sha256(dl.resolve("data.bin")),
                "SHA-256 of the download");
    }

    /**
     * A write that fails for good (a full disk tearing a block in half, an I/O error, permission denied on the file)
     * after some pieces are on disk: the torrent stops with the reason; its verified pieces are on disk; a new engine
     * from the resume data saved on the way has them all again, and downloads only the rest.
     */
    @ParameterizedTest
    @EnumSource(value = Errno.class, names = { "ENOSPC", "EIO", "EACCES" })
    void aWriteThatFailsForGoodStopsTheTorrentAndANewEngineGoesOnFromWhatWasVerified(Errno errno) throws Exception {
        Fault fault = errno == Errno.EACCES
                ? Fault.on(Fault.Op.WRITE, errno).named("data.bin").after(6L * BLOCKS_PER_PIECE).always()
                : Fault.on(Fault.Op.WRITE, errno).named("data.bin").after(6L * BLOCKS_PER_PIECE).always().torn();
        fs.inject(fault);
        TorrentHandle h = download();
        DiskFaults.assertStopsWithError(h, "cannot write piece", errno.message());
        assertTrue(h.status().downloaded() <= SIZE / 2, "bounded: " + h.status().downloaded() + " bytes");
        assertReportedOnDisk(h, "stopped by " + errno);
        BitSet before = DiskFaults.reported(h);
        assertTrue(before.cardinality() <= 6, "no more than the writes that succeeded: " + before);

        leecher.close(); // as a user would quit after the error
        leecher = null;
        fs.clear();
        leecher = leecherEngine();
        TorrentHandle again = leecher.add(t, fs.wrap(dl), AddOptions.defaults());
        again.checked().get(30, TimeUnit.SECONDS);
        BitSet resumed = DiskFaults.reported(again);
        BitSet kept = (BitSet) before.clone();
        kept.andNot(resumed);
        assertTrue(kept.isEmpty(), "no verified piece is lost: " + before + " then " + resumed);
        assertReportedOnDisk(again, "after the restart");
        again.connect(seeder.listenAddress());
        again.completion().get(60, TimeUnit.SECONDS);
        assertTheDataIsTheSeeders();
        assertTrue(again.status().downloaded() <= SIZE - (long) resumed.cardinality() * PIECE + 4L * PIECE,
                "the restart downloads the rest, not what was verified: " + again.status().downloaded());
    }

    /** A file that cannot be opened for writing at all: stopped at once; a resume once it can finishes in place. */
    @Test
    void aFileThatCannotBeOpenedForWritingStopsTheTorrentAndAResumeFinishesOnceItCan() throws Exception {
        Fault denied = fs.inject(Fault.on(Fault.Op.OPEN, Errno.EACCES).named("data.bin").forWriting().always());
        TorrentHandle h = download();
        DiskFaults.assertStopsWithError(h, "cannot write piece", dl.resolve("data.bin") + ": Permission denied");
        assertEquals(0, h.status().have());
        assertTrue(denied.failures() >= 1);
        fs.remove(denied);
        assertTrue(h.resume());
        assertNull(h.status().error(), "the resume clears the error");
        h.connect(seeder.listenAddress());
        h.completion().get(60, TimeUnit.SECONDS);
        assertTheDataIsTheSeeders();
    }

    /** One I/O error on one write is not retried behind the user's back either; their resume finishes the download. */
    @Test
    void aSingleWriteErrorStopsTheTorrentAndAResumeInPlaceKeepsWhatWasVerified() throws Exception {
        fs.inject(Fault.on(Fault.Op.WRITE, Errno.EIO).named("data.bin").after(10L * BLOCKS_PER_PIECE));
        TorrentHandle h = download();
        DiskFaults.assertStopsWithError(h, "Input/output error");
        assertReportedOnDisk(h, "stopped by one EIO");
        BitSet before = DiskFaults.reported(h);
        assertTrue(h.resume());
        h.connect(seeder.listenAddress());
        h.completion().get(60, TimeUnit.SECONDS);
        assertTheDataIsTheSeeders();
        assertTrue(h.status().downloaded() <= SIZE + 4L * PIECE, "bounded: " + h.status().downloaded());
        BitSet after = DiskFaults.reported(h);
        after.and(before);
        assertEquals(before, after, "the pieces verified before the error are still verified");
    }

    /**
     * A flush that fails while resume data is saved (here at a pause midway), losing what it did not write back: the
     * torrent stops with the reason and no longer reports the pieces whose bytes were lost, only pieces that are on
     * disk; those flushed by an earlier save stay. A resume downloads the lost ones again.
     */
    @Test
    void aFailedFlushDuringASaveDropsThePiecesItLostAndAResumeDownloadsThemAgain() throws Exception {
        // 256 KiB/s, eight seconds in all: time enough for two quarters and two pauses
        TorrentHandle h = leecher.add(t, fs.wrap(dl), new AddOptions(null, null, null, 256 * 1024, 0, true));
        h.checked().get(30, TimeUnit.SECONDS);
        h.connect(seeder.listenAddress());
        Waits.await(() -> h.status().have() >= PIECES / 4, "a quarter downloaded");
        assertTrue(h.pause());
        Path resume = state.resolve(h.infoHash() + ".resume");
        Waits.await(() -> vouched(resume).cardinality() >= PIECES / 4, "the pause's save (a good flush)");
        // what the good flush vouched for (pieces verified just after it, from writes in flight, are not)
        BitSet flushed = vouched(resume);
        assertTrue(h.resume());
        h.connect(seeder.listenAddress());
        Waits.await(() -> h.status().have() >= flushed.cardinality() + PIECES / 8, "another eighth");
        assertTrue(h.status().have() < PIECES, "still downloading: " + h.status());

        Fault eio = fs.inject(Fault.on(Fault.Op.FORCE, Errno.EIO).named("data.bin").dropsUnforcedWrites());
        int had = h.status().have();
        assertTrue(h.pause()); // saves resume data: the flush fails
        DiskFaults.assertStopsWithError(h, "cannot write the data to disk", "Input/output error");
        assertEquals(1, eio.failures());
        assertReportedOnDisk(h, "after the failed flush");
        BitSet now = DiskFaults.reported(h);
        assertTrue(now.cardinality() < had, "the pieces written since the good flush are dropped: " + now);
        BitSet stillFlushed = (BitSet) flushed.clone();
        stillFlushed.and(now);
        assertEquals(flushed, stillFlushed, "those flushed before stay verified");

        assertTrue(h.resume(), "the user's resume retries");
        h.connect(seeder.listenAddress());
        h.completion().get(60, TimeUnit.SECONDS);
        assertTheDataIsTheSeeders();
    }

    /** The pieces saved resume data vouches for; none while there is none. */
    private static BitSet vouched(Path resume) {
        try {
            return ResumeData.load(resume).verifiedPieces();
        } catch (IOException | org.stampede.storage.ResumeDataException e) {
            return new BitSet();
        }
    }

    /**
     * The last flush, that of the save when the torrent finishes, fails and loses the data it had not written back:
     * the finished torrent turns to ERROR, so stopping it (as {@code download} does before it says "verified") tells
     * the data is not on disk; no piece is claimed; a new engine downloads it all again and gets it right.
     */
    @Test
    void aFailedFinalFlushTurnsAFinishedTorrentToErrorAndClaimsNothing() throws Exception {
        Fault eio = fs.inject(Fault.on(Fault.Op.FORCE, Errno.EIO).named("data.bin").dropsUnforcedWrites());
        TorrentHandle h = download();
        h.completion().get(60, TimeUnit.SECONDS);
        h.stop().get(30, TimeUnit.SECONDS);
        assertEquals(TorrentStatus.State.ERROR, h.status().state(), "stopped, but not on disk: " + h.status());
        assertTrue(h.status().error().contains("cannot write the data to disk"), h.status().error());
        assertEquals(1, eio.failures());
        assertReportedOnDisk(h, "after the failed final flush");
        assertEquals(0, h.status().have(), "the bytes were lost: nothing is claimed");

        leecher.close();
        leecher = null;
        fs.clear();
        leecher = leecherEngine();
        TorrentHandle again = leecher.add(t, fs.wrap(dl), AddOptions.defaults());
        again.checked().get(30, TimeUnit.SECONDS);
        assertReportedOnDisk(again, "after the restart");
        assertFalse(DiskFaults.reported(again).cardinality() == PIECES, "the lost bytes are not taken as verified");
        again.connect(seeder.listenAddress());
        again.completion().get(60, TimeUnit.SECONDS);
        assertTheDataIsTheSeeders();
    }

    /**
     * Resume data that cannot be saved (no room for its temporary file, then a failed rename) costs only a recheck at
     * the next start: the torrent goes on and finishes, and the next start finds every piece by hashing them.
     */
    @Test
    void resumeDataThatCannotBeSavedIsAWarningNotAStop() throws Exception {
        Fault noRoom = fs.inject(Fault.on(Fault.Op.WRITE, Errno.ENOSPC).nameEndsWith(".resume.tmp").always());
        Fault noRename = fs.inject(Fault.on(Fault.Op.MOVE, Errno.EIO).nameEndsWith(".resume.tmp").always());
        TorrentHandle h = download();
        Waits.await(() -> h.status().have() >= PIECES / 4, "a quarter downloaded");
        assertTrue(h.pause());
        Waits.await(() -> noRoom.failures() >= 1, "the save fails");
        assertEquals(TorrentStatus.State.PAUSED, h.status().state(), "the data is fine: " + h.status());
        fs.remove(noRoom);
        assertTrue(h.resume());
        h.connect(seeder.listenAddress());
        h.completion().get(60, TimeUnit.SECONDS);
        h.stop().get(30, TimeUnit.SECONDS);
        assertTrue(noRename.failures() >= 1, "the rename failed too");
        assertEquals(TorrentStatus.State.STOPPED, h.status().state(), h.status().toString());
        assertFalse(Files.exists(state.resolve(h.infoHash() + ".resume")), "no resume data was saved");
        assertTheDataIsTheSeeders();

        leecher.close();
        leecher = null;
        fs.clear();
        leecher = leecherEngine();
        TorrentHandle again = leecher.add(t, fs.wrap(dl), AddOptions.defaults());
        again.checked().get(30, TimeUnit.SECONDS);
        assertEquals(PIECES, again.status().have(), "the recheck finds every piece");
    }
}
