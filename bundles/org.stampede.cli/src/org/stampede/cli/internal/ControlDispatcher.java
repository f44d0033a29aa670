package org.stampede.cli.internal;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

import org.stampede.api.StrategyKind;
import org.stampede.cli.plugins.PluginJar;
import org.stampede.engine.StrategyInfo;

import com.google.gson.Gson;
import com.google.gson.GsonBuilder;
import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import com.google.gson.JsonPrimitive;

/**
 * The control protocol without the socket: one request line in, one reply line out. A request is a JSON object
 * with the {@code token} of the control file and an {@code op}; the reply is {@code {"ok":true,...}} or
 * {@code {"ok":false,"error":"..."}}. Anything malformed gets an error reply; nothing here throws. Thread-safe:
 * bundle operations are serialized, the rest is read from the thread-safe engine. The protocol is documented in
 * the bundle's README.
 */
final class ControlDispatcher {
    static final List<String> OPS = List.of("status", "strategies", "plugins", "install", "uninstall", "switch",
            "pause", "resume");
    static final List<String> KINDS = List.of(StrategyKind.PICKER, StrategyKind.CHOKER, StrategyKind.SEED_CHOKER);
    /** Longest piece of a request echoed in an error message. */
    private static final int ECHO = 120;

    private static final Gson GSON = new GsonBuilder().disableHtmlEscaping().serializeNulls().create();

    private final byte[] token;
    private final ControlTarget target;
    private final BundleControl bundles;
    private final long strategyWaitMillis;
    private final Object bundleLock = new Object();

    /**
     * @param strategyWaitMillis how long {@code install} waits for the new bundle's strategies to appear
     */
    ControlDispatcher(String token, ControlTarget target, BundleControl bundles, long strategyWaitMillis) {
        this.token = token.getBytes(StandardCharsets.UTF_8);
        this.target = target;
        this.bundles = bundles;
        this.strategyWaitMillis = strategyWaitMillis;
    }

    /** The reply (one line of JSON, no newline) to one request line, outside any connection. */
    String handle(String line) {
        return handle(line, () -> null);
    }

    /**
     * The reply (one line of JSON, no newline) to one request line that came on {@code connection}: once the request
     * is found to carry the token, the connection is {@link ControlServer.Connection#authenticate() authenticated}
     * before the request is carried out; if it cannot be, the request gets its reason as an error.
     */
    String handle(String line, ControlServer.Connection connection) {
        JsonObject reply;
        try {
            reply = dispatch(line, connection);
        } catch (RequestException e) {
            reply = error(e.getMessage());
        } catch (RuntimeException | LinkageError | StackOverflowError e) {
            reply = error("internal error: " + Cli.oneLine(e.toString()));
        }
        return GSON.toJson(reply);
    }

    static JsonObject error(String message) {
        JsonObject o = new JsonObject();
        o.addProperty("ok", false);
        o.addProperty("error", message);
        return o;
    }

    private static JsonObject ok() {
        JsonObject o = new JsonObject();
        o.addProperty("ok", true);
        return o;
    }

    /** A request that cannot be carried out; the message goes back to the client. */
    private static final class RequestException extends Exception {
        private static final long serialVersionUID = 1L;

        RequestException(String message) {
            super(message);
        }
    }

    private JsonObject dispatch(String line, ControlServer.Connection connection) throws RequestException {
        JsonElement parsed;
        try {
            parsed = JsonParser.parseString(line);
        } catch (RuntimeException e) {
            Throwable why = e.getCause() != null ? e.getCause() : e; // Gson wraps the reader's exception
            throw new RequestException("malformed request: not JSON (" + echo(Cli.oneLine(why.getMessage())) + ")");
        }
        if (!parsed.isJsonObject()) {
            throw new RequestException("malformed request: not a JSON object");
        }
        JsonObject request = parsed.getAsJsonObject();
        JsonElement t = request.get("token");
        byte[] given = t instanceof JsonPrimitive p && p.isString() ? p.getAsString().getBytes(StandardCharsets.UTF_8)
                : new byte[0];
        if (!MessageDigest.isEqual(token, given)) { // constant time
            throw new RequestException("missing or wrong token (it is in the client's control.json)");
        }
        String refused = connection.authenticate();
        if (refused != null) {
            throw new RequestException(refused);
        }
        String op = string(request, "op");
        return switch (op) {
            case "status" -> status();
            case "strategies" -> strategies();
            case "plugins" -> plugins();
            case "pause" -> pauseOrResume(string(request, "torrent"), true);
            case "resume" -> pauseOrResume(string(request, "torrent"), false);
            case "install" -> install(string(request, "path"), optionalBoolean(request, "persist"));
            case "uninstall" -> uninstall(string(request, "bundle"));
            case "switch" -> switchStrategy(string(request, "torrent"), string(request, "kind"),
                    string(request, "id"));
            default -> throw new RequestException("unknown op '" + echo(op) + "' (ops: " + String.join(", ", OPS) + ")");
        };
    }

    private JsonObject status() {
        JsonArray torrents = new JsonArray();
        for (ControlTarget.Torrent t : target.torrents()) {
            JsonObject o = new JsonObject();
            o.addProperty("name", t.name());
            o.addProperty("infoHash", t.infoHash());
            o.addProperty("state", t.state());
            o.addProperty("progress", t.progress());
            o.addProperty("picker", t.picker());
            o.addProperty("choker", t.choker());
            o.addProperty("seedChoker", t.seedChoker());
            if (t.error() != null) {
                o.addProperty("error", t.error());
            }
            torrents.add(o);
        }
        JsonObject reply = ok();
        reply.add("torrents", torrents);
        return reply;
    }

    private JsonObject strategies() {
        JsonObject reply = ok();
        reply.add("strategies", StrategiesCommand.toJson(target.strategies()));
        return reply;
    }

    private JsonObject plugins() {
        JsonObject reply = ok();
        reply.add("plugins", PluginsCommand.toJson(target.plugins(), bundles::isPersisted));
        return reply;
    }

    /** Pauses or resumes a torrent; doing it again changes nothing and says so ({@code changed: false}). */
    private JsonObject pauseOrResume(String torrent, boolean pause) throws RequestException {
        ControlTarget.Torrent t = findTorrent(torrent);
        boolean changed;
        try {
            changed = pause ? target.pause(t.infoHash()) : target.resume(t.infoHash());
        } catch (IllegalArgumentException | IllegalStateException e) {
            throw new RequestException((pause ? "pause: " : "resume: ") + Cli.oneLine(e.getMessage()));
        }
        JsonObject reply = ok();
        reply.addProperty("name", t.name());
        reply.addProperty("infoHash", t.infoHash());
        reply.addProperty("changed", changed);
        if (!changed) {
            reply.addProperty("note", pause ? "it was paused already" : "it was not paused");
        }
        return reply;
    }

    private JsonObject install(String path, boolean persist) throws RequestException {
        Path jar;
        try {
            jar = Path.of(path);
        } catch (RuntimeException e) {
            throw new RequestException("install: '" + echo(path) + "' is not a path");
        }
        if (!jar.isAbsolute()) {
            throw new RequestException("install: '" + echo(path) + "' is not an absolute path");
        }
        try {
            PluginJar.checkFile(jar); // told from its attributes: a FIFO or a device is never opened
        } catch (PluginJar.Refused e) {
            throw new RequestException("install: " + e.getMessage());
        }
        BundleControl.BundleRef b;
        synchronized (bundleLock) {
            try {
                b = bundles.install(jar, persist);
            } catch (BundleControl.BundleControlException e) {
                throw new RequestException("install: " + e.getMessage());
            }
        }
        // Declarative Services registers the bundle's components asynchronously: wait a bounded time for them
        List<StrategyInfo> registered = List.of();
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(strategyWaitMillis);
        while (true) {
            registered = strategiesOf(b);
            boolean any = !registered.isEmpty() || target.plugins().stream()
                    .anyMatch(p -> p.bundle().equals(b.symbolicName()) && p.version().equals(b.version()));
            if (any || System.nanoTime() - deadline >= 0) {
                break;
            }
            try {
                Thread.sleep(20);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        JsonObject reply = bundleReply(b);
        reply.add("strategies", StrategiesCommand.toJson(registered));
        List<org.stampede.engine.PluginInfo> plugins = target.plugins().stream()
                .filter(p -> p.bundle().equals(b.symbolicName()) && p.version().equals(b.version())).toList();
        reply.add("plugins", PluginsCommand.toJson(plugins, (bundle, version) -> b.persisted() != null));
        if (b.persisted() != null) {
            reply.addProperty("persisted", b.persisted().toString());
        }
        if (registered.isEmpty() && plugins.isEmpty()) {
            reply.addProperty("note", "the bundle registered no strategy or other plug-in within " + strategyWaitMillis
                    + " ms");
        }
        return reply;
    }

    private List<StrategyInfo> strategiesOf(BundleControl.BundleRef b) {
        List<StrategyInfo> out = new ArrayList<>();
        for (StrategyInfo s : target.strategies()) {
            if (s.bundle().equals(b.symbolicName()) && s.version().equals(b.version())) {
                out.add(s);
            }
        }
        return out;
    }

    private JsonObject uninstall(String idOrName) throws RequestException {
        synchronized (bundleLock) {
            try {
                Optional<BundleControl.BundleRef> found = bundles.find(idOrName);
                if (found.isEmpty()) {
                    throw new RequestException("uninstall: no bundle '" + echo(idOrName) + "' is installed");
                }
                BundleControl.BundleRef b = found.get();
                if (!b.providesStrategies() && !b.installedByControl()) {
                    throw new RequestException("uninstall: " + b.symbolicName() + " (bundle " + b.id()
                            + ") provides no plug-in and was not installed with 'install'; only those can be"
                            + " uninstalled");
                }
                boolean refreshed = bundles.uninstall(b);
                JsonObject reply = bundleReply(b);
                reply.addProperty("refreshed", refreshed);
                if (b.persisted() != null) {
                    reply.addProperty("removed", b.persisted().toString());
                }
                return reply;
            } catch (BundleControl.BundleControlException e) {
                throw new RequestException("uninstall: " + e.getMessage());
            }
        }
    }

    private static JsonObject bundleReply(BundleControl.BundleRef b) {
        JsonObject reply = ok();
        reply.addProperty("bundleId", b.id());
        reply.addProperty("bundle", b.symbolicName());
        reply.addProperty("version", b.version());
        return reply;
    }

    private JsonObject switchStrategy(String torrent, String kind, String id) throws RequestException {
        if (!KINDS.contains(kind)) {
            throw new RequestException("switch: unknown kind '" + echo(kind) + "' (kinds: " + String.join(", ", KINDS)
                    + ")");
        }
        ControlTarget.Torrent t = findTorrent(torrent);
        List<String> installed = new ArrayList<>();
        for (StrategyInfo s : target.strategies()) {
            if (s.kind().equals(kind)) {
                installed.add(s.name());
            }
        }
        if (!installed.contains(id)) {
            throw new RequestException("switch: no " + kind + " '" + echo(id) + "' is installed (installed: "
                    + (installed.isEmpty() ? "none" : String.join(", ", installed)) + ")");
        }
        try {
            target.switchStrategy(t.infoHash(), kind, id);
        } catch (IllegalArgumentException | IllegalStateException e) {
            throw new RequestException("switch: " + Cli.oneLine(e.getMessage()));
        }
        JsonObject reply = ok();
        reply.addProperty("name", t.name());
        reply.addProperty("infoHash", t.infoHash());
        reply.addProperty("kind", kind);
        reply.addProperty("id", id);
        return reply;
    }

    /** The torrent whose exact name or info-hash is {@code key}, or the only one whose info-hash starts with it. */
    private ControlTarget.Torrent findTorrent(String key) throws RequestException {
        List<ControlTarget.Torrent> torrents = target.torrents();
        String lower = key.toLowerCase(Locale.ROOT);
        List<ControlTarget.Torrent> byHash = new ArrayList<>();
        List<ControlTarget.Torrent> byName = new ArrayList<>();
        for (ControlTarget.Torrent t : torrents) {
            if (t.infoHash().equals(lower)) {
                return t;
            }
            if (!lower.isEmpty() && t.infoHash().startsWith(lower)) {
                byHash.add(t);
            }
            if (t.name().equals(key)) {
                byName.add(t);
            }
        }
        List<ControlTarget.Torrent> matches = byHash.isEmpty() ? byName : byHash;
        if (matches.size() == 1) {
            return matches.get(0);
        }
        if (matches.isEmpty()) {
            throw new RequestException("no torrent '" + echo(key) + "' (give an info-hash prefix or the exact name; "
                    + torrents.size() + " torrent(s) running)");
        }
        List<String> hashes = matches.stream().map(ControlTarget.Torrent::infoHash).toList();
        throw new RequestException("'" + echo(key) + "' matches " + matches.size() + " torrents (" + String.join(", ",
                hashes) + "); give more of the info-hash");
    }

    /** An optional boolean argument: absent is false. */
    private static boolean optionalBoolean(JsonObject request, String name) throws RequestException {
        JsonElement e = request.get(name);
        if (e == null || e.isJsonNull()) {
            return false;
        }
        if (e instanceof JsonPrimitive p && p.isBoolean()) {
            return p.getAsBoolean();
        }
        throw new RequestException("malformed request: '" + name + "' is not true or false");
    }

    private static String string(JsonObject request, String name) throws RequestException {
        JsonElement e = request.get(name);
        if (e instanceof JsonPrimitive p && p.isString()) {
            return p.getAsString();
        }
        throw new RequestException("malformed request: no string '" + name + "'");
    }

    /** User input for an error message: one line, cut short. */
    private static String echo(String s) {
        String one = Cli.oneLine(s);
        return one.length() <= ECHO ? one : one.substring(0, ECHO) + "...";
    }
}
