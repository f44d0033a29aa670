package org.stampede.cli.internal;

import java.io.IOException;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.nio.file.AccessDeniedException;
import java.nio.file.NoSuchFileException;

import org.stampede.metainfo.MetainfoException;

import picocli.CommandLine;

/**
 * Entry point of the command line, independent of OSGi so that it can be tested directly.
 * <p>
 * Exit status: 0 on success; 2 for bad input (a malformed torrent or magnet, a missing file, a wrong option), with
 * one line on stderr starting {@code error:}; 1 for any other failure, likewise one {@code error:} line. A stack
 * trace is printed only when the environment sets {@code STAMPEDE_DEBUG=1}.
 */
public final class Cli {
    public static final int OK = 0;
    public static final int FAILURE = 1;
    public static final int BAD_INPUT = 2;

    private Cli() {
    }

    public static int run(String[] args, PrintStream out, PrintStream err) {
        CommandLine cl = new CommandLine(new StampedeCommand(out, err));
        cl.setOut(new PrintWriter(out, true));
        cl.setErr(new PrintWriter(err, true));
        cl.setParameterExceptionHandler((ex, a) -> {
            err.println("error: " + oneLine(ex.getMessage()) + " (see --help)");
            return BAD_INPUT;
        });
        cl.setExecutionExceptionHandler((ex, commandLine, parseResult) -> report(ex, err));
        try {
            return cl.execute(args);
        } catch (RuntimeException | Error e) {
            return report(e, err);
        }
    }

    /** Prints the one-line error for {@code e} and returns the exit status it maps to. */
    static int report(Throwable e, PrintStream err) {
        if ("1".equals(System.getenv("STAMPEDE_DEBUG"))) {
            e.printStackTrace(err);
        }
        if (e instanceof BadInputException || e instanceof MetainfoException) {
            err.println("error: " + oneLine(e.getMessage()));
            return BAD_INPUT;
        }
        if (e instanceof NoSuchFileException nsf) {
            err.println("error: " + nsf.getFile() + ": no such file or folder");
            return BAD_INPUT;
        }
        if (e instanceof AccessDeniedException ade) {
            err.println("error: " + ade.getFile() + ": permission denied");
            return FAILURE;
        }
        if (e instanceof IOException) {
            err.println("error: " + oneLine(e.getMessage() == null ? e.toString() : e.getMessage()));
            return FAILURE;
        }
        if (e instanceof OutOfMemoryError) {
            err.println("error: out of memory");
            return FAILURE;
        }
        err.println("error: internal error: " + oneLine(e.toString()) + " (STAMPEDE_DEBUG=1 shows where)");
        return FAILURE;
    }

    static String oneLine(String s) {
        return s == null ? "" : s.replaceAll("[\\r\\n]+", " ").strip();
    }
}
