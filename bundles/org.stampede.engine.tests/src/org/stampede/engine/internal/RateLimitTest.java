package org.stampede.engine.internal;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import java.util.function.ToLongFunction;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.stampede.engine.AddOptions;
import org.stampede.engine.EngineSettings;
import org.stampede.engine.TorrentHandle;
import org.stampede.engine.TorrentStatus;

/**
 * Upload and download limits, per engine and per torrent, on a 2 MiB transfer between two engines limited to
 * 256 KiB/s: the limited side's own rate meter, sampled through the transfer, and its average (bytes over elapsed
 * time) stay within 1.5 times the limit. Only upper bounds on rates are asserted, which a slow machine cannot break.
 */
@Timeout(value = 120, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class RateLimitTest {
    private static final long LIMIT = 256 * 1024;
    private static final long SIZE = 2 * 1024 * 1024;
    private static final double SLACK = 1.5;

    @TempDir
    Path dir;
    private Swarm swarm;

    @AfterEach
    void close() {
        if (swarm != null) {
            swarm.close();
        }
    }

    private static EngineSettings loopback() {
        return Swarm.settings(InetAddress.getLoopbackAddress());
    }

    /** What one transfer measured on its limited side. */
    private record Measured(long bytes, double seconds, long peakMeterRate) {
        double average() {
            return bytes / seconds;
        }

        @Override
        public String toString() {
            return String.format("%d bytes in %.2f s = %.0f B/s on average, meter peak %d B/s (limit %d B/s)", bytes,
                    seconds, average(), peakMeterRate, LIMIT);
        }
    }

    /**
     * Transfers the torrent from a seeder to a new downloader and samples the limited side's meter every 100 ms.
     *
     * @param uploadSide whether the limited side is the seeder (else the downloader)
     */
    private Measured transfer(EngineSettings seederSettings, AddOptions seedOptions, EngineSettings leecherSettings,
            AddOptions leechOptions, boolean uploadSide) throws Exception {
        swarm = Swarm.seeding(dir, SIZE, 256 * 1024, seederSettings, seedOptions);
        EngineImpl leecher = swarm.newEngine(leecherSettings);
        TorrentHandle leech = swarm.addEmpty(leecher, leechOptions);
        TorrentHandle limited = uploadSide ? swarm.seed : leech;
        ToLongFunction<TorrentStatus> rate = uploadSide ? TorrentStatus::uploadRate : TorrentStatus::downloadRate;
        ToLongFunction<TorrentStatus> total = uploadSide ? TorrentStatus::uploaded : TorrentStatus::downloaded;
        long peak = 0;
        long start = System.nanoTime();
        leech.connect(swarm.seederAddress());
        long deadline = start + TimeUnit.SECONDS.toNanos(90);
        while (!leech.completion().isDone()) {
            assertTrue(System.nanoTime() < deadline, () -> "not complete in 90 s: " + leech.status());
            peak = Math.max(peak, rate.applyAsLong(limited.status()));
            Thread.sleep(100);
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        swarm.assertComplete(leech, 1);
        return new Measured(total.applyAsLong(limited.status()), seconds, peak);
    }

    private static void assertWithinLimit(Measured m) {
        assertTrue(m.bytes() >= SIZE, m::toString);
        assertTrue(m.average() <= SLACK * LIMIT, () -> "average over the limit: " + m);
        assertTrue(m.peakMeterRate() <= SLACK * LIMIT, () -> "meter over the limit: " + m);
    }

    @Test
    void anUploadLimitBelowOneBlockStillUploadsWithinTheLimit() throws Exception {
        // 8 KiB/s is less than one 16 KiB block per second: blocks must still go, one every 2 s
        long limit = 8 * 1024;
        long size = 3 * 16 * 1024;
        swarm = Swarm.seeding(dir, size, 16 * 1024, loopback(), AddOptions.defaults().withLimits(0, limit));
        EngineImpl leecher = swarm.newEngine(loopback());
        TorrentHandle leech = swarm.addEmpty(leecher, AddOptions.defaults());
        long start = System.nanoTime();
        leech.connect(swarm.seederAddress());
        swarm.assertComplete(leech, 60);
        double seconds = (System.nanoTime() - start) / 1e9;
        long sent = swarm.seed.status().uploaded();
        assertTrue(sent / seconds <= SLACK * limit, () -> sent + " bytes in " + seconds + " s with a limit of "
                + limit + " B/s");
    }

    @Test
    void anEngineUploadLimitHoldsTheSeedersRate() throws Exception {
        assertWithinLimit(transfer(loopback().withLimits(0, LIMIT), AddOptions.defaults(), loopback(),
                AddOptions.defaults(), true));
    }

    @Test
    void aTorrentUploadLimitHoldsTheSeedersRate() throws Exception {
        assertWithinLimit(transfer(loopback(), AddOptions.defaults().withLimits(0, LIMIT), loopback(),
                AddOptions.defaults(), true));
    }

    @Test
    void anEngineDownloadLimitHoldsTheDownloadersRate() throws Exception {
        assertWithinLimit(transfer(loopback(), AddOptions.defaults(), loopback().withLimits(LIMIT, 0),
                AddOptions.defaults(), false));
    }

    @Test
    void aTorrentDownloadLimitHoldsTheDownloadersRate() throws Exception {
        assertWithinLimit(transfer(loopback(), AddOptions.defaults(), loopback(),
                AddOptions.defaults().withLimits(LIMIT, 0), false));
    }
}
