package org.stampede.lab;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

import javax.imageio.ImageIO;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The CSV files, the summary and the PNG plots of a run. */
class LabReportTest {
    private static final LabResult RESULT = Scenarios.run(Scenarios.small(11).withFreeRiders(0.2));

    @Test
    void csvFilesHaveAHeaderAndOneRowPerPeerAndPerSample(@TempDir Path dir) throws Exception {
        List<Path> files = LabReport.writeCsv(RESULT, dir);
        assertEquals(List.of(dir.resolve("peers.csv"), dir.resolve("swarm.csv"), dir.resolve("summary.txt")), files);
        List<String> peers = Files.readAllLines(dir.resolve("peers.csv"), StandardCharsets.US_ASCII);
        assertEquals("peer,class,upload_capacity_bytes_per_s,arrival_s,completion_s,download_s,uploaded_bytes,"
                + "downloaded_bytes", peers.get(0));
        assertEquals(1 + RESULT.peers().size(), peers.size());
        assertTrue(peers.get(1).startsWith("0,seed,131072,0.000000,0.000000,0.000000,"), peers.get(1));
        List<String> swarm = Files.readAllLines(dir.resolve("swarm.csv"), StandardCharsets.US_ASCII);
        assertEquals("time_s,leechers,present,rarest_copies,distinct_pieces", swarm.get(0));
        assertEquals(1 + RESULT.samples().size(), swarm.size());
        assertEquals("0.000000,20,20,0,0", swarm.get(1));
    }

    @Test
    void anUnfinishedPeerHasNaNAsItsCompletionTime() {
        LabResult r = Scenarios.run(Scenarios.small(11).withTimes(0, 0, 1, 5));
        String row = LabReport.peersCsv(r).lines().skip(2).findFirst().orElseThrow();
        assertTrue(row.matches("1,(normal|free-rider),\\d+,0\\.000000,NaN,NaN,\\d+,\\d+"), row);
    }

    @Test
    void theThreePlotsAreWrittenAsReadablePngs(@TempDir Path dir) throws Exception {
        List<Path> files = LabReport.writePlots(RESULT, dir);
        assertEquals(List.of(dir.resolve("completion-cdf.png"), dir.resolve("rarest-copies.png"),
                dir.resolve("upload-download.png")), files);
        int[][] sizes = { { 900, 540 }, { 900, 1080 }, { 900, 540 } };
        for (int i = 0; i < files.size(); i++) {
            BufferedImage image = ImageIO.read(files.get(i).toFile());
            assertNotNull(image, files.get(i) + " is a PNG");
            assertEquals(sizes[i][0], image.getWidth());
            assertEquals(sizes[i][1], image.getHeight());
            assertTrue(colours(image) > 3, files.get(i) + " has something drawn on it");
        }
    }

    @Test
    void theSummaryNamesTheStrategiesAndCountsTheFinishers() {
        String s = LabReport.summary(RESULT);
        assertTrue(s.startsWith("20 leechers (4 free riders) and one seed of 128 KiB/s shared 40 pieces of 64 KiB"
                + " with picker rarest-first, choker tit-for-tat and seed choker round-robin (seed 11)."), s);
        assertTrue(s.contains("Normal leechers: 16 of 16 finished"), s);
        assertTrue(s.contains("Free-riding leechers: 4 of 4 finished"), s);
    }

    private static int colours(BufferedImage image) {
        Set<Integer> seen = new TreeSet<>();
        for (int y = 0; y < image.getHeight(); y += 3) {
            for (int x = 0; x < image.getWidth(); x += 3) {
                seen.add(image.getRGB(x, y));
            }
        }
        return seen.size();
    }
}
