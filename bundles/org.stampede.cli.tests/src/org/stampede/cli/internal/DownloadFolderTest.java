package org.stampede.cli.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code download -o PATH} and {@code seed TORRENT DIR} with a path that is no usable folder: one {@code error:} line
 * that says what the path is, before any engine starts, and nothing created.
 */
@Timeout(value = 60, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class DownloadFolderTest {
    @TempDir
    Path dir;

    Path torrent;

    @BeforeEach
    void torrent() throws IOException {
        Path data = Files.write(dir.resolve("data.bin"), new byte[40_000]);
        torrent = dir.resolve("t.torrent");
        CliTest.Run r = CliTest.run("create", data.toString(), "-o", torrent.toString(), "-q");
        assertEquals(Cli.OK, r.status(), r::toString);
    }

    private CliTest.Run download(Path output) {
        return CliTest.run("download", torrent.toString(), "-o", output.toString(), "--port", "0");
    }

    @Test
    void outputThatIsAFileIsBadInputSayingSo() throws IOException {
        Path file = Files.writeString(dir.resolve("notes.txt"), "a file");
        CliTest.assertBadInput(download(file), "-o " + file + " is a file, not a folder");
        assertEquals("a file", Files.readString(file));
    }

    @Test
    void outputBelowAFileIsBadInputNamingTheFile() throws IOException {
        Path file = Files.writeString(dir.resolve("notes.txt"), "a file");
        CliTest.assertBadInput(download(file.resolve("sub/dl")), "-o " + file.resolve("sub/dl") + ": " + file
                + " is a file, not a folder");
    }

    @Test
    void outputThatIsADanglingSymbolicLinkIsBadInputNamingItsTarget() throws IOException {
        Path link = Files.createSymbolicLink(dir.resolve("dl"), dir.resolve("gone"));
        CliTest.assertBadInput(download(link), "-o " + link + " is a symbolic link to " + dir.resolve("gone")
                + ", which does not exist");
        assertFalse(Files.exists(dir.resolve("gone")), "nothing is created at the link's target");
    }

    @Test
    void outputThatIsAFifoOrADeviceIsBadInputSayingWhichKind() throws Exception {
        Path fifo = dir.resolve("pipe");
        Process p = new ProcessBuilder("mkfifo", fifo.toString()).inheritIO().start();
        assertTrue(p.waitFor(30, TimeUnit.SECONDS) && p.exitValue() == 0, "mkfifo");
        CliTest.assertBadInput(download(fifo), "-o " + fifo + " is a FIFO (named pipe), not a folder");
        CliTest.assertBadInput(download(Path.of("/dev/null")), "-o /dev/null is a character device, not a folder");
    }

    @Test
    void seedFolderThatIsAFileIsBadInputSayingSo() throws IOException {
        Path file = Files.writeString(dir.resolve("notes.txt"), "a file");
        CliTest.assertBadInput(CliTest.run("seed", torrent.toString(), file.toString(), "--port", "0"),
                file + " is a file, not a folder");
        CliTest.assertBadInput(CliTest.run("seed", torrent.toString(), dir.resolve("none").toString(), "--port", "0"),
                dir.resolve("none") + ": no such folder");
    }

    @Test
    void outputThatIsNotWritableIsAFailureSayingSo() throws IOException {
        Assumptions.assumeFalse("root".equals(System.getProperty("user.name")), "root may write anywhere");
        Path locked = Files.createDirectory(dir.resolve("locked"));
        Files.setPosixFilePermissions(locked, PosixFilePermissions.fromString("r-xr-xr-x"));
        try {
            CliTest.Run r = download(locked);
            assertEquals(Cli.FAILURE, r.status(), r::toString);
            assertTrue(r.err().startsWith("error: -o " + locked + ": the folder is not writable"), r::toString);
        } finally {
            Files.setPosixFilePermissions(locked, PosixFilePermissions.fromString("rwxr-xr-x"));
        }
    }
}
