package org.stampede.cli.internal;

import java.io.PrintStream;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.function.BiPredicate;

import org.osgi.framework.Bundle;
import org.osgi.framework.FrameworkUtil;
import org.stampede.cli.plugins.PersistedPlugins;

import org.stampede.engine.PluginInfo;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;

import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

/** {@code stampede plugins}: every plug-in service the engine uses, strategies, transports, sources and more. */
@Command(name = "plugins", mixinStandardHelpOptions = true,
        description = "List the installed plug-ins: strategies, transports, transport layers, peer sources,"
                + " extensions and tracker clients.")
final class PluginsCommand implements Callable<Integer> {
    @ParentCommand
    StampedeCommand parent;

    @Option(names = "--json", description = "Print a JSON list of {id, kind, bundle, version, state}, with"
            + " \"persisted\": true for those of a plug-in installed with control install --persist.")
    boolean json;

    @Option(names = "--dir", paramLabel = "DIR", description = "Ask the download or seed running in DIR (through its"
            + " control channel): what it has installed and started since.")
    Path dir;

    @Override
    public Integer call() throws Exception {
        JsonArray list = ControlCommand.list(dir, "plugins", engine -> toJson(engine.plugins(), persistedHere()));
        ControlCommand.printList(parent, json, list, PluginsCommand::print);
        return Cli.OK;
    }

    /** Whether a bundle (symbolic name, version) of this process came from the folder of persisted plug-ins. */
    private static BiPredicate<String, String> persistedHere() {
        Bundle bundle = FrameworkUtil.getBundle(PluginsCommand.class);
        if (bundle == null || bundle.getBundleContext() == null) {
            return (name, version) -> false;
        }
        return new OsgiBundleControl(bundle.getBundleContext(), PersistedPlugins.fromEnvironment())::isPersisted;
    }

    /**
     * The JSON of {@code plugins --json}, which the control channel sends too; {@code "persisted": true} marks the
     * plug-ins of bundles for which {@code persisted} (symbolic name, version) holds.
     */
    static JsonArray toJson(List<PluginInfo> plugins, BiPredicate<String, String> persisted) {
        JsonArray a = new JsonArray();
        for (PluginInfo p : plugins) {
            JsonObject o = new JsonObject();
            o.addProperty("id", p.id());
            o.addProperty("kind", p.kind());
            o.addProperty("bundle", p.bundle());
            o.addProperty("version", p.version());
            o.addProperty("state", p.state());
            if (persisted.test(p.bundle(), p.version())) {
                o.addProperty("persisted", true);
            }
            a.add(o);
        }
        return a;
    }

    /** One line per plug-in: kind, id, bundle, version, state, and "persisted" for those installed at every start. */
    static void print(JsonArray plugins, PrintStream out) {
        for (JsonElement e : plugins) {
            JsonObject p = e.getAsJsonObject();
            out.printf(Locale.ROOT, "%-15s %-24s %-36s %-22s %s%s%n", ControlCommand.text(p, "kind"),
                    ControlCommand.text(p, "id"), ControlCommand.text(p, "bundle"), ControlCommand.text(p, "version"),
                    ControlCommand.text(p, "state"), "true".equals(ControlCommand.text(p, "persisted")) ? "  persisted"
                            : "");
        }
    }
}
