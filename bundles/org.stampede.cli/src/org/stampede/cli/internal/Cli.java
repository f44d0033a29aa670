package org.stampede.cli.internal;

import java.io.PrintStream;

/** Entry point of the command line, independent of OSGi so that it can be tested directly. */
public final class Cli {
    private Cli() {
    }

    public static int run(String[] args, PrintStream out, PrintStream err) {
        out.println("stampede");
        return args.length;
    }
}
