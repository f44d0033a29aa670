package org.stampede.ui.internal.parts;

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



}
