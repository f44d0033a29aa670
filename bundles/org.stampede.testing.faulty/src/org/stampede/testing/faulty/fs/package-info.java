/**
 * A file system that fails on purpose, for tests only: {@link org.stampede.testing.faulty.fs.FaultyFileSystem} lays
 * itself over the real one (its paths are the real paths, its files the real files) and fails the chosen operations
 * (the Nth write, read, force, open or rename of the files a test picks) with the error the operating system would
 * give (no space left on device, an I/O error, permission denied). Code under test uses it unchanged: it is handed a
 * path of this file system instead of a real one, and every {@code Files} and {@code FileChannel} call on it goes
 * through here.
 */
package org.stampede.testing.faulty.fs;
