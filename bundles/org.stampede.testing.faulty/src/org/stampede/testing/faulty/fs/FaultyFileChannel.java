package org.stampede.testing.faulty.fs;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.ReadableByteChannel;
import java.nio.channels.WritableByteChannel;
import java.nio.file.Path;

/** A real file's channel with the faults of its {@link FaultyFileSystem} on reads, writes and forces. */
final class FaultyFileChannel extends FileChannel {
    private final FaultyFileSystem fs;
    private final Path real;
    private final FileChannel inner;

    FaultyFileChannel(FaultyFileSystem fs, Path real, FileChannel inner) {
        this.fs = fs;
        this.real = real;
        this.inner = inner;
    }

    private void reading() throws IOException {
        fs.check(Fault.Op.READ, real, false);
    }

    /** Fails the write if a fault says so; a torn write puts the first half of the bytes in the file first. */
    private void writing(ByteBuffer src, long position) throws IOException {
        Fault f = fs.failing(Fault.Op.WRITE, real, true);
        if (f == null) {
            return;
        }
        if (f.isTorn() && src.remaining() > 1) {
            int limit = src.limit();
            src.limit(src.position() + src.remaining() / 2);
            try {
                while (src.hasRemaining()) {
                    long at = position < 0 ? inner.position() : position;
                    int n = position < 0 ? inner.write(src) : inner.write(src, position);
                    fs.written(real, at, n);
                    if (position >= 0) {
                        position += n;
                    }
                }
            } finally {
                src.limit(limit);
            }
        }
        throw f.errno().exception(Fault.Op.WRITE, real);
    }

    @Override
    public int read(ByteBuffer dst) throws IOException {
        reading();
        return inner.read(dst);
    }

    @Override
    public long read(ByteBuffer[] dsts, int offset, int length) throws IOException {
        reading();
        return inner.read(dsts, offset, length);
    }

    @Override
    public int read(ByteBuffer dst, long position) throws IOException {
        reading();
        return inner.read(dst, position);
    }

    @Override
    public int write(ByteBuffer src) throws IOException {
        writing(src, -1);
        long at = inner.position();
        int n = inner.write(src);
        fs.written(real, at, n);
        return n;
    }

    @Override
    public long write(ByteBuffer[] srcs, int offset, int length) throws IOException {
        long total = 0;
        for (int i = offset; i < offset + length; i++) {
            if (srcs[i].hasRemaining()) {
                int n = write(srcs[i]);
                total += n;
                if (srcs[i].hasRemaining()) {
                    break;
                }
            }
        }
        return total;
    }

    @Override
    public int write(ByteBuffer src, long position) throws IOException {
        writing(src, position);
        int n = inner.write(src, position);
        fs.written(real, position, n);
        return n;
    }

    @Override
    public long position() throws IOException {
        return inner.position();
    }

    @Override
    public FileChannel position(long newPosition) throws IOException {
        inner.position(newPosition);
        return this;
    }

    @Override
    public long size() throws IOException {
        return inner.size();
    }

    @Override
    public FileChannel truncate(long size) throws IOException {
        inner.truncate(size);
        return this;
    }

    @Override
    public void force(boolean metaData) throws IOException {
        Fault f = fs.failing(Fault.Op.FORCE, real, true);
        if (f != null) {
            if (f.dropsUnforced()) {
                fs.dropUnforced(real);
            }
            throw f.errno().exception(Fault.Op.FORCE, real);
        }
        inner.force(metaData);
        fs.forced(real);
    }

    @Override
    public long transferTo(long position, long count, WritableByteChannel target) throws IOException {
        reading();
        return inner.transferTo(position, count, target);
    }

    @Override
    public long transferFrom(ReadableByteChannel src, long position, long count) throws IOException {
        Fault f = fs.failing(Fault.Op.WRITE, real, true);
        if (f != null) {
            throw f.errno().exception(Fault.Op.WRITE, real);
        }
        long n = inner.transferFrom(src, position, count);
        fs.written(real, position, n);
        return n;
    }

    @Override
    public MappedByteBuffer map(MapMode mode, long position, long size) throws IOException {
        return inner.map(mode, position, size);
    }

    @Override
    public FileLock lock(long position, long size, boolean shared) throws IOException {
        return inner.lock(position, size, shared);
    }

    @Override
    public FileLock tryLock(long position, long size, boolean shared) throws IOException {
        return inner.tryLock(position, size, shared);
    }

    @Override
    protected void implCloseChannel() throws IOException {
        inner.close();
    }
}
