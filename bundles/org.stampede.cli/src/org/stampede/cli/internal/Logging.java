package org.stampede.cli.internal;

import java.util.logging.ConsoleHandler;
import java.util.logging.Formatter;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

/**
 * Logging for the command line: warnings and errors as one line each on stderr (the progress bar and the
 * {@code error:} line stay readable); with {@code STAMPEDE_DEBUG=1}, everything from INFO with stack traces. On a
 * terminal a log line first clears the progress line drawn in place there, which is drawn again below it.
 */
final class Logging {
    private Logging() {
    }

    static void configure(boolean debug) {
        Logger root = Logger.getLogger("");
        for (var h : root.getHandlers()) {
            root.removeHandler(h);
        }
        String clearLine = ProgressBar.stderrIsTerminal() ? "\r\u001b[K" : "";
        ConsoleHandler console = new ConsoleHandler();
        console.setLevel(debug ? Level.ALL : Level.WARNING);
        console.setFormatter(new Formatter() {
            @Override
            public String format(LogRecord r) {
                String text = formatMessage(r);
                StringBuilder sb = new StringBuilder(clearLine).append("stampede: ")
                        .append(r.getLevel().getName().toLowerCase()).append(": ").append(text);
                if (r.getThrown() != null) {
                    sb.append(" (").append(r.getThrown()).append(')');
                    if (debug) {
                        java.io.StringWriter w = new java.io.StringWriter();
                        r.getThrown().printStackTrace(new java.io.PrintWriter(w));
                        sb.append(System.lineSeparator()).append(w);
                    }
                }
                return sb.append(System.lineSeparator()).toString();
            }
        });
        root.addHandler(console);
        root.setLevel(debug ? Level.INFO : Level.WARNING);
    }
}
