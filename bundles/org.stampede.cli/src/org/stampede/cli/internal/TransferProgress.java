package org.stampede.cli.internal;

import java.io.PrintStream;
import java.util.Locale;

import org.stampede.engine.TorrentHandle;
import org.stampede.engine.TorrentStatus;

/**
 * The progress line of a transfer on stderr: state, percent, amounts, rates, peers, ETA. Redrawn in place on a
 * terminal, a line every ten seconds elsewhere (logs).
 */
final class TransferProgress {
    private static final int WIDTH = 24;
    private final PrintStream err;
    private final boolean terminal;
    private long lastLine;

    TransferProgress(PrintStream err, boolean terminal) {
        this.err = err;
        this.terminal = terminal;
    }

    void show(String label, TorrentHandle h, boolean force) {
        long now = System.nanoTime();
        if (!terminal && !force && now - lastLine < 10_000_000_000L) {
            return;
        }
        lastLine = now;
        err.print(format(label, h.status()));
        err.flush();
    }

    String format(String label, TorrentStatus s) {
        int filled = (int) Math.round(s.progress() * WIDTH);
        long eta = s.etaSeconds();
        String line = String.format(Locale.ROOT, "%s %-11s [%s%s] %5.1f%% %s/%s down %s/s up %s/s peers %d (%d seeds)%s",
                label, s.state().name().toLowerCase(Locale.ROOT), "#".repeat(filled), "-".repeat(WIDTH - filled),
                s.progress() * 100, Units.bytes(s.bytesDone()), Units.bytes(s.bytesWanted()),
                Units.bytes(s.downloadRate()), Units.bytes(s.uploadRate()), s.peers(), s.seeds(),
                s.state() == TorrentStatus.State.DOWNLOADING && eta >= 0 ? " ETA " + Units.duration(eta) : "");
        return terminal ? "\r" + line + "\u001b[K" : line + "\n";
    }

    void end() {
        if (terminal) {
            err.println();
        }
    }
}
