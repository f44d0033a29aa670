package org.stampede.metainfo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Assumptions;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;

/**
 * Runs the real counterparts (libtorrent's Python bindings, mktorrent) as separate processes for the interop tests.
 * When they are missing the tests are skipped with a reason, unless {@code STAMPEDE_REQUIRE_INTEROP=1} (set by
 * {@code .ci/run}), where they fail.
 */
final class Interop {
    static final String PYTHON = "/usr/bin/python3";
    private static final long TIMEOUT_SECONDS = 120;

    private Interop() {
    }

    /** The repository root, from the system property the build sets, else found from the working folder. */
    static Path repo() {
        String prop = System.getProperty("stampede.repo");
        if (prop != null) {
            return Path.of(prop).toAbsolutePath().normalize();
        }
        Path p = Path.of("").toAbsolutePath();
        while (p != null && !Files.isDirectory(p.resolve("releng/interop"))) {
            p = p.getParent();
        }
        if (p == null) {
            fail("cannot find the repository root (set -Dstampede.repo)");
        }
        return p;
    }

    static Path script(String name) {
        return repo().resolve("releng/interop").resolve(name);
    }

    /** Skips (or fails, on CI) unless libtorrent's bindings and the given tools are installed. */
    static void requireLibtorrent(String... tools) {
        List<String> missing = new ArrayList<>();
        try {
            Result r = run(List.of(PYTHON, "-c", "import libtorrent"));
            if (r.exit != 0) {
                missing.add("python3-libtorrent");
            }
        } catch (IOException e) {
            missing.add("python3 (" + e.getMessage() + ")");
        }
        for (String tool : tools) {
            if (!Files.isExecutable(Path.of("/usr/bin", tool))) {
                missing.add(tool);
            }
        }
        if (!missing.isEmpty()) {
            String why = "interop counterparts missing: " + missing + " (bash .ci/run installs them)";
            if ("1".equals(System.getenv("STAMPEDE_REQUIRE_INTEROP"))) {
                fail(why);
            }
            Assumptions.abort(why);
        }
    }

    record Result(int exit, String out, String err) {
    }

    static Result run(List<String> command) throws IOException {
        Path outFile = Files.createTempFile("interop", ".out");
        Path errFile = Files.createTempFile("interop", ".err");
        try {
            Process p = new ProcessBuilder(command).redirectOutput(outFile.toFile()).redirectError(errFile.toFile())
                    .start();
            if (!p.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                fail(command + " did not finish within " + TIMEOUT_SECONDS + " s");
            }
            return new Result(p.exitValue(), Files.readString(outFile, StandardCharsets.UTF_8),
                    Files.readString(errFile, StandardCharsets.UTF_8));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException(e);
        } finally {
            Files.deleteIfExists(outFile);
            Files.deleteIfExists(errFile);
        }
    }

    /** What libtorrent reads from a torrent file (see releng/interop/README.md for the schema). */
    static JsonObject libtorrentInfo(Path torrent) throws IOException {
        Result r = run(List.of(PYTHON, script("lt_info.py").toString(), torrent.toString()));
        assertEquals(0, r.exit, () -> "libtorrent rejected " + torrent + ": " + r.err);
        return JsonParser.parseString(r.out).getAsJsonObject();
    }

    /** libtorrent hash-checks {@code data} against the torrent; returns its JSON verdict. */
    static JsonObject libtorrentCheck(Path torrent, Path savePath) throws IOException {
        Result r = run(List.of(PYTHON, script("lt_check.py").toString(), torrent.toString(), savePath.toString(),
                "--timeout", "100"));
        if (r.out.isBlank()) {
            fail("lt_check.py printed nothing (exit " + r.exit + "): " + r.err);
        }
        return JsonParser.parseString(r.out.strip()).getAsJsonObject();
    }

    /** Writes {@code length} pseudo-random bytes (fixed seed) to {@code file}. */
    static void randomFile(Path file, long length, long seed) throws IOException {
        Files.createDirectories(file.getParent());
        Random random = new Random(seed);
        byte[] chunk = new byte[64 * 1024];
        try (var out = Files.newOutputStream(file)) {
            long left = length;
            while (left > 0) {
                random.nextBytes(chunk);
                int n = (int) Math.min(left, chunk.length);
                out.write(chunk, 0, n);
                left -= n;
            }
        }
    }

    /** The non-padding files libtorrent lists, as "path/joined=length" strings. */
    static List<String> libtorrentFiles(JsonObject info) {
        List<String> out = new ArrayList<>();
        for (JsonElement e : info.getAsJsonArray("files")) {
            JsonObject f = e.getAsJsonObject();
            if (!f.get("padding").getAsBoolean()) {
                List<String> path = new ArrayList<>();
                f.getAsJsonArray("path").forEach(c -> path.add(c.getAsString()));
                out.add(String.join("/", path) + "=" + f.get("length").getAsLong());
            }
        }
        return out;
    }

    static List<String> stampedeFiles(Torrent t) {
        return t.files().stream().filter(f -> !f.padding()).map(f -> f.displayPath() + "=" + f.length()).toList();
    }

    static String hexOrNull(InfoHash h) {
        return h == null ? null : h.hex();
    }

    static String stringOrNull(JsonObject o, String key) {
        JsonElement e = o.get(key);
        return e == null || e.isJsonNull() ? null : e.getAsString();
    }
}
