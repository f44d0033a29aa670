package org.stampede.lab;

/** The swarms the tests run. */
final class Scenarios {
    private Scenarios() {
    }

    /** A small swarm, quick to run: 20 leechers, 40 pieces of 64 KiB. */
    static LabConfig small(long seed) {
        return LabConfig.defaults().withSwarm(20, 40, 64 * 1024).withSeed(seed);
    }

    /**
     * The swarm of the qualitative tests: 60 leechers and 200 pieces of 256 KiB, leechers arriving over 10 minutes,
     * a 1 MiB/s seed. The seed is not the bottleneck, so the swarm reaches the steady state in which Legout et al.
     * (IMC 2006) saw rarest first keep pieces replicated and tit-for-tat reward contributors; while the seed alone
     * limits how fast pieces enter a swarm (a flash crowd on a slow seed), neither strategy can change much.
     */
    static LabConfig steady(long seed, String picker, String choker) {
        return LabConfig.defaults().withSwarm(60, 200, 256 * 1024).withSeed(seed)
                .withStrategies(picker, choker, FixtureStrategies.ROUND_ROBIN)
                .withUpload(1024 * 1024, 64 * 1024, 1.0, 8 * 1024, 4 * 1024 * 1024).withTimes(600, 0, 5, 86_400);
    }

    static LabResult run(LabConfig config) {
        return Lab.run(config, new FixtureStrategies(config.seed()));
    }
}
