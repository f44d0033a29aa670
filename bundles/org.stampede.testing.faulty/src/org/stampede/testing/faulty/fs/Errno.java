package org.stampede.testing.faulty.fs;

import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileSystemException;
import java.nio.file.Path;

/**
 * The errors a fault raises, as the JDK reports them on Linux: opening a file gives a
 * {@link FileSystemException} naming it ({@link AccessDeniedException} for {@link #EACCES}); a read, write or force
 * of an open channel gives a plain {@link IOException} with the system's message.
 */
public enum Errno {
    /** The disk is full. */
    ENOSPC("No space left on device"),
    /** The device failed. */
    EIO("Input/output error"),
    /** Permission denied. */
    EACCES("Permission denied"),
    /** The file system is mounted read-only. */
    EROFS("Read-only file system");

    private final String message;

    Errno(String message) {
        this.message = message;
    }

    /** The system's message, as {@code strerror} gives it. */
    public String message() {
        return message;
    }

    /** The exception the JDK throws for this error on {@code file}. */
    public IOException exception(Fault.Op op, Path file) {
        if (op == Fault.Op.OPEN || op == Fault.Op.MOVE) {
            return this == EACCES ? new AccessDeniedException(file.toString())
                    : new FileSystemException(file.toString(), null, message);
        }
        return new IOException(message);
    }
}
