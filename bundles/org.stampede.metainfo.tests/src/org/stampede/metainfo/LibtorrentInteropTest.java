package org.stampede.metainfo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.stampede.testing.interop.Interop;
import org.stampede.testing.interop.Libtorrent;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;

/**
 * Interop with the reference implementation: torrents Stampede creates load in libtorrent with the same
 * info-hashes, files and piece count, and libtorrent's own hash check of the data passes against them; torrents
 * libtorrent and mktorrent create are read by Stampede with the same info-hashes and files.
 */
class LibtorrentInteropTest {

    @TempDir
    static Path work;
    static Path single;
    static Path folder;

    @BeforeAll
    static void data() throws IOException {
        Interop.requireLibtorrent("mktorrent");
        single = work.resolve("data-single/movie.bin");
        Interop.randomFile(single, 3 * 1024 * 1024 + 12345, 1);
        folder = work.resolve("data-multi/album");
        Interop.randomFile(folder.resolve("01 intro.flac"), 700_001, 2);
        Interop.randomFile(folder.resolve("cover.jpg"), 16 * 1024, 3);
        Interop.randomFile(folder.resolve("disc 2/02 outro.flac"), 1_500_000, 4);
        Interop.randomFile(folder.resolve("disc 2/notes/readme.txt"), 1000, 5);
        Files.createFile(folder.resolve("empty.nfo"));
        Interop.randomFile(folder.resolve("zz-last.bin"), 262_144, 6);
    }

    static Stream<Arguments> createdByStampede() {
        List<Arguments> cases = new ArrayList<>();
        for (Torrent.Version v : Torrent.Version.values()) {
            for (long pl : new long[] { 16 * 1024, 256 * 1024, 4 * 1024 * 1024, 16 * 1024 * 1024 }) {
                cases.add(Arguments.of(v, "single", pl));
                cases.add(Arguments.of(v, "multi", pl));
            }
        }
        return cases.stream();
    }

    @ParameterizedTest(name = "{0} {1} piece length {2}")
    @MethodSource("createdByStampede")
    void torrentCreatedByStampedeLoadsAndVerifiesInLibtorrent(Torrent.Version version, String layout, long pl)
            throws Exception {
        Path source = layout.equals("single") ? single : folder;
        Path out = work.resolve("stampede-" + version + "-" + layout + "-" + pl + ".torrent");
        byte[] bytes = TorrentCreator.forSource(source).version(version).pieceLength(pl)
                .tracker("http://127.0.0.1:6969/announce").trackerTier(List.of("udp://127.0.0.1:6969", "udp://[::1]:6969"))
                .webSeed("http://127.0.0.1:8080/files/").comment("interop").create();
        Files.write(out, bytes);
        Torrent ours = Torrent.parse(bytes);
        JsonObject lt = Libtorrent.info(out);

        assertEquals(hexOrNull(ours.infoHashV1()), stringOrNull(lt, "infoHashV1"), "v1 info-hash");
        assertEquals(hexOrNull(ours.infoHashV2()), stringOrNull(lt, "infoHashV2"), "v2 info-hash");
        assertEquals(ours.name(), lt.get("name").getAsString());
        assertEquals(pl, lt.get("pieceLength").getAsLong());
        assertEquals(ours.pieceCount(), lt.get("pieceCount").getAsInt(), "piece count");
        assertEquals(stampedeFiles(ours), Libtorrent.files(lt), "files");
        assertEquals(ours.totalLength(), lt.get("contentLength").getAsLong());
        assertEquals("[[\"http://127.0.0.1:6969/announce\"],[\"udp://127.0.0.1:6969\",\"udp://[::1]:6969\"]]",
                lt.get("trackers").toString());
        assertEquals("[\"http://127.0.0.1:8080/files/\"]", lt.get("webSeeds").toString());

        // libtorrent hashes the data itself against our piece hashes (v1 SHA-1 and v2 merkle trees)
        JsonObject check = Libtorrent.check(out, source.getParent());
        assertTrue(check.get("complete").getAsBoolean(), () -> "libtorrent's hash check failed: " + check);
        if (version.hasV2()) {
            // every multi-piece file has its piece layer, so libtorrent checked each v2 piece on its own
            assertEquals(0, check.get("missingPieceLayers").getAsInt(), check::toString);
        }
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("createdByLibtorrent")
    void torrentCreatedByLibtorrentIsReadWithTheSameIdentity(String mode, String layout) throws Exception {
        Path source = layout.equals("single") ? single : folder;
        Path out = work.resolve("lt-" + mode + "-" + layout + ".torrent");
        Interop.Result r = Interop.run(List.of(Interop.PYTHON, Interop.script("lt_create.py").toString(),
                source.toString(), "-o", out.toString(), "--" + mode, "--piece-length", "32768", "--tracker",
                "udp://127.0.0.1:6969/announce", "--private", "--web-seed", "http://127.0.0.1/ws"));
        assertEquals(0, r.exit(), r::err);
        assertSameAsLibtorrent(out);
    }

    static Stream<Arguments> createdByLibtorrent() {
        return Stream.of("v1", "v2", "hybrid").flatMap(m -> Stream.of(Arguments.of(m, "single"),
                Arguments.of(m, "multi")));
    }

    @Test
    void singleFileTorrentCreatedByMktorrentIsReadWithTheSameIdentity() throws Exception {
        Path out = work.resolve("mk-single.torrent");
        Interop.Result r = Interop.run(List.of("/usr/bin/mktorrent", "-l", "15", "-a",
                "http://127.0.0.1:6969/announce", "-p", "-o", out.toString(), single.toString()));
        assertEquals(0, r.exit(), r::err);
        assertSameAsLibtorrent(out);
    }

    @Test
    void multiFileTorrentCreatedByMktorrentIsReadWithTheSameIdentity() throws Exception {
        Path out = work.resolve("mk-multi.torrent");
        Interop.Result r = Interop.run(List.of("/usr/bin/mktorrent", "-l", "18", "-a",
                "http://127.0.0.1:6969/announce,udp://127.0.0.1:6969", "-a", "http://127.0.0.2:6969/announce",
                "-w", "http://127.0.0.1/seed", "-o", out.toString(), folder.toString()));
        assertEquals(0, r.exit(), r::err);
        Torrent t = assertSameAsLibtorrent(out);
        assertEquals(List.of(List.of("http://127.0.0.1:6969/announce", "udp://127.0.0.1:6969"),
                List.of("http://127.0.0.2:6969/announce")), t.trackers());
    }

    private static Torrent assertSameAsLibtorrent(Path torrent) throws Exception {
        Torrent ours = Torrent.read(torrent);
        JsonObject lt = Libtorrent.info(torrent);
        assertEquals(stringOrNull(lt, "infoHashV1"), hexOrNull(ours.infoHashV1()), "v1 info-hash");
        assertEquals(stringOrNull(lt, "infoHashV2"), hexOrNull(ours.infoHashV2()), "v2 info-hash");
        assertEquals(lt.get("name").getAsString(), ours.name());
        assertEquals(lt.get("pieceLength").getAsLong(), ours.pieceLength());
        assertEquals(lt.get("pieceCount").getAsInt(), ours.pieceCount());
        assertEquals(Libtorrent.files(lt), stampedeFiles(ours));
        assertEquals(lt.get("contentLength").getAsLong(), ours.totalLength());
        assertEquals(lt.get("private").getAsBoolean(), ours.isPrivate());
        // libtorrent gives a v2 single-file torrent a tail pad file, treats it as multi-file and so appends '/' to
        // its web seeds (BEP 19 folder form); BEP 52 says it is single-file, as we read it. Compare without it there.
        boolean ltTailPad = ours.isSingleFile() && ours.version() == Torrent.Version.V2;
        assertEquals(lt.get("webSeeds").toString().replace(ltTailPad ? "/\"" : "\u0000", "\""),
                new com.google.gson.Gson().toJson(ours.webSeeds()));
        return ours;
    }

    private static List<String> stampedeFiles(Torrent t) {
        return t.files().stream().filter(f -> !f.padding()).map(f -> f.displayPath() + "=" + f.length()).toList();
    }

    private static String hexOrNull(InfoHash h) {
        return h == null ? null : h.hex();
    }

    private static String stringOrNull(JsonObject o, String key) {
        JsonElement e = o.get(key);
        return e == null || e.isJsonNull() ? null : e.getAsString();
    }
}
