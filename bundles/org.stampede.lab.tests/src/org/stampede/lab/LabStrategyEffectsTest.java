package org.stampede.lab;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Locale;

import org.junit.jupiter.api.Test;
import org.stampede.lab.LabResult.PeerClass;

/**
 * The two qualitative results the lab must reproduce, each on three seeds, with the fixtures of
 * {@link FixtureStrategies} deciding. The margins asserted are about half of those measured (see the README).
 */
class LabStrategyEffectsTest {
    private static final long[] SEEDS = { 1, 2, 3 };

    /** Legout et al. (IMC 2006): rarest first keeps the rarest piece replicated; random selection lets it dwindle. */
    @Test
    void rarestFirstKeepsTheRarestPieceMoreReplicatedThanRandomSelection() {
        for (long seed : SEEDS) {
            LabResult rarest = Scenarios.run(Scenarios.steady(seed, FixtureStrategies.RAREST,
                    FixtureStrategies.TIT_FOR_TAT));
            LabResult random = Scenarios.run(Scenarios.steady(seed, FixtureStrategies.RANDOM,
                    FixtureStrategies.TIT_FOR_TAT));
            double r = rarest.meanRarestCopies();
            double q = random.meanRarestCopies();
            assertTrue(rarest.finished() && random.finished(), "seed " + seed + ": both runs finish");
            assertTrue(r > 2 * q + 1, String.format(Locale.ROOT,
                    "seed %d: rarest piece's mean copies, rarest first %.2f, random %.2f", seed, r, q));
        }
    }

    /** Cohen (2003): tit-for-tat serves those who upload; unchoking everyone serves free riders as well as anyone. */
    @Test
    void freeRidersAreSlowedMoreByTitForTatThanByUnchokingEveryone() {
        for (long seed : SEEDS) {
            LabResult tft = Scenarios.run(Scenarios.steady(seed, FixtureStrategies.RAREST,
                    FixtureStrategies.TIT_FOR_TAT).withFreeRiders(0.2));
            LabResult all = Scenarios.run(Scenarios.steady(seed, FixtureStrategies.RAREST,
                    FixtureStrategies.UNCHOKE_ALL).withFreeRiders(0.2));
            double underTft = penalty(tft);
            double underAll = penalty(all);
            assertTrue(underTft > underAll + 0.2, String.format(Locale.ROOT,
                    "seed %d: free riders' mean download time over contributors', tit-for-tat %.2f, unchoke-all %.2f",
                    seed, underTft, underAll));
        }
    }

    /** How much longer free riders take than contributors, on average. */
    private static double penalty(LabResult r) {
        assertTrue(r.finished(), "every leecher finishes");
        return r.meanDownloadSeconds(PeerClass.FREE_RIDER) / r.meanDownloadSeconds(PeerClass.NORMAL);
    }
}
