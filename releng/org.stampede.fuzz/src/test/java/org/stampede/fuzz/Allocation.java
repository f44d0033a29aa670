package org.stampede.fuzz;

import java.lang.management.ManagementFactory;

/**
 * The fuzz targets' memory oracle: one parse may allocate a fixed amount plus a bounded multiple of the bytes it was
 * given, never what those bytes claim (a string length, a frame length, a piece count). A parser that allocates a
 * claimed 100 MiB for a 20-byte input fails here long before it would run out of heap.
 * <p>
 * The first parse of a run also pays for loading and initialising classes, which is counted on the same thread; a
 * parse over budget is therefore run again, and only a second run over budget is a finding.
 */
public final class Allocation {
    /** What any parse may allocate besides its share per input byte: 1 MiB. */
    public static final long FIXED = 1L << 20;

    private static final com.sun.management.ThreadMXBean THREADS =
            (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();

    private Allocation() {
    }

    /** A parse that handles the errors it is allowed to raise itself; anything it throws is a finding. */
    @FunctionalInterface
    public interface Parse {
        void run();
    }

    /**
     * Runs {@code parse} and fails if it allocated more than {@link #FIXED} plus {@code perByte} bytes per input
     * byte.
     */
    public static void bounded(int inputLength, int perByte, Parse parse) {
        long budget = FIXED + (long) perByte * inputLength;
        long used = measure(parse);
        if (used > budget) {
            long again = measure(parse);
            if (again > budget) {
                throw new AssertionError("a parse of " + inputLength + " bytes allocated " + again + " bytes ("
                        + used + " the first time), more than its budget of " + budget + " (" + FIXED + " + "
                        + perByte + " per input byte): memory follows a claimed length, not the input");
            }
        }
    }

    private static long measure(Parse parse) {
        long id = Thread.currentThread().threadId();
        long before = THREADS.getThreadAllocatedBytes(id);
        parse.run();
        return THREADS.getThreadAllocatedBytes(id) - before;
    }
}
