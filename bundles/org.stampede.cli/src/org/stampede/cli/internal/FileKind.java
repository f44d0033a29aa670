package org.stampede.cli.internal;

import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;

/**
 * What a path names, told from its attributes alone (following symbolic links), so that a command can say why a path
 * does not do (a folder where a jar was asked for, a FIFO, a device) without opening it: opening a FIFO waits for a
 * writer, and reading {@code /dev/zero} never ends.
 */
public enum FileKind {
    /** Nothing there (or a path through a file). */
    MISSING("nothing"),
    FILE("a file"),
    FOLDER("a folder"),
    FIFO("a FIFO (named pipe)"),
    CHARACTER_DEVICE("a character device"),
    BLOCK_DEVICE("a block device"),
    SOCKET("a socket"),
    /** Neither a file nor a folder, of a kind the file system does not tell. */
    SPECIAL("a special file"),
    /** A symbolic link whose target does not exist. */
    DANGLING_LINK("a symbolic link to a path that does not exist"),
    /** Its attributes cannot be read: no permission to search a folder on the way. */
    INACCESSIBLE("not accessible (permission denied)");

    private static final int S_IFMT = 0170000;

    private final String words;

    FileKind(String words) {
        this.words = words;
    }

    /** The kind in words, as in "X is a FIFO (named pipe)". */
    public String words() {
        return words;
    }

    /** What {@code path} names; never opens it. */
    public static FileKind of(Path path) {
        BasicFileAttributes a;
        try {
            a = Files.readAttributes(path, BasicFileAttributes.class);
        } catch (NoSuchFileException e) {
            return Files.isSymbolicLink(path) ? DANGLING_LINK : MISSING;
        } catch (AccessDeniedException e) {
            return INACCESSIBLE;
        } catch (FileSystemException e) { // "Not a directory": a path through a file; a loop of links
            return Files.isSymbolicLink(path) ? DANGLING_LINK : MISSING;
        } catch (IOException | RuntimeException e) {
            return INACCESSIBLE;
        }
        if (a.isRegularFile()) {
            return FILE;
        }
        if (a.isDirectory()) {
            return FOLDER;
        }
        try {
            if (Files.getAttribute(path, "unix:mode") instanceof Integer mode) {
                switch (mode & S_IFMT) {
                    case 0010000:
                        return FIFO;
                    case 0020000:
                        return CHARACTER_DEVICE;
                    case 0060000:
                        return BLOCK_DEVICE;
                    case 0140000:
                        return SOCKET;
                    default:
                        break;
                }
            }
        } catch (IOException | RuntimeException e) { // no "unix" view on this file system
        }
        return SPECIAL;
    }

    /** "X is a folder", "X is a symbolic link to T, which does not exist", ... */
    public static String describe(Path path, FileKind kind) {
        if (kind == DANGLING_LINK) {
            try {
                return path + " is a symbolic link to " + Files.readSymbolicLink(path) + ", which does not exist";
            } catch (IOException | RuntimeException e) {
                // fall through to the general words
            }
        }
        return path + " is " + kind.words;
    }
}
