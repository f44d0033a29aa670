package org.stampede.storage;

import java.io.IOException;

/**
 * A storage operation that cannot be done: a block outside its piece, a piece that is not wanted, a file that is
 * missing or shorter than the torrent says, a path that would leave the download folder, a closed storage. The
 * message says what and where. The futures of {@link Storage} complete exceptionally with this (or with the
 * {@link IOException} the file system raised).
 */
public class StorageException extends IOException {
    private static final long serialVersionUID = 1L;

    public StorageException(String message) {
        super(message);
    }

    public StorageException(String message, Throwable cause) {
        super(message, cause);
    }
}
