package org.stampede.cli.internal;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;

import org.stampede.cli.plugins.PluginJar;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;

import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

/**
 * {@code stampede control}: one command to a running {@code download} or {@code seed}, through the control channel
 * its folder's {@code .stampede/control.json} names. Exit status 1 when no client runs there, 2 when the client
 * refuses the command (its message on stderr).
 */
@Command(name = "control", mixinStandardHelpOptions = true, sortOptions = false,
        description = { "Send a command to a running download or seed:",
                "  status                       its torrents and the strategies they use",
                "  strategies                   the installed strategies and the torrents using them",
                "  plugins                      every installed plug-in: strategies, transports, peer sources...",
                "  pause TORRENT                pause a torrent (connections closed, data and state kept)",
                "  resume TORRENT               resume a paused torrent (no recheck)",
                "  install [--persist] JAR      install and start a plug-in bundle (strategies, transports...) from a jar;",
                "                               it lasts as long as the client, or with --persist is kept and installed",
                "                               at every start",
                "  uninstall BUNDLE             uninstall a plug-in bundle (symbolic name or bundle id); a persisted",
                "                               one is removed from the persisted plug-ins too",
                "  switch TORRENT KIND ID       switch a torrent's picker, choker or seed-choker",
                "TORRENT is an info-hash prefix or the exact name." })
final class ControlCommand implements Callable<Integer> {
    @ParentCommand
    StampedeCommand parent;

    @Option(names = "--dir", paramLabel = "DIR",
            description = "The running client's download folder (default: the current folder).")
    Path dir;

    @Option(names = "--control", paramLabel = "FILE", description = "Its control file (instead of --dir).")
    Path controlFile;

    @Option(names = "--json", description = "Print the client's JSON reply.")
    boolean json;

    @Option(names = "--persist", description = "With install: keep the plug-in, a copy of its jar in the folder of"
            + " persisted plug-ins ($STAMPEDE_DATA_DIR/plugins, by default ~/.local/share/stampede/plugins), which"
            + " every start of a client installs.")
    boolean persist;

    @Parameters(index = "0", paramLabel = "COMMAND",
            description = "status, strategies, plugins, install, uninstall, switch, pause, resume.")
    String op;

    @Parameters(index = "1..*", paramLabel = "ARG")
    List<String> args = new ArrayList<>();

    @Override
    public Integer call() throws Exception {
        JsonObject request = new JsonObject();
        request.addProperty("op", op);
        if (persist && !op.equals("install")) {
            throw new BadInputException("--persist goes with install only");
        }
        switch (op) {
            case "status", "strategies", "plugins" -> arguments(0, "");
            case "pause", "resume" -> {
                arguments(1, " TORRENT");
                request.addProperty("torrent", args.get(0));
            }
            case "install" -> {
                arguments(1, " JAR");
                Path jar;
                try {
                    jar = Path.of(args.get(0)).toAbsolutePath().normalize();
                } catch (java.nio.file.InvalidPathException e) {
                    throw new BadInputException("'" + Cli.oneLine(args.get(0)) + "' is not a path");
                }
                try {
                    PluginJar.read(jar); // what can be told here is told before the client is asked
                } catch (PluginJar.Refused e) {
                    throw new BadInputException(e.getMessage());
                }
                request.addProperty("path", jar.toString());
                if (persist) {
                    request.addProperty("persist", true);
                }
            }
            case "uninstall" -> {
                arguments(1, " BUNDLE");
                request.addProperty("bundle", args.get(0));
            }
            case "switch" -> {
                arguments(3, " TORRENT KIND ID");
                request.addProperty("torrent", args.get(0));
                request.addProperty("kind", args.get(1));
                request.addProperty("id", args.get(2));
            }
            default -> throw new BadInputException("unknown control command '" + Cli.oneLine(op) + "' (commands: "
                    + String.join(", ", ControlDispatcher.OPS) + ")");
        }
        JsonObject reply = ask(dir, controlFile, request);
        if (json) {
            parent.out.println(reply);
            return Cli.OK;
        }
        switch (op) {
            case "status" -> printStatus(reply);
            case "strategies" -> StrategiesCommand.print(array(reply, "strategies"), parent.out);
            case "plugins" -> PluginsCommand.print(array(reply, "plugins"), parent.out);
            case "pause", "resume" -> parent.out.printf(Locale.ROOT, "%s (%s): %s%n", text(reply, "name"),
                    text(reply, "infoHash"), "true".equals(text(reply, "changed")) ? op + "d"
                            : "unchanged, " + text(reply, "note"));
            case "install" -> printInstall(reply);
            case "uninstall" -> parent.out.printf(Locale.ROOT, "uninstalled %s %s (bundle %s)%s%s%n", text(reply, "bundle"),
                    text(reply, "version"), text(reply, "bundleId"), "false".equals(text(reply, "refreshed")) ? "; the framework refresh has not finished yet" : "",
                    reply.has("removed") ? "; deleted " + text(reply, "removed") + " from the persisted plug-ins" : "");
            default -> parent.out.printf(Locale.ROOT, "%s (%s): %s is now %s%n", text(reply, "name"),
                    text(reply, "infoHash"), text(reply, "kind"), text(reply, "id"));
        }
        return Cli.OK;
    }

    private void arguments(int n, String usage) throws BadInputException {
        if (args.size() != n) {
            throw new BadInputException("usage: stampede control " + op + usage);
        }
    }

    /**
     * Sends {@code request} to the client running in {@code dir} (or named by {@code controlFile}) and returns its
     * {@code ok} reply.
     *
     * @throws ControlClient.NoRunningClientException when none runs there (exit status 1)
     * @throws BadInputException                      with the client's message when it refuses (exit status 2)
     */
    static JsonObject ask(Path dir, Path controlFile, JsonObject request) throws Exception {
        if (dir != null && controlFile != null) {
            throw new BadInputException("give --dir or --control, not both");
        }
        Path file = controlFile != null ? controlFile
                : ControlFile.in((dir == null ? Path.of(".") : dir).resolve(".stampede"));
        String what = controlFile != null ? controlFile.toString() : dir == null ? "the current folder" : dir.toString();
        JsonObject reply = ControlClient.request(file, what, request);
        JsonElement ok = reply.get("ok");
        if (ok == null || !ok.isJsonPrimitive() || !ok.getAsBoolean()) {
            throw new BadInputException(reply.has("error") ? text(reply, "error") : "the client refused: " + reply);
        }
        return reply;
    }

    private void printStatus(JsonObject reply) {
        JsonArray torrents = array(reply, "torrents");
        if (torrents.isEmpty()) {
            parent.out.println("no torrents");
        }
        for (JsonElement e : torrents) {
            JsonObject t = e.getAsJsonObject();
            double progress;
            try {
                progress = Double.parseDouble(text(t, "progress"));
            } catch (NumberFormatException notANumber) {
                progress = Double.NaN;
            }
            parent.out.printf(Locale.ROOT, "%s  %s  %s %.1f%%  picker %s, choker %s, seed-choker %s%s%n",
                    text(t, "infoHash"), text(t, "name"), text(t, "state"), progress * 100, text(t, "picker"),
                    text(t, "choker"), text(t, "seedChoker"),
                    t.has("error") ? "  error: " + Cli.oneLine(text(t, "error")) : "");
        }
    }

    private void printInstall(JsonObject reply) {
        List<String> registered = new ArrayList<>();
        for (JsonElement e : array(reply, "strategies")) {
            registered.add(text(e.getAsJsonObject(), "kind") + " " + text(e.getAsJsonObject(), "id"));
        }
        parent.out.printf(Locale.ROOT, "installed %s %s (bundle %s): %s%n", text(reply, "bundle"),
                text(reply, "version"), text(reply, "bundleId"),
                registered.isEmpty() ? text(reply, "note") : String.join(", ", registered));
        if (reply.has("persisted")) {
            parent.out.printf(Locale.ROOT, "persisted as %s: installed at every start%n", text(reply, "persisted"));
        }
    }

    /**
     * A list the client running in {@code dir} keeps (the array named {@code op} of the control op {@code op}), or,
     * without {@code dir}, what {@code local} reads from an engine of this process (on an ephemeral loopback port,
     * only to read the registries the DS component keeps).
     */
    static JsonArray list(Path dir, String op, java.util.function.Function<org.stampede.engine.Engine, JsonArray> local)
            throws Exception {
        if (dir != null) {
            JsonObject request = new JsonObject();
            request.addProperty("op", op);
            return array(ask(dir, null, request), op);
        }
        org.stampede.engine.EngineFactory factory = Services.get(org.stampede.engine.EngineFactory.class, 10_000);
        try (org.stampede.engine.Engine engine = factory.create(org.stampede.engine.EngineSettings.defaults()
                .withBind(java.net.InetAddress.getLoopbackAddress(), 0))) {
            return local.apply(engine);
        }
    }

    /** Prints a list as pretty JSON, or as {@code print} prints it for people. */
    static void printList(StampedeCommand parent, boolean json, JsonArray list,
            java.util.function.BiConsumer<JsonArray, java.io.PrintStream> print) {
        if (json) {
            parent.out.println(new com.google.gson.GsonBuilder().disableHtmlEscaping().setPrettyPrinting().create()
                    .toJson(list));
        } else {
            print.accept(list, parent.out);
        }
    }

    static JsonArray array(JsonObject o, String name) {
        JsonElement e = o.get(name);
        return e != null && e.isJsonArray() ? e.getAsJsonArray() : new JsonArray();
    }

    static String text(JsonObject o, String name) {
        JsonElement e = o.get(name);
        return e == null || e.isJsonNull() ? "-" : e.isJsonPrimitive() ? e.getAsString() : e.toString();
    }
}
