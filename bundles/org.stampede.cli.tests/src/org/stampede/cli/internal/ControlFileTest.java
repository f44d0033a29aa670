package org.stampede.cli.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code .stampede/control.json}: written privately, read back strictly. */
class ControlFileTest {
    @TempDir
    Path dir;

    final ControlFile control = new ControlFile(4242, ControlFakes.TOKEN, 99);

    @Test
    void whatIsWrittenIsReadBack() throws IOException {
        Path file = ControlFile.in(dir.resolve(".stampede"));
        control.write(file);
        assertEquals(control, ControlFile.read(file));
    }

    @Test
    void theFileIsReadableByItsOwnerOnly() throws IOException {
        assumeTrue(dir.getFileSystem().supportedFileAttributeViews().contains("posix"), "no POSIX permissions here");
        Path file = dir.resolve("control.json");
        control.write(file);
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(file)));
    }

    @Test
    void newTokensAre64HexDigitsAndDiffer() {
        String a = ControlFile.newToken();
        assertTrue(a.matches("[0-9a-f]{64}"), a);
        assertNotEquals(a, ControlFile.newToken());
    }

    @Test
    void aFileLargerThanAControlFileIsRefused() throws IOException {
        Path file = Files.writeString(dir.resolve("control.json"), " ".repeat(ControlFile.MAX_SIZE + 1));
        IOException e = assertThrows(IOException.class, () -> ControlFile.read(file));
        assertTrue(e.getMessage().contains("larger than"), e.getMessage());
    }

    @Test
    void aPortOutOfRangeIsRefused() throws IOException {
        Path file = Files.writeString(dir.resolve("control.json"),
                "{\"port\":4294971538,\"token\":\"" + ControlFakes.TOKEN + "\",\"pid\":1}");
        IOException e = assertThrows(IOException.class, () -> ControlFile.read(file));
        assertTrue(e.getMessage().contains("not a control file"), e.getMessage());
    }

    @Test
    void malformedJsonIsNotAControlFile() throws IOException {
        Path file = Files.writeString(dir.resolve("control.json"), "{\"port\": 1, \"tok");
        IOException e = assertThrows(IOException.class, () -> ControlFile.read(file));
        assertTrue(e.getMessage().contains("not a control file"), e.getMessage());
    }

    @Test
    void deleteRemovesTheFileOnlyWhileItIsThisOnes() throws IOException {
        Path file = dir.resolve("control.json");
        new ControlFile(1, "b".repeat(64), 1).write(file);
        control.deleteIfOurs(file);
        assertTrue(Files.exists(file));
        control.write(file);
        control.deleteIfOurs(file);
        assertFalse(Files.exists(file));
    }
}
