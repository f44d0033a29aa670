package org.stampede.cli.internal;

import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;

import org.stampede.engine.StrategyInfo;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;

import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

/** {@code stampede strategies}: the installed piece pickers and chokers. */
@Command(name = "strategies", mixinStandardHelpOptions = true,
        description = "List the installed piece pickers and chokers.")
final class StrategiesCommand implements Callable<Integer> {
    @ParentCommand
    StampedeCommand parent;

    @Option(names = "--json", description = "Print a JSON list of {id, kind, bundle, version, description, torrents}.")
    boolean json;

    @Option(names = "--dir", paramLabel = "DIR", description = "Ask the download or seed running in DIR (through its"
            + " control channel), so that the torrents using each strategy are listed.")
    Path dir;

    @Override
    public Integer call() throws Exception {
        JsonArray list = ControlCommand.list(dir, "strategies", engine -> toJson(engine.strategies()));
        ControlCommand.printList(parent, json, list, StrategiesCommand::print);
        return Cli.OK;
    }

    /** The JSON of {@code strategies --json}, which the control channel sends too. */
    static JsonArray toJson(List<StrategyInfo> strategies) {
        JsonArray a = new JsonArray();
        for (StrategyInfo s : strategies) {
            JsonObject o = new JsonObject();
            o.addProperty("id", s.name());
            o.addProperty("kind", s.kind());
            o.addProperty("bundle", s.bundle());
            o.addProperty("version", s.version());
            o.addProperty("description", s.description());
            JsonArray torrents = new JsonArray();
            s.torrents().forEach(torrents::add);
            o.add("torrents", torrents);
            a.add(o);
        }
        return a;
    }

    /** The human-readable list, from that JSON. */
    static void print(JsonArray strategies, PrintStream out) {
        for (JsonElement e : strategies) {
            JsonObject s = e.getAsJsonObject();
            out.printf(Locale.ROOT, "%-12s %-24s %s %s%n  %s%n", ControlCommand.text(s, "kind"),
                    ControlCommand.text(s, "id"), ControlCommand.text(s, "bundle"), ControlCommand.text(s, "version"),
                    ControlCommand.text(s, "description"));
            JsonArray torrents = ControlCommand.array(s, "torrents");
            if (!torrents.isEmpty()) {
                List<String> hashes = new ArrayList<>();
                torrents.forEach(t -> hashes.add(t.isJsonPrimitive() ? t.getAsString() : t.toString()));
                out.printf(Locale.ROOT, "  used by %s%n", String.join(", ", hashes));
            }
        }
    }
}
