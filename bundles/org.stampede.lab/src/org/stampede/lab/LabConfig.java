package org.stampede.lab;

import java.util.Objects;

/**
 * One experiment of the strategy lab: the swarm, the strategies every peer runs, and the seed of all randomness.
 * Build with {@link #defaults()} and the {@code with...} methods; the constructor checks every value and throws
 * {@link IllegalArgumentException} saying which one is wrong. The model is described in the bundle's README.
 *
 * @param picker          name of the piece picker every leecher runs ({@code stampede.strategy.name})
 * @param choker          name of the choker every contributing leecher runs while downloading
 * @param seedChoker      name of the choker the seed (and a finished leecher that lingers) runs while seeding
 * @param peers           number of leechers; the swarm has one seed more
 * @param pieces          number of pieces of the (virtual) content
 * @param pieceLength     bytes per piece, so {@code ceil(pieceLength / 16 KiB)} blocks per piece
 * @param seed            seed of the one random source of a run: same seed, same result
 * @param freeRiders      fraction of the leechers that are free riders (never upload), 0 to 1
 * @param seedUpload      upload capacity of the seed in bytes per second
 * @param uploadMedian    median upload capacity of a leecher in bytes per second (log-normal)
 * @param uploadSigma     standard deviation of the natural log of a leecher's upload capacity
 * @param uploadMin       leecher upload capacities are clamped to at least this (bytes per second)
 * @param uploadMax       and at most this
 * @param connections     most connections a peer keeps (K); a peer with fewer than K / 2 looks for more
 * @param uploadSlots     regular upload slots a choker is given ({@code ChokeDecision.uploadSlots()})
 * @param arrivalSpread   leechers arrive uniformly at random in [0, arrivalSpread] seconds; 0 = all at t = 0
 * @param linger          seconds a finished leecher stays as a seed; 0 = it leaves at once
 * @param sampleInterval  seconds between two samples of the time series
 * @param maxSeconds      the run stops at this virtual time even if leechers are unfinished
 */
public record LabConfig(String picker, String choker, String seedChoker, int peers, int pieces, int pieceLength,
        long seed, double freeRiders, long seedUpload, long uploadMedian, double uploadSigma, long uploadMin,
        long uploadMax, int connections, int uploadSlots, double arrivalSpread, double linger,
        double sampleInterval, double maxSeconds) {

    /** Size of a block, the unit of requests and transfers. */
    public static final int BLOCK_SIZE = 16 * 1024;
    public static final int MAX_PEERS = 5_000;
    public static final int MAX_PIECES = 1_000_000;
    public static final int MAX_PIECE_LENGTH = 16 * 1024 * 1024;
    /** Most connections per peer (request counts per block are kept in a byte). */
    public static final int MAX_CONNECTIONS = 100;
    /** Bound on block bookkeeping, (peers + 1) x pieces x blocks per piece, about 1.2 bytes each. */
    public static final long MAX_BLOCK_STATES = 1L << 28;
    /** Bound on the length of the time series. */
    public static final long MAX_SAMPLES = 1_000_000;

    public LabConfig {
        Objects.requireNonNull(picker, "picker");
        Objects.requireNonNull(choker, "choker");
        Objects.requireNonNull(seedChoker, "seedChoker");
        check(!picker.isBlank() && !choker.isBlank() && !seedChoker.isBlank(), "strategy names must not be blank");
        check(peers >= 1 && peers <= MAX_PEERS, "peers must be 1 to " + MAX_PEERS + ": " + peers);
        check(pieces >= 1 && pieces <= MAX_PIECES, "pieces must be 1 to " + MAX_PIECES + ": " + pieces);
        check(pieceLength >= 1 && pieceLength <= MAX_PIECE_LENGTH,
                "piece length must be 1 byte to 16 MiB: " + pieceLength);
        long blocks = (long) (peers + 1) * pieces * ((pieceLength + BLOCK_SIZE - 1) / BLOCK_SIZE);
        check(blocks <= MAX_BLOCK_STATES, "(peers + 1) x pieces x blocks per piece must be at most "
                + MAX_BLOCK_STATES + ": " + blocks + " (use fewer peers, pieces or shorter pieces)");
        check(freeRiders >= 0 && freeRiders <= 1, "free riders must be a fraction from 0 to 1: " + freeRiders);
        check(seedUpload >= 1, "seed upload must be at least 1 byte/s: " + seedUpload);
        check(uploadMin >= 1 && uploadMin <= uploadMax,
                "upload capacity bounds must be 1 <= min <= max: " + uploadMin + ", " + uploadMax);
        check(uploadMedian >= uploadMin && uploadMedian <= uploadMax,
                "median upload must lie within [min, max]: " + uploadMedian);
        check(uploadSigma >= 0 && uploadSigma <= 5, "upload sigma must be 0 to 5: " + uploadSigma);
        check(connections >= 1 && connections <= MAX_CONNECTIONS,
                "connections must be 1 to " + MAX_CONNECTIONS + ": " + connections);
        check(uploadSlots >= -1 && uploadSlots <= 1000, "upload slots must be -1 (no limit) to 1000: " + uploadSlots);
        check(arrivalSpread >= 0 && arrivalSpread <= 1e7, "arrival spread must be 0 to 10^7 s: " + arrivalSpread);
        check(linger >= 0 && linger <= 1e7, "linger must be 0 to 10^7 s: " + linger);
        check(maxSeconds > 0 && maxSeconds <= 1e8, "max time must be above 0 and at most 10^8 s: " + maxSeconds);
        check(sampleInterval >= 0.1 && maxSeconds / sampleInterval <= MAX_SAMPLES,
                "sample interval must be at least 0.1 s and give at most " + MAX_SAMPLES + " samples: "
                        + sampleInterval);
    }

    private static void check(boolean ok, String message) {
        if (!ok) {
            throw new IllegalArgumentException(message);
        }
    }

    /**
     * The defaults: rarest-first, tit-for-tat and round-robin; 50 leechers and a seed; 200 pieces of 256 KiB;
     * seed 1; no free riders; a 128 KiB/s seed; leechers log-normal with median 64 KiB/s and sigma 1.0, clamped to
     * 8 KiB/s - 4 MiB/s; 40 connections; 4 upload slots; everyone at t = 0; finished leechers leave at once;
     * a sample every 5 s; at most 24 h of virtual time.
     */
    public static LabConfig defaults() {
        return new LabConfig("rarest-first", "tit-for-tat", "round-robin", 50, 200, 256 * 1024, 1, 0,
                128 * 1024, 64 * 1024, 1.0, 8 * 1024, 4 * 1024 * 1024, 40, 4, 0, 0, 5, 24 * 3600);
    }

    public LabConfig withStrategies(String picker, String choker, String seedChoker) {
        return new LabConfig(picker, choker, seedChoker, peers, pieces, pieceLength, seed, freeRiders, seedUpload,
                uploadMedian, uploadSigma, uploadMin, uploadMax, connections, uploadSlots, arrivalSpread, linger,
                sampleInterval, maxSeconds);
    }

    public LabConfig withSwarm(int peers, int pieces, int pieceLength) {
        return new LabConfig(picker, choker, seedChoker, peers, pieces, pieceLength, seed, freeRiders, seedUpload,
                uploadMedian, uploadSigma, uploadMin, uploadMax, connections, uploadSlots, arrivalSpread, linger,
                sampleInterval, maxSeconds);
    }

    public LabConfig withSeed(long seed) {
        return new LabConfig(picker, choker, seedChoker, peers, pieces, pieceLength, seed, freeRiders, seedUpload,
                uploadMedian, uploadSigma, uploadMin, uploadMax, connections, uploadSlots, arrivalSpread, linger,
                sampleInterval, maxSeconds);
    }

    public LabConfig withFreeRiders(double fraction) {
        return new LabConfig(picker, choker, seedChoker, peers, pieces, pieceLength, seed, fraction, seedUpload,
                uploadMedian, uploadSigma, uploadMin, uploadMax, connections, uploadSlots, arrivalSpread, linger,
                sampleInterval, maxSeconds);
    }

    /** Upload capacities: the seed's, and the log-normal of the leechers (median, sigma, clamped to min-max). */
    public LabConfig withUpload(long seedUpload, long median, double sigma, long min, long max) {
        return new LabConfig(picker, choker, seedChoker, peers, pieces, pieceLength, seed, freeRiders, seedUpload,
                median, sigma, min, max, connections, uploadSlots, arrivalSpread, linger, sampleInterval,
                maxSeconds);
    }

    public LabConfig withConnections(int connections, int uploadSlots) {
        return new LabConfig(picker, choker, seedChoker, peers, pieces, pieceLength, seed, freeRiders, seedUpload,
                uploadMedian, uploadSigma, uploadMin, uploadMax, connections, uploadSlots, arrivalSpread, linger,
                sampleInterval, maxSeconds);
    }

    /** Times in virtual seconds: arrival spread, linger after finishing, sample interval, end of the run. */
    public LabConfig withTimes(double arrivalSpread, double linger, double sampleInterval, double maxSeconds) {
        return new LabConfig(picker, choker, seedChoker, peers, pieces, pieceLength, seed, freeRiders, seedUpload,
                uploadMedian, uploadSigma, uploadMin, uploadMax, connections, uploadSlots, arrivalSpread, linger,
                sampleInterval, maxSeconds);
    }

    /** Blocks per piece. */
    public int blocksPerPiece() {
        return (pieceLength + BLOCK_SIZE - 1) / BLOCK_SIZE;
    }

    /** How many leechers are free riders: {@code round(freeRiders x peers)}. */
    public int freeRiderCount() {
        return (int) Math.round(freeRiders * peers);
    }
}
