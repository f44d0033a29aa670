package org.stampede.cli.internal;

import java.io.PrintStream;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A progress bar on stderr for long commands: percent, amount, rate and ETA. On a terminal it redraws one line at
 * most ten times a second; elsewhere (logs, pipes) it prints a line every tenth of the way. Thread-safe and
 * lock-free: workers may call {@link #update} as often as they like.
 */
final class ProgressBar {
    private static final int WIDTH = 30;
    private final PrintStream err;
    private final String label;
    private final boolean terminal;
    private final long startNanos = System.nanoTime();
    private final AtomicLong lastDraw = new AtomicLong(Long.MIN_VALUE);
    private final AtomicLong lastDecile = new AtomicLong(-1);
    private volatile long done;
    private volatile long total;

    ProgressBar(PrintStream err, String label, boolean terminal) {
        this.err = err;
        this.label = label;
        this.terminal = terminal;
    }

    static boolean stderrIsTerminal() {
        return System.console() != null && System.getenv("TERM") != null && !"dumb".equals(System.getenv("TERM"));
    }

    void update(long bytesDone, long bytesTotal) {
        this.done = bytesDone;
        this.total = bytesTotal;
        if (terminal) {
            long now = System.nanoTime();
            long last = lastDraw.get();
            if (now - last >= 100_000_000L && lastDraw.compareAndSet(last, now)) {
                draw(false);
            }
        } else if (bytesTotal > 0) {
            long decile = bytesDone * 10 / bytesTotal;
            long last = lastDecile.get();
            if (decile > last && lastDecile.compareAndSet(last, decile)) {
                draw(false);
            }
        }
    }

    /** Draws the final state and ends the line. */
    void finish() {
        draw(true);
    }

    private synchronized void draw(boolean last) {
        long d = done;
        long t = Math.max(total, 1);
        double fraction = Math.min(1.0, (double) d / t);
        double seconds = Math.max((System.nanoTime() - startNanos) / 1e9, 1e-3);
        double rate = d / seconds;
        int filled = (int) Math.round(fraction * WIDTH);
        StringBuilder sb = new StringBuilder();
        if (terminal) {
            sb.append('\r');
        }
        sb.append(label).append(" [").append("#".repeat(filled)).append("-".repeat(WIDTH - filled)).append("] ");
        sb.append(String.format(Locale.ROOT, "%3d%% %s/%s %s/s", (int) (fraction * 100), Units.bytes(d),
                Units.bytes(total), Units.bytes((long) rate)));
        if (last) {
            sb.append(String.format(Locale.ROOT, " in %.1f s", seconds));
        } else if (rate > 0 && d < total) {
            sb.append(" ETA ").append(Units.duration((long) ((total - d) / rate)));
        }
        if (terminal) {
            sb.append("\u001b[K");
            if (last) {
                sb.append('\n');
            }
            err.print(sb);
        } else {
            err.println(sb);
        }
        err.flush();
    }
}
