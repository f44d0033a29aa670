package org.stampede.testing.faulty.fs;

import java.io.IOException;
import java.net.URI;
import java.nio.channels.FileChannel;
import java.nio.channels.SeekableByteChannel;
import java.nio.file.AccessMode;
import java.nio.file.CopyOption;
import java.nio.file.DirectoryStream;
import java.nio.file.FileStore;
import java.nio.file.FileSystem;
import java.nio.file.LinkOption;
import java.nio.file.OpenOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.FileAttributeView;
import java.nio.file.spi.FileSystemProvider;
import java.util.Iterator;
import java.util.Map;
import java.util.Set;

/** The provider of a {@link FaultyFileSystem}: the base provider on the real paths, with the faults on the way. */
final class FaultyProvider extends FileSystemProvider {
    private final FaultyFileSystem fs;
    private final FileSystemProvider base;

    FaultyProvider(FaultyFileSystem fs, FileSystemProvider base) {
        this.fs = fs;
        this.base = base;
    }

    private static Path real(Path p) {
        return FaultyFileSystem.real(p);
    }

    @Override
    public String getScheme() {
        return "faulty";
    }

    @Override
    public FileSystem newFileSystem(URI uri, Map<String, ?> env) {
        throw new UnsupportedOperationException("use FaultyFileSystem.overDefault()");
    }

    @Override
    public FileSystem getFileSystem(URI uri) {
        throw new UnsupportedOperationException("use FaultyFileSystem.overDefault()");
    }

    @Override
    public Path getPath(URI uri) {
        return fs.wrap(base.getPath(uri));
    }

    @Override
    public FileChannel newFileChannel(Path path, Set<? extends OpenOption> options, FileAttribute<?>... attrs)
            throws IOException {
        Path real = real(path);
        boolean writing = options.contains(StandardOpenOption.WRITE) || options.contains(StandardOpenOption.APPEND);
        fs.check(Fault.Op.OPEN, real, writing);
        return new FaultyFileChannel(fs, real, base.newFileChannel(real, options, attrs));
    }

    @Override
    public SeekableByteChannel newByteChannel(Path path, Set<? extends OpenOption> options,
            FileAttribute<?>... attrs) throws IOException {
        return newFileChannel(path, options, attrs);
    }

    @Override
    public DirectoryStream<Path> newDirectoryStream(Path dir, DirectoryStream.Filter<? super Path> filter)
            throws IOException {
        DirectoryStream<Path> in = base.newDirectoryStream(real(dir), p -> filter.accept(fs.wrap(p)));
        return new DirectoryStream<>() {
            @Override
            public Iterator<Path> iterator() {
                Iterator<Path> it = in.iterator();
                return new Iterator<>() {
                    @Override
                    public boolean hasNext() {
                        return it.hasNext();
                    }

                    @Override
                    public Path next() {
                        return fs.wrap(it.next());
                    }
                };
            }

            @Override
            public void close() throws IOException {
                in.close();
            }
        };
    }

    @Override
    public void createDirectory(Path dir, FileAttribute<?>... attrs) throws IOException {
        base.createDirectory(real(dir), attrs);
    }

    @Override
    public void createSymbolicLink(Path link, Path target, FileAttribute<?>... attrs) throws IOException {
        base.createSymbolicLink(real(link), real(target), attrs);
    }

    @Override
    public void createLink(Path link, Path existing) throws IOException {
        base.createLink(real(link), real(existing));
    }

    @Override
    public Path readSymbolicLink(Path link) throws IOException {
        return fs.wrap(base.readSymbolicLink(real(link)));
    }

    @Override
    public void delete(Path path) throws IOException {
        base.delete(real(path));
    }

    @Override
    public void copy(Path source, Path target, CopyOption... options) throws IOException {
        base.copy(real(source), real(target), options);
    }

    @Override
    public void move(Path source, Path target, CopyOption... options) throws IOException {
        fs.check(Fault.Op.MOVE, real(source), true);
        base.move(real(source), real(target), options);
    }

    @Override
    public boolean isSameFile(Path path, Path path2) throws IOException {
        return base.isSameFile(real(path), real(path2));
    }

    @Override
    public boolean isHidden(Path path) throws IOException {
        return base.isHidden(real(path));
    }

    @Override
    public FileStore getFileStore(Path path) throws IOException {
        return base.getFileStore(real(path));
    }

    @Override
    public void checkAccess(Path path, AccessMode... modes) throws IOException {
        base.checkAccess(real(path), modes);
    }

    @Override
    public <V extends FileAttributeView> V getFileAttributeView(Path path, Class<V> type, LinkOption... options) {
        return base.getFileAttributeView(real(path), type, options);
    }

    @Override
    public <A extends BasicFileAttributes> A readAttributes(Path path, Class<A> type, LinkOption... options)
            throws IOException {
        return base.readAttributes(real(path), type, options);
    }

    @Override
    public Map<String, Object> readAttributes(Path path, String attributes, LinkOption... options)
            throws IOException {
        return base.readAttributes(real(path), attributes, options);
    }

    @Override
    public void setAttribute(Path path, String attribute, Object value, LinkOption... options) throws IOException {
        base.setAttribute(real(path), attribute, value, options);
    }
}
