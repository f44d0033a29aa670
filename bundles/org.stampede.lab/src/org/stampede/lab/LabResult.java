package org.stampede.lab;

import java.util.List;
import java.util.Objects;

/**
 * What a run of the lab produced. Plain values only (records and lists), so two results compare with
 * {@link #equals}: the same configuration and deterministic strategies give equal results.
 *
 * @param config      the configuration of the run
 * @param peers       one row per peer, the seed first (index 0), then the leechers in index order
 * @param samples     the swarm over time, one sample every {@link LabConfig#sampleInterval()} and one at the end
 * @param strategies  which strategies decided, and how often
 * @param endSeconds  virtual time at which the run ended
 * @param finished    whether every leecher finished before {@link LabConfig#maxSeconds()}
 * @param events      events processed (a measure of the work done)
 */
public record LabResult(LabConfig config, List<PeerRow> peers, List<Sample> samples, List<StrategyUse> strategies,
        double endSeconds, boolean finished, long events) {

    public LabResult {
        Objects.requireNonNull(config, "config");
        peers = List.copyOf(peers);
        samples = List.copyOf(samples);
        strategies = List.copyOf(strategies);
    }

    /** What a peer is. */
    public enum PeerClass {
        /** The initial seed: has every piece from the start and never leaves. */
        SEED,
        /** A leecher that uploads as its choker decides. */
        NORMAL,
        /** A leecher that never uploads. */
        FREE_RIDER;

        /** The name used in CSV files and plots: seed, normal, free-rider. */
        public String label() {
            return switch (this) {
                case SEED -> "seed";
                case NORMAL -> "normal";
                case FREE_RIDER -> "free-rider";
            };
        }
    }

    /**
     * One peer.
     *
     * @param index             0 for the seed, 1 to N for the leechers
     * @param peerClass         seed, normal or free rider
     * @param uploadCapacity    bytes per second it can upload (a free rider's is drawn but never used)
     * @param arrivalSeconds    when it joined
     * @param completionSeconds when it had every piece, in virtual seconds since t = 0 (not since its arrival);
     *                          0 for the seed; NaN if it never finished
     * @param uploaded          payload bytes it sent
     * @param downloaded        payload bytes it received, duplicates (endgame) included
     */
    public record PeerRow(int index, PeerClass peerClass, long uploadCapacity, double arrivalSeconds,
            double completionSeconds, long uploaded, long downloaded) {

        public boolean completed() {
            return !Double.isNaN(completionSeconds);
        }

        /** Seconds from arrival to completion, or NaN. */
        public double downloadSeconds() {
            return completionSeconds - arrivalSeconds;
        }
    }

    /**
     * The swarm at one moment. The initial seed is left out of the piece counts: it always holds every piece, so
     * counting it would only add one everywhere.
     *
     * @param seconds        virtual time
     * @param leechers       leechers present and not finished
     * @param present        peers present other than the initial seed (finished leechers that linger count)
     * @param rarestCopies   copies of the rarest piece among the present peers other than the initial seed
     * @param distinctPieces pieces held by at least one present peer other than the initial seed
     */
    public record Sample(double seconds, int leechers, int present, int rarestCopies, int distinctPieces) {
    }

    /**
     * One strategy as used in the run.
     *
     * @param kind      {@code picker}, {@code choker} or {@code seed-choker}
     * @param name      its name
     * @param origin    where it came from, as the {@link StrategySource} told (e.g. a bundle and its version)
     * @param instances how many instances its factory made (one per peer that needed it)
     * @param decisions picker: calls that requested at least one block; choker: rechokes
     */
    public record StrategyUse(String kind, String name, String origin, int instances, long decisions) {
    }

    /** The leechers of a class that finished. */
    public long completed(PeerClass c) {
        return peers.stream().filter(p -> p.peerClass() == c && p.completed()).count();
    }

    /** How many peers are of a class. */
    public long count(PeerClass c) {
        return peers.stream().filter(p -> p.peerClass() == c).count();
    }

    /** Mean seconds from arrival to completion of the finished peers of a class, or NaN if none finished. */
    public double meanDownloadSeconds(PeerClass c) {
        return peers.stream().filter(p -> p.peerClass() == c && p.completed())
                .mapToDouble(PeerRow::downloadSeconds).average().orElse(Double.NaN);
    }

    /** Total bytes downloaded by the peers of a class. */
    public long downloaded(PeerClass c) {
        return peers.stream().filter(p -> p.peerClass() == c).mapToLong(PeerRow::downloaded).sum();
    }

    /**
     * The time average of the copies of the rarest piece among the leechers, over the samples taken while at least
     * one leecher was downloading (samples are evenly spaced, so this is their mean), or NaN when there is none.
     */
    public double meanRarestCopies() {
        return samples.stream().filter(s -> s.leechers() > 0).mapToInt(Sample::rarestCopies).average()
                .orElse(Double.NaN);
    }

    /** The time average of the number of distinct pieces among the leechers, over the same samples. */
    public double meanDistinctPieces() {
        return samples.stream().filter(s -> s.leechers() > 0).mapToInt(Sample::distinctPieces).average()
                .orElse(Double.NaN);
    }
}
