package org.stampede.storage;

/**
 * The disk queue is full: the operation was refused at once and did nothing (the caller still owns its buffer).
 * This is back-pressure, not a failure of the disk: stop reading from peers until some of your pending operations
 * complete, then retry or re-request the block. See {@link DiskIo}.
 */
public final class StorageBusyException extends StorageException {
    private static final long serialVersionUID = 1L;

    public StorageBusyException(String message) {
        super(message);
    }
}
