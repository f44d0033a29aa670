package org.stampede.lab;

import org.osgi.annotation.versioning.ConsumerType;
import org.stampede.api.ChokerFactory;
import org.stampede.api.PiecePickerFactory;

/**
 * Where the lab gets its strategies: by kind and name, as the engine does. The command line implements it with the
 * OSGi services of the strategy bundles; tests implement it with strategies of their own. The lab asks once per
 * strategy at the start of a run and then only calls the factories.
 */
@ConsumerType
public interface StrategySource {
    /** The piece picker named {@code name}, or null when there is none. */
    PiecePickerFactory picker(String name);

    /**
     * The choker named {@code name} of {@code kind} ({@link org.stampede.api.StrategyKind#CHOKER} or
     * {@link org.stampede.api.StrategyKind#SEED_CHOKER}), or null when there is none.
     */
    ChokerFactory choker(String kind, String name);

    /** Where a strategy comes from, for the report (for example its bundle and version); empty when unknown. */
    default String origin(String kind, String name) {
        return "";
    }
}
