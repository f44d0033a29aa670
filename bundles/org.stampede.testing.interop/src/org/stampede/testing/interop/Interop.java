package org.stampede.testing.interop;

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
 * Where the real counterparts are and how to run them: the Python that has libtorrent's bindings, the scripts in
 * {@code releng/interop}, the skip-or-fail check for missing counterparts, a command run to completion with a
 * deadline, and reproducible random data files.
 */
public final class Interop {
    /** The only Python with libtorrent's bindings here (the {@code python3} on PATH may lack them). */
    public static final String PYTHON = "/usr/bin/python3";
    /** Debian's opentracker. */
    public static final Path OPENTRACKER = Path.of("/usr/bin/opentracker");
    /** The environment variable that turns a missing counterpart from a skip into a failure, when it is "1". */
    public static final String REQUIRE_ENV = "STAMPEDE_REQUIRE_INTEROP";
    /** How long {@link #run(List)} lets a command take. */
    public static final long RUN_TIMEOUT_SECONDS = 120;
    /** How long {@code import libtorrent} may take before the bindings count as missing. */
    public static final long IMPORT_TIMEOUT_SECONDS = 60;

    private Interop() {
    }

    /**
     * The repository root: the system property {@code stampede.repo} (the build sets it), else the nearest folder
     * above the working folder that has {@code releng/interop}; fails when there is none.
     */
    public static Path repo() {
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

    /** The script {@code releng/interop/<name>} (see that folder's README.md for what each one does). */
    public static Path script(String name) {
        return repo().resolve("releng/interop").resolve(name);
    }

    /**
     * Skips the test (or fails it, when {@value #REQUIRE_ENV}=1) unless libtorrent's Python bindings import within
     * {@value #IMPORT_TIMEOUT_SECONDS} s and each of {@code tools} is an executable in {@code /usr/bin}.
     */
    public static void requireLibtorrent(String... tools) {
        List<String> missing = new ArrayList<>();
        String bindings = libtorrentImportProblem();
        if (bindings != null) {
            missing.add(bindings);
        }
        for (String tool : tools) {
            if (!Files.isExecutable(Path.of("/usr/bin", tool))) {
                missing.add(tool);
            }
        }
        skipOrFail(missing);
    }

    /** Skips the test (or fails it, when {@value #REQUIRE_ENV}=1) unless {@link #OPENTRACKER} is installed. */
    public static void requireOpentracker() {
        skipOrFail(Files.isExecutable(OPENTRACKER) ? List.of() : List.of("opentracker"));
    }

    /** @return null when {@code import libtorrent} works, else what is missing */
    private static String libtorrentImportProblem() {
        Process p;
        try {
            p = new ProcessBuilder(PYTHON, "-c", "import libtorrent").redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        } catch (IOException e) {
            return "python3 (" + e.getMessage() + ")";
        }
        try {
            if (!p.waitFor(IMPORT_TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                return "python3-libtorrent (import did not finish within " + IMPORT_TIMEOUT_SECONDS + " s)";
            }
        } catch (InterruptedException e) {
            p.destroyForcibly();
            Thread.currentThread().interrupt();
            fail("interrupted while checking for libtorrent's bindings");
        }
        return p.exitValue() == 0 ? null : "python3-libtorrent";
    }

    private static void skipOrFail(List<String> missing) {
        if (missing.isEmpty()) {
            return;
        }
        String why = missing.size() == 1
                ? "interop counterpart missing: " + missing.get(0) + " (bash .ci/run installs it)"
                : "interop counterparts missing: " + missing + " (bash .ci/run installs them)";
        if ("1".equals(System.getenv(REQUIRE_ENV))) {
            fail(why);
        }
        Assumptions.abort(why);
    }

    /** What a command did: its exit status and everything it wrote to stdout and stderr (UTF-8). */
    public record Result(int exit, String out, String err) {
    }

    /**
     * Runs {@code command} to completion, its output kept in temporary files (deleted afterwards); fails the test
     * when it takes longer than {@value #RUN_TIMEOUT_SECONDS} s, after killing it.
     *
     * @throws IOException when it cannot be started or its output read, or when this thread is interrupted (the
     *         interrupt status is kept)
     */
    public static Result run(List<String> command) throws IOException {
        Path outFile = Files.createTempFile("interop", ".out");
        Path errFile = Files.createTempFile("interop", ".err");
        try {
            Process p = new ProcessBuilder(command).redirectOutput(outFile.toFile()).redirectError(errFile.toFile())
                    .start();
            try {
                if (!p.waitFor(RUN_TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
                    p.destroyForcibly();
                    fail(command + " did not finish within " + RUN_TIMEOUT_SECONDS + " s");
                }
            } catch (InterruptedException e) {
                p.destroyForcibly();
                Thread.currentThread().interrupt();
                throw new IOException(e);
            }
            return new Result(p.exitValue(), Files.readString(outFile, StandardCharsets.UTF_8),
                    Files.readString(errFile, StandardCharsets.UTF_8));
        } finally {
            Files.deleteIfExists(outFile);
            Files.deleteIfExists(errFile);
        }
    }

    /**
     * Writes {@code length} pseudo-random bytes to {@code file}, the same bytes for the same {@code seed}; creates
     * the parent folders.
     */
    public static void randomFile(Path file, long length, long seed) throws IOException {
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
}
