package org.stampede.cli.internal;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** Which commands install the persisted plug-ins before they run. */
class StampedeApplicationTest {
    @Test
    void commandsThatMayUsePlugInsInstallThem() {
        for (String command : new String[] { "download", "seed", "plugins", "strategies", "lab", "config", "demo" }) {
            assertTrue(StampedeApplication.usesPlugins(new String[] { command, "x" }), command);
        }
    }

    @Test
    void commandsThatUseNoneStartWithoutThem() {
        for (String command : new String[] { "info", "create", "control", "tracker", "--version", "--help", "-h" }) {
            assertFalse(StampedeApplication.usesPlugins(new String[] { command }), command);
        }
        assertFalse(StampedeApplication.usesPlugins(new String[0]));
    }
}
