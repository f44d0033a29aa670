/**
 * A torrent's data on disk: the {@link org.stampede.storage.Storage} interface the engine uses (write and read
 * blocks, verify pieces, full checks, file priorities), its implementation over the files of a download folder,
 * {@link org.stampede.storage.FileStorage}, the shared disk threads and open-file cache it runs on,
 * {@link org.stampede.storage.DiskIo}, and fast resume, {@link org.stampede.storage.ResumeData}.
 * <p>
 * Typical use: one {@code DiskIo} for the process; per torrent
 * {@code FileStorage.open(torrent, downloadFolder, io)}, then {@code resume(resumeFile, listener)} to learn which
 * pieces are already good, then {@code writeBlock}/{@code verifyPiece} as blocks arrive and {@code readBlock} as
 * peers request them; {@code saveResumeData(resumeFile)} now and then and at the end, then {@code close()}.
 */
package org.stampede.storage;
