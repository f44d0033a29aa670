package org.stampede.cli.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.stampede.metainfo.Torrent;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;

/** The command line as a user meets it: exit status, stdout, and the one-line errors on stderr. */
class CliTest {
    @TempDir
    Path dir;

    record Run(int status, String out, String err) {
    }

    static Run run(String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int status = Cli.run(args, new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
        return new Run(status, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    static void assertBadInput(Run r, String mentions) {
        assertEquals(Cli.BAD_INPUT, r.status, r::toString);
        String[] lines = r.err.strip().split("\n");
        assertEquals(1, lines.length, () -> "one line on stderr: " + r.err);
        assertTrue(lines[0].startsWith("error: "), r.err);
        assertTrue(lines[0].contains(mentions), () -> "'" + mentions + "' in " + r.err);
        assertFalse(r.err.contains("Exception"), r.err);
    }

    private Path data() throws IOException {
        Path root = dir.resolve("data");
        Files.createDirectories(root.resolve("sub"));
        byte[] bytes = new byte[300_000];
        new Random(7).nextBytes(bytes);
        Files.write(root.resolve("a.bin"), bytes);
        Files.write(root.resolve("sub/b.txt"), "hello".getBytes(StandardCharsets.UTF_8));
        return root;
    }

    @Test
    void noCommandIsBadInput() {
        assertBadInput(run(), "no command");
    }

    @Test
    void unknownOptionIsBadInput() {
        assertBadInput(run("info", "--frobnicate", "x"), "--frobnicate");
    }

    @Test
    void versionNamesStampede() {
        Run r = run("--version");
        assertEquals(0, r.status);
        assertTrue(r.out.startsWith("Stampede "), r.out);
    }

    @Test
    void createThenInfoJsonDescribesTheTorrent() throws Exception {
        Path out = dir.resolve("x.torrent");
        Run c = run("create", data().toString(), "-o", out.toString(), "--v1", "--piece-length", "32K", "--tracker",
                "http://127.0.0.1:1/announce,udp://127.0.0.1:2", "--tracker", "http://127.0.0.3/a", "--private",
                "--web-seed", "http://127.0.0.1/ws", "--comment", "c");
        assertEquals(0, c.status, c::toString);
        Run i = run("info", out.toString(), "--json");
        assertEquals(0, i.status, i::toString);
        JsonObject o = JsonParser.parseString(i.out).getAsJsonObject();
        assertEquals("data", o.get("name").getAsString());
        assertEquals(Torrent.read(out).infoHashV1().hex(), o.get("infoHashV1").getAsString());
        assertTrue(o.get("infoHashV2").isJsonNull());
        assertEquals(32768, o.get("pieceLength").getAsLong());
        assertEquals(10, o.get("pieceCount").getAsInt()); // 300005 bytes in 32 KiB pieces
        assertEquals(300_005, o.get("totalLength").getAsLong());
        JsonArray files = o.getAsJsonArray("files");
        assertEquals(2, files.size());
        assertEquals("[\"sub\",\"b.txt\"]", files.get(1).getAsJsonObject().get("path").toString());
        assertEquals(5, files.get(1).getAsJsonObject().get("length").getAsLong());
        assertFalse(files.get(1).getAsJsonObject().get("padding").getAsBoolean());
        assertEquals("[[\"http://127.0.0.1:1/announce\",\"udp://127.0.0.1:2\"],[\"http://127.0.0.3/a\"]]",
                o.get("trackers").toString());
        assertTrue(o.get("private").getAsBoolean());
        // multi-file: the web seed names a folder (BEP 19), normalised with a trailing slash
        assertEquals("[\"http://127.0.0.1/ws/\"]", o.get("webSeeds").toString());
    }

    @Test
    void hybridIsTheDefaultAndHasBothInfoHashes() throws IOException {
        Path out = dir.resolve("h.torrent");
        assertEquals(0, run("create", data().toString(), "-o", out.toString(), "-q").status);
        JsonObject o = JsonParser.parseString(run("info", "--json", out.toString()).out).getAsJsonObject();
        assertEquals(40, o.get("infoHashV1").getAsString().length());
        assertEquals(64, o.get("infoHashV2").getAsString().length());
    }

    @Test
    void createShowsProgressOnStderr() throws IOException {
        Run c = run("create", data().toString(), "-o", dir.resolve("p.torrent").toString());
        assertEquals(0, c.status);
        assertTrue(c.err.contains("hashing [") && c.err.contains("100%"), c.err);
    }

    @Test
    void versionFlagsAreExclusive() throws IOException {
        assertBadInput(run("create", data().toString(), "-o", dir.resolve("x").toString(), "--v1", "--v2"), "--v");
    }

    @Test
    void badPieceLengthIsBadInput() throws IOException {
        assertBadInput(run("create", data().toString(), "-o", dir.resolve("x").toString(), "--piece-length", "1000"),
                "piece length 1000");
        assertBadInput(run("create", data().toString(), "-o", dir.resolve("x").toString(), "--piece-length", "big"),
                "'big'");
    }

    @Test
    void badTrackerIsBadInput() throws IOException {
        assertBadInput(run("create", data().toString(), "-o", dir.resolve("x").toString(), "--tracker", "ftp://x"),
                "ftp://x");
    }

    @Test
    void missingSourceIsBadInput() {
        assertBadInput(run("create", dir.resolve("nope").toString(), "-o", dir.resolve("x").toString()), "nope");
    }

    @Test
    void missingTorrentIsBadInput() {
        assertBadInput(run("info", dir.resolve("missing.torrent").toString()), "missing.torrent: no such file");
    }

    @Test
    void malformedTorrentIsBadInputNamingFileAndPlace() throws IOException {
        Path bad = dir.resolve("bad.torrent");
        Files.writeString(bad, "d4:infod4:name1:x12:piece lengthi0e6:lengthi5e6:pieces20:01234567890123456789ee");
        assertBadInput(run("info", bad.toString()), "bad.torrent: info.piece length");
    }

    @Test
    void truncatedTorrentIsBadInputWithOffset() throws IOException {
        Path full = dir.resolve("t.torrent");
        assertEquals(0, run("create", data().toString(), "-o", full.toString(), "-q").status);
        Path cut = dir.resolve("cut.torrent");
        Files.write(cut, java.util.Arrays.copyOf(Files.readAllBytes(full), 200));
        assertBadInput(run("info", cut.toString()), "offset");
    }

    @Test
    void magnetInfoJson() {
        Run r = run("info", "--json", "magnet:?xt=urn:btih:0123456789ABCDEF0123456789ABCDEF01234567&dn=Big+Buck"
                + "&tr=udp%3A%2F%2F127.0.0.1%3A6969%2Fannounce");
        assertEquals(0, r.status, r::toString);
        JsonObject o = JsonParser.parseString(r.out).getAsJsonObject();
        assertEquals("0123456789abcdef0123456789abcdef01234567", o.get("infoHashV1").getAsString());
        assertTrue(o.get("infoHashV2").isJsonNull());
        assertTrue(o.get("pieceCount").isJsonNull());
        assertEquals("[[\"udp://127.0.0.1:6969/announce\"]]", o.get("trackers").toString());
    }

    @Test
    void badMagnetIsBadInput() {
        assertBadInput(run("info", "magnet:?xt=urn:btih:xyz"), "magnet");
    }
}
