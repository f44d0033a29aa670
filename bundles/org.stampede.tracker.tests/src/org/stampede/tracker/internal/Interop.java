package org.stampede.tracker.internal;

import static org.junit.jupiter.api.Assertions.fail;

import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Assumptions;

/**
 * Real counterparts for the interop tests. When one is missing the test is skipped with the reason, unless
 * {@code STAMPEDE_REQUIRE_INTEROP=1} (set by {@code .ci/run}), where it fails.
 */
final class Interop {
    static final Path OPENTRACKER = Path.of("/usr/bin/opentracker");

    private Interop() {
    }

    /** Skips (or fails, on CI) unless {@code /usr/bin/opentracker} is installed. */
    static void requireOpentracker() {
        if (!Files.isExecutable(OPENTRACKER)) {
            String why = "interop counterpart missing: opentracker (bash .ci/run installs it)";
            if ("1".equals(System.getenv("STAMPEDE_REQUIRE_INTEROP"))) {
                fail(why);
            }
            Assumptions.abort(why);
        }
    }
}
