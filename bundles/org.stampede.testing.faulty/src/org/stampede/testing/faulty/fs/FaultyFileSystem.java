package org.stampede.testing.faulty.fs;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.FileStore;
import java.nio.file.FileSystem;
import java.nio.file.FileSystems;
import java.nio.file.Path;
import java.nio.file.PathMatcher;
import java.nio.file.ProviderMismatchException;
import java.nio.file.StandardOpenOption;
import java.nio.file.WatchService;
import java.nio.file.attribute.UserPrincipalLookupService;
import java.nio.file.spi.FileSystemProvider;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A file system over the real (default) one that fails the operations its {@link Fault faults} choose, for tests.
 * Its paths are the real paths ({@link #wrap(Path)} and {@link #real(Path)} convert), so the files a test sees with
 * plain {@code java.nio.file} are the ones the code under test wrote through here; removing the faults makes it a
 * plain view of the real files again.
 * <p>
 * Every operation of {@code Files} and {@code FileChannel} works on its paths. Opening, reading, writing, forcing and
 * moving files can fail; everything else (attributes, folders, links, real paths) passes through. Memory-mapped
 * access is not watched. Thread-safe.
 */
public final class FaultyFileSystem extends FileSystem {
    private final FileSystem base;
    private final FaultyProvider provider;
    private final List<Fault> faults = new CopyOnWriteArrayList<>();
    /** Per real file, the byte ranges written since its last successful force ({@code [start, end)}); guarded by itself. */
    private final Map<Path, List<long[]>> unforced = new HashMap<>();

    private FaultyFileSystem(FileSystem base) {
        this.base = base;
        this.provider = new FaultyProvider(this, base.provider());
    }

    /** A faulty file system over the default one, with no fault yet. */
    public static FaultyFileSystem overDefault() {
        return new FaultyFileSystem(FileSystems.getDefault());
    }

    /** The path of this file system for a real path. */
    public Path wrap(Path realPath) {
        if (realPath instanceof FaultyPath f) {
            if (f.fs != this) {
                throw new ProviderMismatchException("a path of another faulty file system: " + realPath);
            }
            return f;
        }
        if (realPath.getFileSystem() != base) {
            throw new ProviderMismatchException("not a path of " + base + ": " + realPath);
        }
        return new FaultyPath(this, realPath);
    }

    /** The real path behind a path of any faulty file system; another path as it is. */
    public static Path real(Path path) {
        return path instanceof FaultyPath f ? f.inner : path;
    }

    /** Adds a fault: from now on it fails the operations it chooses. */
    public Fault inject(Fault fault) {
        faults.add(Objects.requireNonNull(fault, "fault"));
        return fault;
    }

    /** Removes a fault. */
    public void remove(Fault fault) {
        faults.remove(fault);
    }

    /** Removes every fault: this is a plain view of the real files again. */
    public void clear() {
        faults.clear();
    }

    /** The faults in place. */
    public List<Fault> faults() {
        return List.copyOf(faults);
    }

    // ---------------------------------------------------------------- used by the provider and the channels

    /** The first fault that fails this operation, or null; every fault that matches counts it. */
    Fault failing(Fault.Op op, Path realPath, boolean writing) {
        Fault first = null;
        for (Fault f : faults) {
            if (f.fails(op, realPath, writing) && first == null) {
                first = f;
            }
        }
        return first;
    }

    /** Throws the error of the first fault that fails this operation. */
    void check(Fault.Op op, Path realPath, boolean writing) throws IOException {
        Fault f = failing(op, realPath, writing);
        if (f != null) {
            throw f.errno().exception(op, realPath);
        }
    }

    void written(Path realPath, long position, long length) {
        if (length <= 0) {
            return;
        }
        synchronized (unforced) {
            List<long[]> ranges = unforced.computeIfAbsent(realPath, k -> new ArrayList<>());
            long end = position + length;
            for (long[] r : ranges) {
                if (position <= r[1] && end >= r[0]) { // touches: merge
                    r[0] = Math.min(r[0], position);
                    r[1] = Math.max(r[1], end);
                    return;
                }
            }
            ranges.add(new long[] { position, end });
        }
    }

    void forced(Path realPath) {
        synchronized (unforced) {
            unforced.remove(realPath);
        }
    }

    /** A failed force that loses data: the ranges written since the last good one become zeros. */
    void dropUnforced(Path realPath) {
        List<long[]> ranges;
        synchronized (unforced) {
            ranges = unforced.remove(realPath);
        }
        if (ranges == null) {
            return;
        }
        try (FileChannel ch = base.provider().newFileChannel(realPath, Set.of(StandardOpenOption.WRITE))) {
            ByteBuffer zeros = ByteBuffer.allocate(64 * 1024);
            for (long[] r : ranges) {
                for (long at = r[0]; at < r[1];) {
                    zeros.clear().limit((int) Math.min(zeros.capacity(), r[1] - at));
                    at += ch.write(zeros, at);
                }
            }
        } catch (IOException e) {
            throw new IllegalStateException("cannot drop the unforced writes of " + realPath, e);
        }
    }

    FileSystem base() {
        return base;
    }

    // ---------------------------------------------------------------- FileSystem

    @Override
    public FileSystemProvider provider() {
        return provider;
    }

    @Override
    public void close() {
        throw new UnsupportedOperationException("a faulty file system stays open");
    }

    @Override
    public boolean isOpen() {
        return true;
    }

    @Override
    public boolean isReadOnly() {
        return false;
    }

    @Override
    public String getSeparator() {
        return base.getSeparator();
    }

    @Override
    public Iterable<Path> getRootDirectories() {
        List<Path> roots = new ArrayList<>();
        for (Path r : base.getRootDirectories()) {
            roots.add(wrap(r));
        }
        return roots;
    }

    @Override
    public Iterable<FileStore> getFileStores() {
        return base.getFileStores();
    }

    @Override
    public Set<String> supportedFileAttributeViews() {
        return base.supportedFileAttributeViews();
    }

    @Override
    public Path getPath(String first, String... more) {
        return wrap(base.getPath(first, more));
    }

    @Override
    public PathMatcher getPathMatcher(String syntaxAndPattern) {
        PathMatcher m = base.getPathMatcher(syntaxAndPattern);
        return p -> m.matches(real(p));
    }

    @Override
    public UserPrincipalLookupService getUserPrincipalLookupService() {
        return base.getUserPrincipalLookupService();
    }

    @Override
    public WatchService newWatchService() {
        throw new UnsupportedOperationException("a faulty file system has no watch service");
    }

    @Override
    public String toString() {
        return "FaultyFileSystem" + faults;
    }
}
