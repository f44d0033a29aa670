package org.stampede.tracker.server;

import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Assumptions;

/**
 * Runs the real counterpart (libtorrent's Python bindings) as a separate process for the interop tests. When it is
 * missing the tests are skipped with a reason, unless {@code STAMPEDE_REQUIRE_INTEROP=1} (set by {@code .ci/run}),
 * where they fail.
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

    static Path script(String name) {
        return repo().resolve("releng/interop").resolve(name);
    }

    /** Skips (or fails, on CI) unless libtorrent's bindings are installed. */
    static void requireLibtorrent() throws InterruptedException {
        String missing = null;
        try {
            Process p = new ProcessBuilder(List.of(PYTHON, "-c", "import libtorrent")).redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
            if (!p.waitFor(60, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                missing = "python3-libtorrent (import timed out)";
            } else if (p.exitValue() != 0) {
                missing = "python3-libtorrent";
            }
        } catch (IOException e) {
            missing = "python3 (" + e.getMessage() + ")";
        }
        if (missing != null) {
            String why = "interop counterpart missing: " + missing + " (bash .ci/run installs it)";
            if ("1".equals(System.getenv("STAMPEDE_REQUIRE_INTEROP"))) {
                fail(why);
            }
            Assumptions.abort(why);
        }
    }
}
