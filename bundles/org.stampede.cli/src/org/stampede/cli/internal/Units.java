package org.stampede.cli.internal;

import java.util.Locale;

/** Human-readable sizes and durations, and parsing of sizes given on the command line. */
final class Units {
    private static final String[] UNITS = { "B", "KiB", "MiB", "GiB", "TiB", "PiB" };

    private Units() {
    }

    static String bytes(long n) {
        if (n < 1024) {
            return n + " B";
        }
        double v = n;
        int u = 0;
        while (v >= 1024 && u < UNITS.length - 1) {
            v /= 1024;
            u++;
        }
        return String.format(Locale.ROOT, "%.1f %s", v, UNITS[u]);
    }

    static String duration(long seconds) {
        long h = seconds / 3600;
        long m = seconds / 60 % 60;
        long s = seconds % 60;
        return h > 0 ? String.format(Locale.ROOT, "%d:%02d:%02d", h, m, s) : String.format(Locale.ROOT, "%d:%02d", m, s);
    }

    /** Parses "262144", "256K", "256KiB", "4M", "4MiB" (binary multiples). */
    static long parseSize(String text) throws BadInputException {
        String s = text.strip().toUpperCase(Locale.ROOT);
        long mult = 1;
        String[][] suffixes = { { "KIB", "1024" }, { "MIB", "1048576" }, { "GIB", "1073741824" }, { "K", "1024" },
                { "M", "1048576" }, { "G", "1073741824" }, { "B", "1" } };
        for (String[] suf : suffixes) {
            if (s.endsWith(suf[0])) {
                mult = Long.parseLong(suf[1]);
                s = s.substring(0, s.length() - suf[0].length()).strip();
                break;
            }
        }
        try {
            long v = Long.parseLong(s);
            if (v < 0) {
                throw new NumberFormatException();
            }
            return Math.multiplyExact(v, mult);
        } catch (NumberFormatException | ArithmeticException e) {
            throw new BadInputException("'" + text + "' is not a size in bytes (e.g. 262144, 256K, 4MiB)");
        }
    }
}
