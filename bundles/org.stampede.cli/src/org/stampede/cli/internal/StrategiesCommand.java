package org.stampede.cli.internal;

import java.net.InetAddress;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;

import org.stampede.engine.Engine;
import org.stampede.engine.EngineFactory;
import org.stampede.engine.EngineSettings;
import org.stampede.engine.StrategyInfo;

import com.google.gson.GsonBuilder;
import com.google.gson.JsonArray;
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

    @Override
    public Integer call() throws Exception {
        EngineFactory factory = Services.get(EngineFactory.class, 10_000);
        // an engine on an ephemeral loopback port, only to read the registry the DS component keeps
        List<StrategyInfo> strategies;
        try (Engine engine = factory.create(EngineSettings.defaults().withBind(InetAddress.getLoopbackAddress(), 0))) {
            strategies = engine.strategies();
        }
        if (json) {
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
            parent.out.println(new GsonBuilder().disableHtmlEscaping().setPrettyPrinting().create().toJson(a));
        } else {
            for (StrategyInfo s : strategies) {
                parent.out.printf(Locale.ROOT, "%-12s %-24s %s %s%n  %s%n", s.kind(), s.name(), s.bundle(),
                        s.version(), s.description());
            }
        }
        return Cli.OK;
    }
}
