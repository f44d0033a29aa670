package org.stampede.wire.mina;

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
 * Runs the real counterpart (libtorrent's Python bindings) in separate processes for the interop tests. When it is
 * missing the tests are skipped with a reason, unless {@code STAMPEDE_REQUIRE_INTEROP=1} (set by {@code .ci/run}),
 * where they fail. (After {@code org.stampede.metainfo.tests}' class of the same name.)
 */
final class Interop {
    static final String PYTHON = "/usr/bin/python3";

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

    static String script(String name) {
        return repo().resolve("releng/interop").resolve(name).toString();
    }

    /** Skips (or fails, on CI) unless libtorrent's bindings are installed. */
    static void requireLibtorrent() throws InterruptedException {
        List<String> missing = new ArrayList<>();
        try {
            Process p = new ProcessBuilder(PYTHON, "-c", "import libtorrent").redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
            if (!p.waitFor(60, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                missing.add("python3-libtorrent (import did not finish)");
            } else if (p.exitValue() != 0) {
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

    /**
     * A child process whose stdout and stderr go to files and whose stdin stays open until {@link #close()}, which
     * closes stdin (the scripts' signal to stop) and kills the process if it has not exited within 5 seconds.
     */
    static final class Child implements AutoCloseable {
        private final Process process;
        private final Path out;
        private final Path err;

        Child(List<String> command, Path logPrefix) throws IOException {
            this.out = Path.of(logPrefix + ".out");
            this.err = Path.of(logPrefix + ".err");
            this.process = new ProcessBuilder(command).redirectOutput(out.toFile()).redirectError(err.toFile())
                    .start();
        }

        boolean isAlive() {
            return process.isAlive();
        }

        /** @return the exit status, waiting at most {@code seconds} */
        int waitFor(long seconds) throws InterruptedException {
            if (!process.waitFor(seconds, TimeUnit.SECONDS)) {
                fail("process did not exit within " + seconds + " s; stderr: " + stderr());
            }
            return process.exitValue();
        }

        String stdout() throws IOException {
            return Files.readString(out, StandardCharsets.UTF_8);
        }

        String stderr() {
            try {
                return Files.readString(err, StandardCharsets.UTF_8);
            } catch (IOException e) {
                return "(unreadable: " + e.getMessage() + ")";
            }
        }

        /**
         * Waits for {@code file} to appear (the scripts write it atomically) and returns its content; fails if the
         * process exits first or the deadline ({@link System#nanoTime()}) passes.
         */
        String awaitFile(Path file, long deadline) throws IOException, InterruptedException {
            while (!Files.exists(file)) {
                if (!process.isAlive()) {
                    fail("process exited with " + process.exitValue() + " before writing " + file + "; stderr: "
                            + stderr());
                }
                if (System.nanoTime() > deadline) {
                    fail("no " + file + " in time; stderr: " + stderr());
                }
                Thread.sleep(50);
            }
            return Files.readString(file, StandardCharsets.UTF_8).strip();
        }

        @Override
        public void close() {
            try {
                process.getOutputStream().close();
            } catch (IOException e) {
                // already gone
            }
            try {
                if (!process.waitFor(5, TimeUnit.SECONDS)) {
                    process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
                }
            } catch (InterruptedException e) {
                process.destroyForcibly();
                Thread.currentThread().interrupt();
            }
        }
    }
}
