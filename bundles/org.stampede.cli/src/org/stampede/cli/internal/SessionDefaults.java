package org.stampede.cli.internal;

import java.nio.file.Path;

import org.stampede.engine.EngineConfiguration;
import org.stampede.engine.EngineSettings;

/**
 * The stored session settings ({@code stampede config}) that {@code download} and {@code seed} start from; the
 * built-in defaults where ConfigurationAdmin is not installed.
 */
final class SessionDefaults {
    /** How long to wait for Declarative Services to bring the configuration service up. */
    private static final long WAIT_MILLIS = 10_000;

    private SessionDefaults() {
    }

    /** The configuration service, or null when there is none (no ConfigurationAdmin). */
    static EngineConfiguration configuration() {
        try {
            return Services.get(EngineConfiguration.class, WAIT_MILLIS);
        } catch (Exception e) {
            return null;
        }
    }

    static EngineSettings settings() {
        EngineConfiguration c = configuration();
        return c == null ? EngineSettings.defaults() : c.settings();
    }

    /** The configured download folder, or null. */
    static Path downloadFolder() {
        EngineConfiguration c = configuration();
        return c == null ? null : c.downloadFolder();
    }
}
