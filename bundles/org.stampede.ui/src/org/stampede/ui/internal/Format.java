package org.stampede.ui.internal;

import java.util.Locale;

/** How the views write sizes, rates, durations and ratios. */
public final class Format {
    private static final String[] UNITS = { "B", "KiB", "MiB", "GiB", "TiB", "PiB" };

    private Format() {
    }

    /** 1536 → "1.5 KiB"; below 1 KiB in bytes. */
    public static String bytes(long n) {
        if (n < 1024) {
            return n + " B";
        }
        double v = n;
        int u = 0;
        while (v >= 1024 && u < UNITS.length - 1) {
            v /= 1024;
            u++;
        }
        return String.format(Locale.ROOT, v >= 100 ? "%.0f %s" : "%.1f %s", v, UNITS[u]);
    }

    /** Bytes per second; empty for 0, so idle rows stay quiet. */
    public static String rate(long bytesPerSecond) {
        return bytesPerSecond <= 0 ? "" : bytes(bytesPerSecond) + "/s";
    }

    /** Seconds as "1h 02m", "3m 05s", "42s"; "∞" when unknown (negative). */
    public static String duration(long seconds) {
        if (seconds < 0) {
            return "\u221e";
        }
        if (seconds >= 86_400) {
            return String.format(Locale.ROOT, "%dd %02dh", seconds / 86_400, seconds % 86_400 / 3600);
        }
        if (seconds >= 3600) {
            return String.format(Locale.ROOT, "%dh %02dm", seconds / 3600, seconds % 3600 / 60);
        }
        if (seconds >= 60) {
            return String.format(Locale.ROOT, "%dm %02ds", seconds / 60, seconds % 60);
        }
        return seconds + "s";
    }

    /** Uploaded over downloaded, two decimals; "∞" when something was uploaded and nothing downloaded. */
    public static String ratio(long uploaded, long downloaded) {
        if (downloaded <= 0) {
            return uploaded > 0 ? "\u221e" : "0.00";
        }
        return String.format(Locale.ROOT, "%.2f", uploaded / (double) downloaded);
    }

    /** A fraction 0..1 as "42.0%". */
    public static String percent(double fraction) {
        return String.format(Locale.ROOT, "%.1f%%", Math.max(0, Math.min(1, fraction)) * 100);
    }
}
