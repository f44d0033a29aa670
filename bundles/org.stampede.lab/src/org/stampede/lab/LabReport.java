package org.stampede.lab;

import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

import javax.imageio.ImageIO;

import org.stampede.lab.LabResult.PeerClass;
import org.stampede.lab.LabResult.PeerRow;
import org.stampede.lab.LabResult.Sample;
import org.stampede.lab.LabResult.StrategyUse;
import org.stampede.lab.internal.Chart;
import org.stampede.lab.internal.Chart.Series;
import org.stampede.lab.internal.Chart.Style;

/**
 * Writes a {@link LabResult}: two CSV files (per peer, and the swarm over time), a text summary, and three PNG
 * plots drawn with Java 2D (completion-time CDF per peer class, copies of the rarest piece and distinct pieces over
 * time, upload against download per leecher). CSV text is US-ASCII with {@code \n} line ends and numbers in
 * {@link Locale#ROOT}, so equal results give equal bytes.
 */
public final class LabReport {
    public static final String PEERS_CSV = "peers.csv";
    public static final String SWARM_CSV = "swarm.csv";
    public static final String SUMMARY_TXT = "summary.txt";
    public static final String COMPLETION_PNG = "completion-cdf.png";
    public static final String RAREST_PNG = "rarest-copies.png";
    public static final String UP_DOWN_PNG = "upload-download.png";

    static final int WIDTH = 900;
    static final int HEIGHT = 540;
    private static final double MIB = 1024.0 * 1024.0;

    private LabReport() {
    }

    /** One row per peer: index, class, capacity, arrival, completion (NaN if unfinished), download time, bytes. */
    public static String peersCsv(LabResult r) {
        StringBuilder sb = new StringBuilder(
                "peer,class,upload_capacity_bytes_per_s,arrival_s,completion_s,download_s,uploaded_bytes,"
                        + "downloaded_bytes\n");
        for (PeerRow p : r.peers()) {
            sb.append(p.index()).append(',').append(p.peerClass().label()).append(',').append(p.uploadCapacity())
                    .append(',').append(seconds(p.arrivalSeconds())).append(',')
                    .append(seconds(p.completionSeconds())).append(',').append(seconds(p.downloadSeconds()))
                    .append(',').append(p.uploaded()).append(',').append(p.downloaded()).append('\n');
        }
        return sb.toString();
    }

    /** One row per sample: time, leechers present, peers present, copies of the rarest piece, distinct pieces. */
    public static String swarmCsv(LabResult r) {
        StringBuilder sb = new StringBuilder("time_s,leechers,present,rarest_copies,distinct_pieces\n");
        for (Sample s : r.samples()) {
            sb.append(seconds(s.seconds())).append(',').append(s.leechers()).append(',').append(s.present())
                    .append(',').append(s.rarestCopies()).append(',').append(s.distinctPieces()).append('\n');
        }
        return sb.toString();
    }

    private static String seconds(double s) {
        return Double.isNaN(s) ? "NaN" : String.format(Locale.ROOT, "%.6f", s);
    }

    /** Writes {@value #PEERS_CSV}, {@value #SWARM_CSV} and {@value #SUMMARY_TXT} into {@code dir} (made if need be). */
    public static List<Path> writeCsv(LabResult r, Path dir) throws IOException {
        Files.createDirectories(dir);
        Path peers = Files.writeString(dir.resolve(PEERS_CSV), peersCsv(r), StandardCharsets.US_ASCII);
        Path swarm = Files.writeString(dir.resolve(SWARM_CSV), swarmCsv(r), StandardCharsets.US_ASCII);
        Path summary = Files.writeString(dir.resolve(SUMMARY_TXT), configText(r) + "\n" + summary(r) + "\n",
                StandardCharsets.UTF_8);
        return List.of(peers, swarm, summary);
    }

    /** The configuration and strategies as lines of {@code key: value}. */
    public static String configText(LabResult r) {
        LabConfig c = r.config();
        StringBuilder sb = new StringBuilder();
        sb.append("config: ").append(c).append('\n');
        for (StrategyUse s : r.strategies()) {
            sb.append(String.format(Locale.ROOT, "%s: %s%s, %d instances, %d decisions%n", s.kind(), s.name(),
                    s.origin().isEmpty() ? "" : " (" + s.origin() + ")", s.instances(), s.decisions()));
        }
        return sb.toString();
    }

    /** One paragraph on what happened. */
    public static String summary(LabResult r) {
        LabConfig c = r.config();
        StringBuilder sb = new StringBuilder();
        sb.append(String.format(Locale.ROOT,
                "%d leechers (%d free riders) and one seed of %s/s shared %d pieces of %s with picker %s, choker %s"
                        + " and seed choker %s (seed %d). ",
                c.peers(), r.count(PeerClass.FREE_RIDER), size(c.seedUpload()), c.pieces(), size(c.pieceLength()),
                c.picker(), c.choker(), c.seedChoker(), c.seed()));
        for (PeerClass pc : List.of(PeerClass.NORMAL, PeerClass.FREE_RIDER)) {
            long n = r.count(pc);
            if (n == 0) {
                continue;
            }
            double[] times = r.peers().stream().filter(p -> p.peerClass() == pc && p.completed())
                    .mapToDouble(PeerRow::downloadSeconds).sorted().toArray();
            sb.append(String.format(Locale.ROOT, "%s leechers: %d of %d finished", pc == PeerClass.NORMAL ? "Normal"
                    : "Free-riding", times.length, n));
            if (times.length > 0) {
                sb.append(String.format(Locale.ROOT, ", in %.1f s on average (median %.1f s, slowest %.1f s)",
                        Arrays.stream(times).average().orElse(0), times[times.length / 2],
                        times[times.length - 1]));
            }
            sb.append("; ");
        }
        sb.append(String.format(Locale.ROOT,
                "while leechers were downloading, the rarest piece had %.2f copies among them on average, and they held"
                        + " %.1f of the %d pieces. ",
                r.meanRarestCopies(), r.meanDistinctPieces(), c.pieces()));
        long seedUp = r.peers().get(0).uploaded();
        long total = r.peers().stream().mapToLong(PeerRow::downloaded).sum();
        sb.append(String.format(Locale.ROOT,
                "The seed uploaded %s of the %s downloaded. The run %s at %.1f s of virtual time after %d events.",
                size(seedUp), size(total), r.finished() ? "ended with every leecher done" : "stopped unfinished",
                r.endSeconds(), r.events()));
        return sb.toString();
    }

    private static String size(long bytes) {
        if (bytes < 1024) {
            return bytes + " B";
        }
        String[] units = { "KiB", "MiB", "GiB", "TiB" };
        double v = bytes / 1024.0;
        int u = 0;
        while (v >= 1024 && u < units.length - 1) {
            v /= 1024;
            u++;
        }
        return String.format(Locale.ROOT, v == Math.rint(v) ? "%.0f %s" : "%.1f %s", v, units[u]);
    }

    /**
     * Writes {@value #COMPLETION_PNG}, {@value #RAREST_PNG} and {@value #UP_DOWN_PNG} into {@code dir} (made if
     * need be). Sets {@code java.awt.headless=true} unless it is set already.
     */
    public static List<Path> writePlots(LabResult r, Path dir) throws IOException {
        if (System.getProperty("java.awt.headless") == null) {
            System.setProperty("java.awt.headless", "true");
        }
        Files.createDirectories(dir);
        List<Path> out = new ArrayList<>();
        out.add(write(dir.resolve(COMPLETION_PNG), completionChart(r)));
        out.add(write(dir.resolve(RAREST_PNG), rarestChart(r), distinctChart(r)));
        out.add(write(dir.resolve(UP_DOWN_PNG), upDownChart(r)));
        return out;
    }

    private static Chart completionChart(LabResult r) {
        Chart chart = new Chart("Completion time CDF per peer class", "seconds from arrival to completion (virtual)",
                "fraction of the class finished").yMaxAtLeast(1);
        int colour = 0;
        for (PeerClass pc : List.of(PeerClass.NORMAL, PeerClass.FREE_RIDER)) {
            long n = r.count(pc);
            if (n == 0) {
                continue;
            }
            double[] times = r.peers().stream().filter(p -> p.peerClass() == pc && p.completed())
                    .mapToDouble(PeerRow::downloadSeconds).sorted().toArray();
            double[] xs = new double[times.length + 1];
            double[] ys = new double[times.length + 1];
            for (int i = 0; i < times.length; i++) {
                xs[i + 1] = times[i];
                ys[i + 1] = (i + 1) / (double) n;
            }
            chart.add(new Series(pc.label() + " (" + times.length + "/" + n + ")", Chart.PALETTE[colour++], Style.STEP,
                    xs, ys));
        }
        return chart;
    }

    private static Chart rarestChart(LabResult r) {
        double[] t = r.samples().stream().mapToDouble(Sample::seconds).toArray();
        double[] c = r.samples().stream().mapToDouble(Sample::rarestCopies).toArray();
        LabConfig cfg = r.config();
        return new Chart("Copies of the rarest piece (" + cfg.picker() + ", " + cfg.choker() + ")",
                "virtual seconds", "copies among leechers").add(new Series("", Chart.PALETTE[0], Style.STEP, t, c));
    }

    private static Chart distinctChart(LabResult r) {
        double[] t = r.samples().stream().mapToDouble(Sample::seconds).toArray();
        double[] d = r.samples().stream().mapToDouble(Sample::distinctPieces).toArray();
        double[] l = r.samples().stream().mapToDouble(Sample::leechers).toArray();
        return new Chart("Distinct pieces among leechers, and leechers present", "virtual seconds", "count")
                .add(new Series("distinct pieces", Chart.PALETTE[2], Style.STEP, t, d))
                .add(new Series("leechers present", Chart.PALETTE[3], Style.STEP, t, l));
    }

    private static Chart upDownChart(LabResult r) {
        Chart chart = new Chart("Upload against download per leecher (the seed uploaded "
                + size(r.peers().get(0).uploaded()) + ")", "uploaded (MiB)", "downloaded (MiB)");
        double maxUp = 0;
        double maxDown = 0;
        int colour = 0;
        for (PeerClass pc : List.of(PeerClass.NORMAL, PeerClass.FREE_RIDER)) {
            double[] xs = r.peers().stream().filter(p -> p.peerClass() == pc).mapToDouble(p -> p.uploaded() / MIB)
                    .toArray();
            double[] ys = r.peers().stream().filter(p -> p.peerClass() == pc).mapToDouble(p -> p.downloaded() / MIB)
                    .toArray();
            Color color = Chart.PALETTE[colour++];
            if (xs.length == 0) {
                continue;
            }
            for (int i = 0; i < xs.length; i++) {
                maxUp = Math.max(maxUp, xs[i]);
                maxDown = Math.max(maxDown, ys[i]);
            }
            chart.add(new Series(pc.label(), color, Style.POINTS, xs, ys));
        }
        double[] diagonal = { 0, Math.max(Math.min(maxUp, maxDown), 1) };
        chart.add(new Series("upload = download", Color.GRAY, Style.DASHED, diagonal, diagonal));
        return chart;
    }

    /** Draws the charts one under the other into one PNG. */
    private static Path write(Path file, Chart... charts) throws IOException {
        BufferedImage image = new BufferedImage(WIDTH, HEIGHT * charts.length, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = image.createGraphics();
        try {
            for (int i = 0; i < charts.length; i++) {
                charts[i].draw(g, 0, i * HEIGHT, WIDTH, HEIGHT);
            }
        } finally {
            g.dispose();
        }
        if (!ImageIO.write(image, "png", file.toFile())) {
            throw new IOException("no PNG writer in this Java runtime");
        }
        return file;
    }
}
