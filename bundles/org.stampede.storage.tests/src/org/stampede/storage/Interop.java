package org.stampede.storage;

import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Assumptions;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;

/**
 * Runs libtorrent's Python bindings through the scripts in {@code releng/interop} (a copy of the helper in
 * {@code org.stampede.metainfo.tests}, trimmed). When they are missing the tests are skipped with a reason, unless
 * {@code STAMPEDE_REQUIRE_INTEROP=1} (set by {@code .ci/run}), where they fail.
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

    /** Skips (or fails, on CI) unless libtorrent's bindings are installed. */
    static void requireLibtorrent() {
        List<String> missing = new ArrayList<>();
        try {
            if (run(List.of(PYTHON, "-c", "import libtorrent")).exit != 0) {
                missing.add("python3-libtorrent");
            }
        } catch (IOException e) {
            missing.add("python3 (" + e.getMessage() + ")");
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

    /** Makes a torrent of {@code source} with libtorrent ({@code --v1}, {@code --v2} or {@code --hybrid}). */
    static Path libtorrentCreate(Path source, Path out, String versionFlag, long pieceLength) throws IOException {
        Result r = run(List.of(PYTHON, script("lt_create.py").toString(), source.toString(), "-o", out.toString(),
                versionFlag, "--piece-length", Long.toString(pieceLength), "--no-date"));
        if (r.exit != 0) {
            fail("lt_create.py failed (exit " + r.exit + "): " + r.err);
        }
        return out;
    }

    /** libtorrent hash-checks the data under {@code savePath} against the torrent; returns its JSON verdict. */
    static JsonObject libtorrentCheck(Path torrent, Path savePath) throws IOException {
        Result r = run(List.of(PYTHON, script("lt_check.py").toString(), torrent.toString(), savePath.toString(),
                "--timeout", "100"));
        if (r.out.isBlank()) {
            fail("lt_check.py printed nothing (exit " + r.exit + "): " + r.err);
        }
        return JsonParser.parseString(r.out.strip()).getAsJsonObject();
    }
}
