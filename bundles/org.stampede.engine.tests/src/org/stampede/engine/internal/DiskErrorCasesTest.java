package org.stampede.engine.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.stampede.engine.AddOptions;
import org.stampede.engine.TorrentHandle;
import org.stampede.engine.TorrentStatus;
import org.stampede.metainfo.Torrent;
import org.stampede.testing.faulty.fs.Errno;
import org.stampede.testing.faulty.fs.Fault;
import org.stampede.testing.faulty.fs.FaultyFileSystem;

/**
 * The storage failures of issue 15 item 1 on the real file system, from a seeder on loopback: a target file that
 * cannot be written, a folder where the file must go, a name too long under a long download folder, a symbolic link
 * in a file's or the torrent folder's place. Each stops the torrent in ERROR with a reason that says what and where,
 * after a bounded amount of downloading, and nothing is written outside the download folder. A torrent named like the
 * state folder ({@code .stampede}) downloads beside it, and no torrent may put a file into the engine's state folder.
 */
@Timeout(value = 120, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class DiskErrorCasesTest {
    static final int PIECE = 64 * 1024;

    @TempDir
    Path dir;
    EngineImpl seeder;
    EngineImpl leecher;

    @BeforeEach
    void engines() throws IOException {
        seeder = TestEngines.create(LoopbackSwarmTest.settings(dir.resolve("s1")), TestStrategies.registry(),
                u -> null);
        leecher = TestEngines.create(LoopbackSwarmTest.settings(dir.resolve("leech/.stampede")),
                TestStrategies.registry(), u -> null);
    }

    @AfterEach
    void close() {
        leecher.close();
        seeder.close();
    }

    /** A single-file torrent of {@code name} (1 MiB), seeded. */
    private Torrent seeded(String name, int seed) throws Exception {
        Path file = dir.resolve("seed").resolve(name);
        DiskFaults.randomFile(file, 1024 * 1024, seed);
        Torrent t = DiskFaults.v1(file, PIECE);
        seeder.add(t, dir.resolve("seed"), AddOptions.defaults()).checked().get(30, TimeUnit.SECONDS);
        return t;
    }

    private TorrentHandle download(Torrent t, Path into) throws Exception {
        TorrentHandle h = leecher.add(t, into, AddOptions.defaults());
        h.checked().get(30, TimeUnit.SECONDS);
        h.connect(seeder.listenAddress());
        return h;
    }

    /** No more than the torrent's size was downloaded: the same pieces are not fetched again and again. */
    private static void assertBounded(TorrentHandle h, Torrent t) {
        assertTrue(h.status().downloaded() <= t.totalLength() + 4L * PIECE,
                "downloaded " + h.status().downloaded() + " bytes of a " + t.totalLength() + "-byte torrent");
    }

    /**
     * A target file that cannot be written: read-only for a user; for root, whom permissions do not stop, immutable
     * ({@code chattr +i}, "Operation not permitted"). Where neither is possible (root without the capability, a file
     * system without the flag) the open fails with EACCES injected by a {@link FaultyFileSystem}, and the test says
     * so on its output. Once the cause is gone, a resume finishes the download.
     */
    @Test
    void aTargetFileThatCannotBeWrittenStopsTheTorrentNamingItAndAResumeFinishesOnceItCan() throws Exception {
        Torrent t = seeded("locked.bin", 31);
        Path leech = Files.createDirectories(dir.resolve("leech"));
        Path target = leech.resolve("locked.bin");
        Files.write(target, new byte[1000]);
        Unwritable how = Unwritable.make(target);
        System.out.println("DiskErrorCasesTest: the target file is unwritable by " + how.method);
        FaultyFileSystem fs = FaultyFileSystem.overDefault();
        Fault denied = how.method.startsWith("fault")
                ? fs.inject(Fault.on(Fault.Op.OPEN, Errno.EACCES).named("locked.bin").forWriting().always()) : null;
        TorrentHandle h;
        try {
            h = download(t, denied != null ? fs.wrap(leech) : leech);
            DiskFaults.assertStopsWithError(h, "cannot write piece", target.toString(), how.reason);
            assertBounded(h, t);
            assertEquals(1000, Files.size(target), "the file is as it was");
        } finally {
            how.undo();
            if (denied != null) {
                fs.remove(denied);
            }
        }
        assertTrue(h.resume(), "resuming an errored torrent retries");
        h.connect(seeder.listenAddress());
        h.completion().get(60, TimeUnit.SECONDS);
        assertArrayEquals(DiskFaults.sha256(dir.resolve("seed/locked.bin")), DiskFaults.sha256(target));
    }

    @Test
    void aFolderWhereTheFileMustGoStopsTheTorrentSayingSo() throws Exception {
        Torrent t = seeded("data.bin", 32);
        Path leech = dir.resolve("leech");
        Files.createDirectories(leech.resolve("data.bin/inside"));
        TorrentHandle h = download(t, leech);
        DiskFaults.assertStopsWithError(h, leech.resolve("data.bin") + ": Is a directory");
        assertBounded(h, t);
        assertTrue(Files.isDirectory(leech.resolve("data.bin/inside")), "the folder is left alone");
    }

    /** Linux refuses a path over 4096 bytes: a 240-byte name in a 3,900-byte folder. */
    @Test
    void aNameTooLongUnderALongDownloadFolderStopsTheTorrentSayingSo() throws Exception {
        Torrent t = seeded("n".repeat(236) + ".bin", 33);
        Path leech = dir.resolve("leech");
        while (leech.toString().length() < 3900) {
            leech = leech.resolve("d".repeat(Math.min(250, 3900 - leech.toString().length())));
        }
        Files.createDirectories(leech);
        TorrentHandle h = download(t, leech);
        DiskFaults.assertStopsWithError(h, "cannot write piece", "File name too long");
        assertBounded(h, t);
    }

    @Test
    void aSymbolicLinkWhereTheFileMustGoIsRefusedAndNothingIsWrittenThroughIt() throws Exception {
        Torrent t = seeded("linked.bin", 34);
        Path outside = Files.createDirectories(dir.resolve("outside"));
        Path leech = Files.createDirectories(dir.resolve("leech"));
        Files.createSymbolicLink(leech.resolve("linked.bin"), outside.resolve("linked.bin"));
        TorrentHandle h = download(t, leech);
        DiskFaults.assertStopsWithError(h, leech.resolve("linked.bin") + " is a symbolic link: refused");
        assertBounded(h, t);
        assertFalse(Files.exists(outside.resolve("linked.bin")), "nothing was written through the link");
    }

    @Test
    void aTorrentFolderThatIsALinkOutsideIsRefusedAndNothingIsWrittenThere() throws Exception {
        Path set = dir.resolve("seed/set");
        DiskFaults.randomFile(set.resolve("a.bin"), 300_000, 35);
        DiskFaults.randomFile(set.resolve("b.bin"), 200_000, 36);
        Torrent t = DiskFaults.v1(set, PIECE);
        seeder.add(t, dir.resolve("seed"), AddOptions.defaults()).checked().get(30, TimeUnit.SECONDS);
        Path outside = Files.createDirectories(dir.resolve("outside"));
        Path leech = Files.createDirectories(dir.resolve("leech"));
        Files.createSymbolicLink(leech.resolve("set"), outside);
        TorrentHandle h = download(t, leech);
        DiskFaults.assertStopsWithError(h, "outside the download folder", "refused");
        assertBounded(h, t);
        try (var list = Files.list(outside)) {
            assertEquals(List.of(), list.toList(), "nothing was written outside");
        }
    }

    /**
     * A torrent named {@code .stampede} (here with a file {@code control.json}, as a hostile one would have) is
     * renamed {@code .stampede_} when parsed: it downloads beside the state folder, whose control file and resume
     * data it never touches.
     */
    @Test
    void aTorrentNamedLikeTheStateFolderDownloadsBesideItAndLeavesTheControlFileAlone() throws Exception {
        Path set = dir.resolve("seed/.stampede");
        byte[] control = DiskFaults.randomFile(set.resolve("control.json"), 300_000, 37);
        DiskFaults.randomFile(set.resolve("other.bin"), 100_000, 38);
        Torrent t = DiskFaults.v1(set, PIECE);
        assertEquals(".stampede_", t.name());
        Files.move(set, dir.resolve("seed/.stampede_")); // the seeder's data lies where the name says too
        seeder.add(t, dir.resolve("seed"), AddOptions.defaults()).checked().get(30, TimeUnit.SECONDS);
        Path state = Files.createDirectories(dir.resolve("leech/.stampede"));
        byte[] ours = "{\"port\":1,\"token\":\"ours\"}\n".getBytes(StandardCharsets.UTF_8);
        Files.write(state.resolve("control.json"), ours);

        TorrentHandle h = download(t, dir.resolve("leech"));
        h.completion().get(60, TimeUnit.SECONDS);
        assertArrayEquals(control, Files.readAllBytes(dir.resolve("leech/.stampede_/control.json")));
        assertArrayEquals(ours, Files.readAllBytes(state.resolve("control.json")), "the control file is untouched");
        h.stop().get(30, TimeUnit.SECONDS);
        assertTrue(Files.exists(state.resolve(h.infoHash() + ".resume")), "resume data is in the state folder");
        try (var list = Files.list(state)) {
            assertEquals(2, list.count(), "and nothing of the torrent");
        }
    }

    /** Wherever the state folder is, a torrent whose file would lie in it, or be it, is refused when added. */
    @Test
    void aTorrentWithAFileInTheStateFolderIsRefusedWhenAdded() throws Exception {
        Path set = dir.resolve("src/set");
        DiskFaults.randomFile(set.resolve(".meta/control.json"), 1000, 39);
        Torrent multi = DiskFaults.v1(set, PIECE);
        Path single = dir.resolve("src/state");
        DiskFaults.randomFile(single, 1000, 40);
        Torrent one = DiskFaults.v1(single, PIECE);
        Path dl = Files.createDirectories(dir.resolve("dl"));
        for (Object[] c : new Object[][] { { multi, dl.resolve("set/.meta") }, { one, dl.resolve("state") },
                { one, dl.resolve("STATE/deeper") } }) {
            Path stateDir = (Path) c[1];
            try (EngineImpl e = TestEngines.create(LoopbackSwarmTest.settings(stateDir), TestStrategies.registry(),
                    u -> null)) {
                IOException refused = assertThrows(IOException.class,
                        () -> e.add((Torrent) c[0], dl, AddOptions.defaults()));
                assertTrue(refused.getMessage().contains(" and " + stateDir + ", the folder of Stampede's own state")
                        && refused.getMessage().contains("refused"), refused.getMessage());
                assertTrue(e.torrents().isEmpty());
            }
        }
        try (EngineImpl e = TestEngines.create(LoopbackSwarmTest.settings(dl.resolve("set/.other")),
                TestStrategies.registry(), u -> null)) {
            TorrentHandle h = e.add(multi, dl, AddOptions.defaults());
            h.checked().get(30, TimeUnit.SECONDS);
            assertEquals(TorrentStatus.State.DOWNLOADING, h.status().state(), "a state folder beside its files is fine");
        }
    }

    /** How a file was made unwritable, the error that gives, and how to make it writable again. */
    private record Unwritable(Path file, String method, String reason) {
        static Unwritable make(Path file) throws Exception {
            int uid = (Integer) Files.getAttribute(file, "unix:uid"); // we just created it: our user
            if (uid != 0) {
                Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("r--r--r--"));
                return new Unwritable(file, "chmod 444 (not root)", "Permission denied");
            }
            if (run("chattr", "+i", file.toString()) && !Files.isWritable(file)) {
                return new Unwritable(file, "chattr +i (root)", "Operation not permitted");
            }
            return new Unwritable(file, "fault injection: EACCES on opening it for writing (root, and chattr +i "
                    + "failed here)", "Permission denied");
        }

        void undo() throws Exception {
            if (method.startsWith("chattr")) {
                assertTrue(run("chattr", "-i", file.toString()), "chattr -i " + file);
            } else if (method.startsWith("chmod")) {
                Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-r--r--"));
            }
        }

        private static boolean run(String... command) throws Exception {
            try {
                Process p = new ProcessBuilder(command).redirectErrorStream(true)
                        .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
                if (!p.waitFor(10, TimeUnit.SECONDS)) {
                    p.destroyForcibly();
                    return false;
                }
                return p.exitValue() == 0;
            } catch (IOException notInstalled) {
                return false;
            }
        }
    }
}
