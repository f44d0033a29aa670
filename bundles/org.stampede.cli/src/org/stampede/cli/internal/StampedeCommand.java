package org.stampede.cli.internal;

import java.io.PrintStream;
import java.util.concurrent.Callable;

import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** The top-level {@code stampede} command; its subcommands do the work. */
@Command(name = "stampede", mixinStandardHelpOptions = true, version = "Stampede " + StampedeCommand.VERSION,
        description = "A BitTorrent client whose strategies, transports and peer sources are OSGi services.",
        subcommands = { CreateCommand.class, InfoCommand.class, DownloadCommand.class, SeedCommand.class,
                TrackerCommand.class, DemoCommand.class, StrategiesCommand.class, PluginsCommand.class, LabCommand.class,
                ControlCommand.class, ConfigCommand.class })
final class StampedeCommand implements Callable<Integer> {
    static final String VERSION = "0.1.0";

    final PrintStream out;
    final PrintStream err;

    @Spec
    CommandSpec spec;

    StampedeCommand(PrintStream out, PrintStream err) {
        this.out = out;
        this.err = err;
    }

    @Override
    public Integer call() {
        err.println("error: no command given (commands: "
                + String.join(", ", spec.subcommands().keySet()) + "; see --help)");
        return Cli.BAD_INPUT;
    }
}
