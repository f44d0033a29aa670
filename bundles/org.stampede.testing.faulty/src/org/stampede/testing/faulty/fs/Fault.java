package org.stampede.testing.faulty.fs;

import java.nio.file.Path;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Predicate;

/**
 * One fault of a {@link FaultyFileSystem}: which operation on which files fails, from which one on, how many times,
 * and with which error. Configure it before {@link FaultyFileSystem#inject injecting} it; it counts the operations
 * it saw and failed from then on, from any thread.
 *
 * <pre>{@code
 * fs.inject(Fault.on(Fault.Op.WRITE, Errno.ENOSPC).named("b.bin").after(40).always());
 * }</pre>
 */
public final class Fault {

    /** The operations a fault can fail. */
    public enum Op {
        /** Opening a file (a channel or stream of it); see {@link Fault#forWriting()}. */
        OPEN,
        /** A read of an open file. */
        READ,
        /** A write of an open file. */
        WRITE,
        /** Forcing an open file's data to the device ({@code FileChannel.force}, {@code fsync}). */
        FORCE,
        /** Moving or renaming a file; the fault sees the source. */
        MOVE
    }

    private final Op op;
    private final Errno errno;
    private Predicate<Path> where = p -> true;
    private long after;
    private long times = 1;
    private boolean forWriting;
    private boolean torn;
    private boolean dropsUnforcedWrites;
    private final AtomicLong seen = new AtomicLong();
    private final AtomicLong failed = new AtomicLong();

    private Fault(Op op, Errno errno) {
        this.op = Objects.requireNonNull(op, "op");
        this.errno = Objects.requireNonNull(errno, "errno");
    }

    /** A fault that fails the first {@code op} on any file with {@code errno}. */
    public static Fault on(Op op, Errno errno) {
        return new Fault(op, errno);
    }

    /** Only the files whose real path matches. */
    public Fault where(Predicate<Path> realPath) {
        this.where = Objects.requireNonNull(realPath, "realPath");
        return this;
    }

    /** Only the files with this name (the last component of the path). */
    public Fault named(String fileName) {
        return where(p -> p.getFileName() != null && p.getFileName().toString().equals(fileName));
    }

    /** Only the files whose name ends with this. */
    public Fault nameEndsWith(String suffix) {
        return where(p -> p.getFileName() != null && p.getFileName().toString().endsWith(suffix));
    }

    /** Lets the first {@code n} matching operations through: the {@code n+1}th fails. */
    public Fault after(long n) {
        if (n < 0) {
            throw new IllegalArgumentException("after " + n);
        }
        this.after = n;
        return this;
    }

    /** Fails {@code n} matching operations in a row (1 unless set), then lets them through again. */
    public Fault times(long n) {
        if (n < 1) {
            throw new IllegalArgumentException("times " + n);
        }
        this.times = n;
        return this;
    }

    /** Fails every matching operation from the first failed one on: a fault that lasts until it is removed. */
    public Fault always() {
        this.times = Long.MAX_VALUE;
        return this;
    }

    /** For {@link Op#OPEN}: only opens for writing (with {@code WRITE} or {@code APPEND}). */
    public Fault forWriting() {
        this.forWriting = true;
        return this;
    }

    /** For {@link Op#WRITE}: the first half of the bytes reach the file before the error, as when a disk fills. */
    public Fault torn() {
        this.torn = true;
        return this;
    }

    /**
     * For {@link Op#FORCE}: the bytes written to the file since its last successful force are lost when this fails
     * (they read as zeros), as a system that failed to write dirty pages back may drop them and report the error
     * only once.
     */
    public Fault dropsUnforcedWrites() {
        this.dropsUnforcedWrites = true;
        return this;
    }

    /** The operations that matched this fault so far, failed or not. */
    public long seen() {
        return seen.get();
    }

    /** The operations this fault failed so far. */
    public long failures() {
        return failed.get();
    }

    Op op() {
        return op;
    }

    Errno errno() {
        return errno;
    }

    boolean isTorn() {
        return torn;
    }

    boolean dropsUnforced() {
        return dropsUnforcedWrites;
    }

    /** Whether this operation fails: counts it if it matches. */
    boolean fails(Op what, Path realPath, boolean writing) {
        if (what != op || forWriting && !writing || !where.test(realPath)) {
            return false;
        }
        long i = seen.getAndIncrement();
        if (i >= after && i - after < times) {
            failed.incrementAndGet();
            return true;
        }
        return false;
    }

    @Override
    public String toString() {
        return "Fault[" + op + " " + errno + (after > 0 ? " after " + after : "")
                + (times == Long.MAX_VALUE ? " always" : times > 1 ? " " + times + " times" : "") + ", failed "
                + failed.get() + " of " + seen.get() + "]";
    }
}
