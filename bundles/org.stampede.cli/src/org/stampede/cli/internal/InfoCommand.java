package org.stampede.cli.internal;

import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;

import org.stampede.metainfo.InfoHash;
import org.stampede.metainfo.MagnetLink;
import org.stampede.metainfo.Torrent;
import org.stampede.metainfo.TorrentFile;

import com.google.gson.GsonBuilder;
import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonNull;
import com.google.gson.JsonObject;
import com.google.gson.JsonPrimitive;

import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

/** {@code stampede info}: shows what a torrent file or a magnet link holds. */
@Command(name = "info", mixinStandardHelpOptions = true,
        description = "Show a torrent file or a magnet link.")
final class InfoCommand implements Callable<Integer> {

    @ParentCommand
    StampedeCommand parent;

    @Parameters(index = "0", paramLabel = "<torrent-file|magnet-uri>")
    String input;

    @Option(names = "--json", description = "Print one JSON object (keys: name, infoHashV1, infoHashV2, "
            + "pieceLength, pieceCount, totalLength, files, trackers, private, webSeeds, ...).")
    boolean json;

    @Override
    public Integer call() throws Exception {
        JsonObject o;
        if (input.regionMatches(true, 0, "magnet:", 0, 7)) {
            o = describe(MagnetLink.parse(input));
        } else {
            Path file = Path.of(input);
            if (!Files.isRegularFile(file)) {
                throw new BadInputException(input + (Files.exists(file) ? ": not a file" : ": no such file"));
            }
            try {
                o = describe(Torrent.read(file));
            } catch (org.stampede.metainfo.MetainfoException e) {
                throw new org.stampede.metainfo.MetainfoException(input + ": " + e.getMessage(), e);
            }
        }
        PrintStream out = parent.out;
        if (json) {
            out.println(new GsonBuilder().serializeNulls().disableHtmlEscaping().setPrettyPrinting().create()
                    .toJson(o));
        } else {
            printHuman(o, out);
        }
        return Cli.OK;
    }

    static JsonObject describe(Torrent t) {
        JsonObject o = new JsonObject();
        o.addProperty("type", "torrent");
        o.addProperty("name", t.name());
        o.add("infoHashV1", hex(t.infoHashV1()));
        o.add("infoHashV2", hex(t.infoHashV2()));
        o.addProperty("version", t.version().name().toLowerCase(Locale.ROOT));
        o.addProperty("pieceLength", t.pieceLength());
        o.addProperty("pieceCount", t.pieceCount());
        o.addProperty("totalLength", t.totalLength());
        o.addProperty("singleFile", t.isSingleFile());
        JsonArray files = new JsonArray();
        for (TorrentFile f : t.files()) {
            JsonObject jf = new JsonObject();
            jf.add("path", strings(f.path()));
            jf.addProperty("length", f.length());
            jf.addProperty("padding", f.padding());
            if (f.executable()) {
                jf.addProperty("executable", true);
            }
            if (f.symlinkTarget() != null) {
                jf.add("symlink", strings(f.symlinkTarget()));
            }
            files.add(jf);
        }
        o.add("files", files);
        o.add("trackers", tiers(t.trackers()));
        o.addProperty("private", t.isPrivate());
        o.add("webSeeds", strings(t.webSeeds()));
        o.add("comment", text(t.comment()));
        o.add("createdBy", text(t.createdBy()));
        o.add("creationDate", t.creationDate() == null ? JsonNull.INSTANCE : new JsonPrimitive(t.creationDate()));
        o.add("warnings", strings(t.warnings()));
        return o;
    }

    static JsonObject describe(MagnetLink m) {
        JsonObject o = new JsonObject();
        o.addProperty("type", "magnet");
        o.add("name", text(m.displayName()));
        o.add("infoHashV1", hex(m.infoHashV1()));
        o.add("infoHashV2", hex(m.infoHashV2()));
        String version = m.infoHashV1() != null && m.infoHashV2() != null ? "hybrid"
                : m.infoHashV1() != null ? "v1" : "v2";
        o.addProperty("version", version);
        // Unknown until the metadata has been fetched from peers (BEP 9).
        o.add("pieceLength", JsonNull.INSTANCE);
        o.add("pieceCount", JsonNull.INSTANCE);
        o.add("totalLength", JsonNull.INSTANCE);
        o.add("files", JsonNull.INSTANCE);
        o.add("trackers", tiers(m.trackers().stream().map(List::of).toList()));
        o.addProperty("private", false);
        o.add("webSeeds", strings(m.webSeeds()));
        o.add("peers", strings(m.peers()));
        JsonArray so = new JsonArray();
        m.selectOnly().stream().sorted().forEach(so::add);
        o.add("selectOnly", so);
        return o;
    }

    private static JsonElement hex(InfoHash h) {
        return h == null ? JsonNull.INSTANCE : new JsonPrimitive(h.hex());
    }

    private static JsonElement text(String s) {
        return s == null ? JsonNull.INSTANCE : new JsonPrimitive(s);
    }

    private static JsonArray strings(List<String> list) {
        JsonArray a = new JsonArray();
        list.forEach(a::add);
        return a;
    }

    private static JsonArray tiers(List<List<String>> tiers) {
        JsonArray a = new JsonArray();
        tiers.forEach(t -> a.add(strings(t)));
        return a;
    }

    private static void printHuman(JsonObject o, PrintStream out) {
        row(out, "name", str(o, "name"));
        row(out, "type", str(o, "type") + ", " + str(o, "version"));
        row(out, "info-hash v1", str(o, "infoHashV1"));
        row(out, "info-hash v2", str(o, "infoHashV2"));
        if (!o.get("pieceLength").isJsonNull()) {
            long pl = o.get("pieceLength").getAsLong();
            row(out, "pieces", o.get("pieceCount").getAsLong() + " of " + Units.bytes(pl));
            long total = o.get("totalLength").getAsLong();
            row(out, "size", Units.bytes(total) + " (" + total + " bytes)");
            row(out, "private", o.get("private").getAsBoolean() ? "yes" : "no");
        }
        JsonArray trackers = o.getAsJsonArray("trackers");
        for (int i = 0; i < trackers.size(); i++) {
            List<String> urls = trackers.get(i).getAsJsonArray().asList().stream().map(JsonElement::getAsString)
                    .toList();
            row(out, i == 0 ? "trackers" : "", "tier " + i + ": " + String.join(" ", urls));
        }
        for (JsonElement w : o.getAsJsonArray("webSeeds")) {
            row(out, "web seed", w.getAsString());
        }
        if (o.has("peers")) {
            for (JsonElement p : o.getAsJsonArray("peers")) {
                row(out, "peer", p.getAsString());
            }
        }
        if (o.has("comment") && !o.get("comment").isJsonNull()) {
            row(out, "comment", o.get("comment").getAsString());
        }
        if (o.has("createdBy") && !o.get("createdBy").isJsonNull()) {
            row(out, "created by", o.get("createdBy").getAsString());
        }
        if (o.has("creationDate") && !o.get("creationDate").isJsonNull()) {
            row(out, "created", Instant.ofEpochSecond(o.get("creationDate").getAsLong()).toString());
        }
        if (!o.get("files").isJsonNull()) {
            JsonArray files = o.getAsJsonArray("files");
            out.println("files:");
            for (JsonElement e : files) {
                JsonObject f = e.getAsJsonObject();
                if (f.get("padding").getAsBoolean()) {
                    continue;
                }
                List<String> path = f.getAsJsonArray("path").asList().stream().map(JsonElement::getAsString)
                        .toList();
                out.printf(Locale.ROOT, "  %12s  %s%n", Units.bytes(f.get("length").getAsLong()),
                        String.join("/", path));
            }
        }
        if (o.has("warnings")) {
            for (JsonElement w : o.getAsJsonArray("warnings")) {
                row(out, "warning", w.getAsString());
            }
        }
    }

    private static String str(JsonObject o, String key) {
        JsonElement e = o.get(key);
        return e == null || e.isJsonNull() ? "-" : e.getAsString();
    }

    private static void row(PrintStream out, String key, String value) {
        out.printf(Locale.ROOT, "%-14s %s%n", key.isEmpty() ? "" : key + ":", value);
    }
}
