package org.stampede.cli.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;

/** The control protocol without a socket: request lines in, reply lines out, against a fake client. */
class ControlDispatcherTest {
    @TempDir
    Path dir;

    final ControlFakes.Target target = new ControlFakes.Target();
    final ControlFakes.Bundles bundles = new ControlFakes.Bundles(target);
    final ControlDispatcher dispatcher = new ControlDispatcher(ControlFakes.TOKEN, target, bundles, 200);

    JsonObject send(String line) {
        String reply = dispatcher.handle(line);
        assertFalse(reply.contains("\n"), () -> "one line: " + reply);
        return JsonParser.parseString(reply).getAsJsonObject();
    }

    JsonObject request(String op, String... fields) {
        JsonObject o = new JsonObject();
        o.addProperty("token", ControlFakes.TOKEN);
        o.addProperty("op", op);
        for (int i = 0; i < fields.length; i += 2) {
            o.addProperty(fields[i], fields[i + 1]);
        }
        return send(o.toString());
    }

    static String assertError(JsonObject reply, String mentions) {
        assertFalse(reply.get("ok").getAsBoolean(), reply::toString);
        String error = reply.get("error").getAsString();
        assertTrue(error.contains(mentions), () -> "'" + mentions + "' in " + error);
        return error;
    }

    static void assertOk(JsonObject reply) {
        assertTrue(reply.get("ok").getAsBoolean(), reply::toString);
    }

    @Test
    void wrongTokenIsRefused() {
        JsonObject reply = send("{\"token\":\"" + "f".repeat(64) + "\",\"op\":\"status\"}");
        assertError(reply, "token");
        assertFalse(reply.has("torrents"));
    }

    @Test
    void missingTokenIsRefused() {
        assertError(send("{\"op\":\"status\"}"), "token");
    }

    @Test
    void tokenOfAnotherTypeIsRefused() {
        assertError(send("{\"token\":[\"" + ControlFakes.TOKEN + "\"],\"op\":\"status\"}"), "token");
    }

    @Test
    void malformedJsonGetsAnErrorReply() {
        assertError(send("{\"token\": \"abc\", \"op\": "), "malformed request");
    }

    @Test
    void deeplyNestedJsonGetsAnErrorReply() {
        assertError(send("[".repeat(60_000)), "malformed request");
    }

    @Test
    void requestThatIsNotAnObjectGetsAnErrorReply() {
        assertError(send("[1, 2, 3]"), "not a JSON object");
    }

    @Test
    void unknownOpGetsAnErrorListingTheOps() {
        assertError(request("frobnicate"), "unknown op 'frobnicate' (ops: status, strategies, plugins, install, uninstall, switch, pause, resume)");
    }

    @Test
    void missingOpGetsAnErrorReply() {
        assertError(send("{\"token\":\"" + ControlFakes.TOKEN + "\"}"), "no string 'op'");
    }

    @Test
    void statusListsEachTorrentWithTheStrategiesItUses() {
        JsonObject reply = request("status");
        assertOk(reply);
        JsonArray torrents = reply.getAsJsonArray("torrents");
        assertEquals(2, torrents.size());
        JsonObject a = torrents.get(0).getAsJsonObject();
        assertEquals("alpha", a.get("name").getAsString());
        assertEquals(ControlFakes.HASH_A, a.get("infoHash").getAsString());
        assertEquals("downloading", a.get("state").getAsString());
        assertEquals(0.25, a.get("progress").getAsDouble());
        assertEquals("rarest-first", a.get("picker").getAsString());
        assertEquals("tit-for-tat", a.get("choker").getAsString());
        assertEquals("round-robin", a.get("seedChoker").getAsString());
    }

    @Test
    void statusSaysWhyATorrentFailed() {
        target.torrents.add(new ControlTarget.Torrent("gamma", "cc" + "2".repeat(38), "error", 0.5, "rarest-first",
                "tit-for-tat", "round-robin", "cannot write piece 3: /dl/gamma: No space left on device"));
        JsonArray torrents = request("status").getAsJsonArray("torrents");
        assertFalse(torrents.get(0).getAsJsonObject().has("error"), "none where there is none");
        JsonObject c = torrents.get(2).getAsJsonObject();
        assertEquals("error", c.get("state").getAsString());
        assertEquals("cannot write piece 3: /dl/gamma: No space left on device", c.get("error").getAsString());
    }

    @Test
    void strategiesHaveTheShapeOfStrategiesJsonWithTheTorrentsUsingThem() {
        JsonObject reply = request("strategies");
        assertOk(reply);
        JsonObject first = reply.getAsJsonArray("strategies").get(0).getAsJsonObject();
        assertEquals(List.of("id", "kind", "bundle", "version", "description", "torrents"),
                List.copyOf(first.keySet()));
        assertEquals("rarest-first", first.get("id").getAsString());
        JsonArray using = first.getAsJsonArray("torrents");
        assertEquals(List.of(ControlFakes.HASH_A, ControlFakes.HASH_B),
                using.asList().stream().map(JsonElement::getAsString).toList());
    }

    @Test
    void pauseAndResumeByNameChangeTheTorrentOnceAndSayWhenNothingChanged() {
        JsonObject first = request("pause", "torrent", "alpha");
        assertOk(first);
        assertTrue(first.get("changed").getAsBoolean(), first::toString);
        assertEquals(ControlFakes.HASH_A, first.get("infoHash").getAsString());
        assertTrue(target.paused.contains(ControlFakes.HASH_A));
        JsonObject again = request("pause", "torrent", "alpha");
        assertOk(again);
        assertFalse(again.get("changed").getAsBoolean(), again::toString);
        assertTrue(again.get("note").getAsString().contains("paused already"), again::toString);
        JsonObject resumed = request("resume", "torrent", "aaaa");
        assertTrue(resumed.get("changed").getAsBoolean(), resumed::toString);
        JsonObject notPaused = request("resume", "torrent", "aaaa");
        assertFalse(notPaused.get("changed").getAsBoolean(), notPaused::toString);
        assertTrue(notPaused.get("note").getAsString().contains("not paused"), notPaused::toString);
    }

    @Test
    void pauseOfAnUnknownTorrentIsRefusedWithTheReason() {
        assertError(request("pause", "torrent", "nosuch"), "no torrent 'nosuch'");
        assertError(request("resume", "torrent", "ff"), "no torrent 'ff'");
        assertError(request("pause"), "no string 'torrent'");
    }

    @Test
    void pluginsListsEveryPluginWithItsKindBundleVersionAndState() {
        JsonObject reply = request("plugins");
        assertOk(reply);
        JsonArray plugins = reply.getAsJsonArray("plugins");
        assertEquals(2, plugins.size(), reply::toString);
        JsonObject tcp = plugins.get(0).getAsJsonObject();
        assertEquals("tcp", tcp.get("id").getAsString());
        assertEquals("transport", tcp.get("kind").getAsString());
        assertEquals("org.stampede.transport.tcp", tcp.get("bundle").getAsString());
        assertEquals("0.1.0", tcp.get("version").getAsString());
        assertEquals("active", tcp.get("state").getAsString());
    }

    @Test
    void switchByInfoHashPrefixSwitchesThatTorrent() {
        JsonObject reply = request("switch", "torrent", "AAAA", "kind", "picker", "id", "sequential");
        assertOk(reply);
        assertEquals("alpha", reply.get("name").getAsString());
        assertEquals(List.of(ControlFakes.HASH_A + " picker sequential"), target.switches);
    }

    @Test
    void switchByExactNameSwitchesThatTorrent() {
        assertOk(request("switch", "torrent", "beta", "kind", "choker", "id", "tit-for-tat"));
        assertEquals(List.of(ControlFakes.HASH_B + " choker tit-for-tat"), target.switches);
    }

    @Test
    void switchWithAPrefixOfSeveralTorrentsIsRefused() {
        assertError(request("switch", "torrent", "aa", "kind", "picker", "id", "sequential"), "matches 2 torrents");
        assertTrue(target.switches.isEmpty());
    }

    @Test
    void switchOfAnUnknownTorrentIsRefused() {
        assertError(request("switch", "torrent", "gamma", "kind", "picker", "id", "sequential"), "no torrent 'gamma'");
    }

    @Test
    void switchToAnUnknownIdListsTheInstalledIdsOfThatKind() {
        assertError(request("switch", "torrent", "alpha", "kind", "picker", "id", "nope"),
                "no picker 'nope' is installed (installed: rarest-first, sequential)");
        assertTrue(target.switches.isEmpty());
    }

    @Test
    void switchOfAnUnknownKindIsRefused() {
        assertError(request("switch", "torrent", "alpha", "kind", "tracker", "id", "x"),
                "unknown kind 'tracker' (kinds: picker, choker, seed-choker)");
    }

    @Test
    void switchThatTheEngineRefusesGetsItsMessage() {
        ControlTarget refusing = new ControlFakes.Target() {
            @Override
            public void switchStrategy(String infoHash, String kind, String id) {
                throw new IllegalStateException(id + " could not start; rarest-first stays");
            }
        };
        JsonObject reply = JsonParser.parseString(new ControlDispatcher(ControlFakes.TOKEN, refusing, bundles, 0)
                .handle("{\"token\":\"" + ControlFakes.TOKEN
                        + "\",\"op\":\"switch\",\"torrent\":\"alpha\",\"kind\":\"picker\",\"id\":\"sequential\"}"))
                .getAsJsonObject();
        assertError(reply, "sequential could not start; rarest-first stays");
    }

    @Test
    void aFailureInsideTheClientBecomesAnErrorReply() {
        ControlTarget broken = new ControlFakes.Target() {
            @Override
            public List<Torrent> torrents() {
                throw new IllegalStateException("engine closed");
            }
        };
        String reply = new ControlDispatcher(ControlFakes.TOKEN, broken, bundles, 0)
                .handle("{\"token\":\"" + ControlFakes.TOKEN + "\",\"op\":\"status\"}");
        assertError(JsonParser.parseString(reply).getAsJsonObject(), "internal error");
    }

    private Path jar(String name) throws IOException {
        return Files.write(dir.resolve(name), new byte[] { 'P', 'K' });
    }

    @Test
    void installRepliesWithTheBundleAndTheStrategiesItRegistered() throws IOException {
        JsonObject reply = request("install", "path", jar("org.example.extra.strategies.jar").toString());
        assertOk(reply);
        assertEquals("org.example.extra", reply.get("bundle").getAsString());
        assertEquals("1.2.3", reply.get("version").getAsString());
        assertEquals(40, reply.get("bundleId").getAsLong());
        JsonArray registered = reply.getAsJsonArray("strategies");
        assertEquals(1, registered.size());
        assertEquals("org.example.extra-picker", registered.get(0).getAsJsonObject().get("id").getAsString());
    }

    @Test
    void installOfABundleWithoutStrategiesSaysSoAfterTheBoundedWait() throws IOException {
        BundleControl noStrategies = new ControlFakes.Bundles(new ControlFakes.Target());
        ControlDispatcher d = new ControlDispatcher(ControlFakes.TOKEN, target, noStrategies, 50);
        JsonObject request = new JsonObject();
        request.addProperty("token", ControlFakes.TOKEN);
        request.addProperty("op", "install");
        request.addProperty("path", jar("org.example.lib.strategies.jar").toString());
        JsonObject reply = JsonParser.parseString(d.handle(request.toString())).getAsJsonObject();
        assertOk(reply);
        assertTrue(reply.getAsJsonArray("strategies").isEmpty());
        assertTrue(reply.get("note").getAsString().contains("registered no strategy or other plug-in within 50 ms"), reply::toString);
    }

    @Test
    void installOfARelativePathIsRefused() {
        assertError(request("install", "path", "picker.jar"), "not an absolute path");
    }

    @Test
    void installOfAMissingFileIsRefused() {
        assertError(request("install", "path", dir.resolve("missing.jar").toString()), "no such file");
    }

    /** Told from the path's attributes: a FIFO or /dev/zero is never opened, so the request gets its answer. */
    @Test
    @Timeout(value = 60, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
    void installOfSomethingThatIsNoJarFileSaysWhatItIs() throws Exception {
        assertEquals("install: " + dir + " is a folder, not a jar file", assertError(request("install", "path",
                dir.toString()), "folder"));
        assertEquals("install: /dev/zero is a character device, not a jar file", assertError(request("install",
                "path", "/dev/zero"), "device"));
        Path fifo = dir.resolve("pipe.strategies.jar");
        Process p = new ProcessBuilder("mkfifo", fifo.toString()).inheritIO().start();
        assertTrue(p.waitFor(30, TimeUnit.SECONDS) && p.exitValue() == 0, "mkfifo");
        assertEquals("install: " + fifo + " is a FIFO (named pipe), not a jar file", assertError(request("install",
                "path", fifo.toString()), "FIFO"));
        Path empty = Files.createFile(dir.resolve("empty.strategies.jar"));
        assertEquals("install: " + empty + " is empty, not a jar file", assertError(request("install", "path",
                empty.toString()), "empty"));
        assertEquals(2, bundles.installed.size(), "nothing was installed");
    }

    @Test
    void installThatFailsReportsWhy() throws IOException {
        assertError(request("install", "path", jar("plain.jar").toString()), "not an OSGi bundle");
        assertEquals(2, bundles.installed.size());
    }

    @Test
    void uninstallOfAStrategyBundleUninstallsIt() {
        JsonObject reply = request("uninstall", "bundle", "org.stampede.picker.sequential");
        assertOk(reply);
        assertEquals(7, reply.get("bundleId").getAsLong());
        assertTrue(reply.get("refreshed").getAsBoolean());
        assertEquals(List.of(7L), bundles.uninstalled);
    }

    @Test
    void uninstallByBundleIdUninstallsIt() {
        assertOk(request("uninstall", "bundle", "7"));
        assertEquals(List.of(7L), bundles.uninstalled);
    }

    @Test
    void uninstallOfABundleInstalledThroughControlIsAllowed() throws IOException {
        long id = request("install", "path", jar("org.example.extra.strategies.jar").toString()).get("bundleId")
                .getAsLong();
        bundles.installed.computeIfPresent(id, (k, b) -> new BundleControl.BundleRef(b.id(), b.symbolicName(),
                b.version(), false, true)); // its components went away; it was still installed by us
        assertOk(request("uninstall", "bundle", "org.example.extra"));
        assertEquals(List.of(id), bundles.uninstalled);
    }

    @Test
    void uninstallOfACoreBundleIsRefused() {
        assertError(request("uninstall", "bundle", "org.stampede.engine"), "provides no plug-in");
        assertTrue(bundles.uninstalled.isEmpty());
    }

    @Test
    void uninstallOfAnUnknownBundleIsAnError() {
        assertError(request("uninstall", "bundle", "org.example.none"), "no bundle 'org.example.none'");
    }

    @Test
    void installWithPersistSaysWhereTheJarWasKept() throws IOException {
        JsonObject o = new JsonObject();
        o.addProperty("token", ControlFakes.TOKEN);
        o.addProperty("op", "install");
        o.addProperty("path", jar("org.example.kept.strategies.jar").toString());
        o.addProperty("persist", true);
        JsonObject reply = send(o.toString());
        assertOk(reply);
        assertEquals(ControlFakes.Bundles.PERSISTED.resolve("org.example.kept_1.2.3.jar").toString(),
                reply.get("persisted").getAsString());
        assertTrue(reply.getAsJsonArray("plugins").get(0).getAsJsonObject().get("persisted").getAsBoolean(),
                reply::toString);
    }

    @Test
    void installWithoutPersistKeepsNothing() throws IOException {
        JsonObject reply = request("install", "path", jar("org.example.extra.strategies.jar").toString());
        assertOk(reply);
        assertFalse(reply.has("persisted"), reply::toString);
        assertFalse(reply.getAsJsonArray("plugins").get(0).getAsJsonObject().has("persisted"), reply::toString);
    }

    @Test
    void persistThatIsNotABooleanIsMalformed() throws IOException {
        assertError(request("install", "path", jar("org.example.extra.strategies.jar").toString(), "persist", "yes"),
                "malformed request: 'persist' is not true or false");
        assertEquals(2, bundles.installed.size());
    }

    @Test
    void uninstallOfAPersistedBundleSaysItsJarWasRemoved() throws IOException {
        JsonObject o = new JsonObject();
        o.addProperty("token", ControlFakes.TOKEN);
        o.addProperty("op", "install");
        o.addProperty("path", jar("org.example.kept.strategies.jar").toString());
        o.addProperty("persist", true);
        assertOk(send(o.toString()));
        JsonObject plugins = request("plugins");
        assertTrue(plugins.getAsJsonArray("plugins").asList().stream().map(JsonElement::getAsJsonObject)
                .anyMatch(p -> p.get("bundle").getAsString().equals("org.example.kept") && p.has("persisted")),
                plugins::toString);
        JsonObject reply = request("uninstall", "bundle", "org.example.kept");
        assertOk(reply);
        Path kept = ControlFakes.Bundles.PERSISTED.resolve("org.example.kept_1.2.3.jar");
        assertEquals(kept.toString(), reply.get("removed").getAsString());
        assertEquals(List.of(kept), bundles.removedJars);
    }

    @Test
    void uninstallOfABundleThatIsNotPersistedRemovesNoJar() {
        JsonObject reply = request("uninstall", "bundle", "org.stampede.picker.sequential");
        assertOk(reply);
        assertFalse(reply.has("removed"), reply::toString);
        assertTrue(bundles.removedJars.isEmpty());
    }
}
