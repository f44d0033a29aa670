package org.stampede.cli.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.stampede.cli.plugins.TestJars;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;

/** {@code stampede control} and {@code strategies --dir} as a user meets them, against an in-process server. */
class ControlCommandTest {
    static final Duration GUARD = Duration.ofSeconds(30);

    @TempDir
    Path dir;

    final ControlFakes.Target target = new ControlFakes.Target();
    ControlServer server;

    @AfterEach
    void stop() {
        if (server != null) {
            server.close();
        }
    }

    /** A fake running client for {@link #dir}: the server and its control file. */
    void running() throws IOException {
        server = ControlServer.start(0, new ControlDispatcher(ControlFakes.TOKEN, target,
                new ControlFakes.Bundles(target), 100)::handle);
        new ControlFile(server.port(), ControlFakes.TOKEN, ProcessHandle.current().pid())
                .write(ControlFile.in(dir.resolve(".stampede")));
    }

    static void assertFailure(CliTest.Run r, int status, String mentions) {
        assertEquals(status, r.status(), r::toString);
        String[] lines = r.err().strip().split("\n");
        assertEquals(1, lines.length, () -> "one line on stderr: " + r.err());
        assertTrue(lines[0].startsWith("error: "), r.err());
        assertTrue(lines[0].contains(mentions), () -> "'" + mentions + "' in " + r.err());
    }

    @Test
    void withoutARunningClientControlExits1() {
        assertFailure(CliTest.run("control", "--dir", dir.toString(), "status"), Cli.FAILURE,
                "no running client for " + dir);
    }

    @Test
    void aControlFileOfAnEndedProcessMeansNoRunningClient() throws Exception {
        Process ended = new ProcessBuilder(ProcessHandle.current().info().command().orElse("java"), "-version")
                .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        assertTrue(ended.waitFor(60, TimeUnit.SECONDS));
        new ControlFile(1, ControlFakes.TOKEN, ended.pid()).write(ControlFile.in(dir.resolve(".stampede")));
        assertFailure(CliTest.run("control", "--dir", dir.toString(), "status"), Cli.FAILURE, "which has ended");
    }

    @Test
    void aCommandTheClientRefusesExits2WithItsMessage() throws Exception {
        running();
        assertTimeoutPreemptively(GUARD, () -> assertFailure(
                CliTest.run("control", "--dir", dir.toString(), "switch", "alpha", "picker", "nope"), Cli.BAD_INPUT,
                "no picker 'nope' is installed (installed: rarest-first, sequential)"));
    }

    @Test
    void anUnknownControlCommandIsBadInput() {
        CliTest.assertBadInput(CliTest.run("control", "--dir", dir.toString(), "reboot"), "unknown control command");
    }

    @Test
    void switchWithTooFewArgumentsIsBadInput() {
        CliTest.assertBadInput(CliTest.run("control", "--dir", dir.toString(), "switch", "alpha", "picker"),
                "usage: stampede control switch TORRENT KIND ID");
    }

    @Test
    void statusPrintsEachTorrentWithItsStrategies() throws Exception {
        running();
        CliTest.Run r = assertTimeoutPreemptively(GUARD,
                () -> CliTest.run("control", "--dir", dir.toString(), "status"));
        assertEquals(Cli.OK, r.status(), r::toString);
        assertTrue(r.out().contains(ControlFakes.HASH_A + "  alpha  downloading 25.0%  picker rarest-first, choker "
                + "tit-for-tat, seed-choker round-robin"), r.out());
    }

    @Test
    void statusPrintsWhyATorrentFailed() throws Exception {
        target.torrents.add(new ControlTarget.Torrent("gamma", "cc" + "2".repeat(38), "error", 0.5, "rarest-first",
                "tit-for-tat", "round-robin", "cannot write piece 3: /dl/gamma: No space left on device"));
        running();
        CliTest.Run r = assertTimeoutPreemptively(GUARD,
                () -> CliTest.run("control", "--dir", dir.toString(), "status"));
        assertEquals(Cli.OK, r.status(), r::toString);
        assertTrue(r.out().contains("  gamma  error 50.0%  picker rarest-first, choker tit-for-tat, seed-choker "
                + "round-robin  error: cannot write piece 3: /dl/gamma: No space left on device"), r.out());
        assertTrue(r.out().contains("seed-choker round-robin\n"), "no error where there is none: " + r.out());
    }

    @Test
    void switchThenStatusJsonShowsTheNewPicker() throws Exception {
        running();
        CliTest.Run s = assertTimeoutPreemptively(GUARD,
                () -> CliTest.run("control", "--control", ControlFile.in(dir.resolve(".stampede")).toString(),
                        "switch", "beta", "picker", "sequential"));
        assertEquals(Cli.OK, s.status(), s::toString);
        assertTrue(s.out().startsWith("beta (" + ControlFakes.HASH_B + "): picker is now sequential"), s.out());
        CliTest.Run r = assertTimeoutPreemptively(GUARD,
                () -> CliTest.run("control", "--dir", dir.toString(), "status", "--json"));
        JsonObject reply = JsonParser.parseString(r.out()).getAsJsonObject();
        assertEquals("sequential",
                reply.getAsJsonArray("torrents").get(1).getAsJsonObject().get("picker").getAsString());
    }

    @Test
    void strategiesWithDirListsTheTorrentsUsingEachStrategyOfTheRunningClient() throws Exception {
        running();
        CliTest.Run r = assertTimeoutPreemptively(GUARD,
                () -> CliTest.run("strategies", "--dir", dir.toString(), "--json"));
        assertEquals(Cli.OK, r.status(), r::toString);
        JsonArray strategies = JsonParser.parseString(r.out()).getAsJsonArray();
        JsonObject tft = strategies.get(2).getAsJsonObject();
        assertEquals("tit-for-tat", tft.get("id").getAsString());
        assertEquals(List.of(ControlFakes.HASH_A, ControlFakes.HASH_B),
                tft.getAsJsonArray("torrents").asList().stream().map(e -> e.getAsString()).toList());
    }

    @Test
    void strategiesWithDirAndNoRunningClientExits1() {
        assertFailure(CliTest.run("strategies", "--dir", dir.toString()), Cli.FAILURE, "no running client");
    }

    @Test
    void installPersistSendsPersistAndSaysWhereTheJarIsKept() throws Exception {
        running();
        Path jar = TestJars.plugin(dir.resolve("org.example.kept.strategies.jar"), "org.example.kept", "1.2.3");
        CliTest.Run r = assertTimeoutPreemptively(GUARD,
                () -> CliTest.run("control", "--dir", dir.toString(), "install", "--persist", jar.toString()));
        assertEquals(Cli.OK, r.status(), r::toString);
        assertTrue(r.out().contains("persisted as " + ControlFakes.Bundles.PERSISTED.resolve(
                "org.example.kept_1.2.3.jar") + ": installed at every start"), r.out());
        CliTest.Run u = assertTimeoutPreemptively(GUARD,
                () -> CliTest.run("control", "--dir", dir.toString(), "uninstall", "org.example.kept"));
        assertEquals(Cli.OK, u.status(), u::toString);
        assertTrue(u.out().contains("; deleted " + ControlFakes.Bundles.PERSISTED.resolve("org.example.kept_1.2.3.jar")
                + " from the persisted plug-ins"), u.out());
    }

    @Test
    void installWithoutPersistSaysNothingOfPersisting() throws Exception {
        running();
        Path jar = TestJars.plugin(dir.resolve("org.example.extra.strategies.jar"), "org.example.extra", "1.2.3");
        CliTest.Run r = assertTimeoutPreemptively(GUARD,
                () -> CliTest.run("control", "--dir", dir.toString(), "install", jar.toString()));
        assertEquals(Cli.OK, r.status(), r::toString);
        assertTrue(r.out().startsWith("installed org.example.extra 1.2.3 (bundle 40)"), r.out());
        assertTrue(!r.out().contains("persisted"), r.out());
    }

    /**
     * What the command can tell of the jar it tells before it asks the client, which need not run: exit status 2 with
     * the reason, never reading a FIFO or /dev/zero.
     */
    @Test
    void installOfWhatIsNoPlugInJarIsBadInputWithItsReasonBeforeTheClientIsAsked() throws Exception {
        Path fifo = dir.resolve("pipe.jar");
        Process p = new ProcessBuilder("mkfifo", fifo.toString()).inheritIO().start();
        assertTrue(p.waitFor(30, TimeUnit.SECONDS) && p.exitValue() == 0, "mkfifo");
        Path folder = Files.createDirectory(dir.resolve("folder.jar"));
        Path empty = Files.createFile(dir.resolve("empty.jar"));
        Path text = Files.writeString(dir.resolve("text.jar"), "not a zip file");
        Path library = TestJars.plainBundle(dir.resolve("library.jar"), "library");
        Path missing = dir.resolve("missing.jar");
        java.util.Map<Path, String> expected = new java.util.LinkedHashMap<>();
        expected.put(folder, folder + " is a folder, not a jar file");
        expected.put(Path.of("/dev/zero"), "/dev/zero is a character device, not a jar file");
        expected.put(fifo, fifo + " is a FIFO (named pipe), not a jar file");
        expected.put(empty, empty + " is empty, not a jar file");
        expected.put(text, text + ": not a jar file (");
        expected.put(library, library + ": " + TestJars.PREFIX + "library 1.0.0 is not a plug-in");
        expected.put(missing, missing + ": no such file");
        for (java.util.Map.Entry<Path, String> e : expected.entrySet()) {
            CliTest.Run r = assertTimeoutPreemptively(GUARD,
                    () -> CliTest.run("control", "--dir", dir.toString(), "install", e.getKey().toString()));
            assertFailure(r, Cli.BAD_INPUT, "error: " + e.getValue());
        }
    }

    @Test
    void persistWithAnotherCommandIsBadInput() {
        CliTest.assertBadInput(CliTest.run("control", "--dir", dir.toString(), "status", "--persist"),
                "--persist goes with install only");
    }
}
