package org.stampede.lab;

import java.util.Objects;

import org.osgi.annotation.versioning.ConsumerType;
import org.stampede.lab.internal.Simulation;

/**
 * The strategy lab: a deterministic discrete-event simulation of a swarm in virtual time in which real strategy
 * instances (made by the factories a {@link StrategySource} gives) decide for every simulated peer. The model is
 * described in the bundle's README.
 * <p>
 * A run is single-threaded and reads no clock: every random choice comes from one {@link java.util.SplittableRandom}
 * seeded with {@link LabConfig#seed()}, events are ordered by (time, sequence number), and nothing iterates over a
 * hash order. So the same configuration gives the same {@link LabResult}, bit for bit, provided the strategies are
 * deterministic themselves (a strategy that draws from an unseeded random source makes the run vary with it).
 * <p>
 * A strategy that throws ends the run with an {@link IllegalStateException} naming it, the peer and the virtual
 * time (the engine would fall back to the default; the lab reports instead).
 */
public final class Lab {
    /** Told about the progress of a run at every sample. */
    @ConsumerType
    @FunctionalInterface
    public interface Progress {
        /**
         * @param virtualSeconds how far the run has come in virtual time
         * @param finished       leechers that have every piece
         * @param leechers       all leechers
         */
        void update(double virtualSeconds, int finished, int leechers);
    }

    private Lab() {
    }

    public static LabResult run(LabConfig config, StrategySource strategies) {
        return run(config, strategies, (t, f, n) -> {
        });
    }

    /**
     * Runs the experiment until every leecher has finished or {@link LabConfig#maxSeconds()} of virtual time.
     *
     * @throws IllegalArgumentException when a strategy named in the configuration is not in {@code strategies}
     * @throws IllegalStateException    when a strategy throws
     */
    public static LabResult run(LabConfig config, StrategySource strategies, Progress progress) {
        Objects.requireNonNull(config, "config");
        Objects.requireNonNull(strategies, "strategies");
        Objects.requireNonNull(progress, "progress");
        return new Simulation(config, strategies, progress).run();
    }
}
