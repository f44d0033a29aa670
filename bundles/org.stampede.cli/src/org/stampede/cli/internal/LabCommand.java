package org.stampede.cli.internal;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.TreeSet;
import java.util.concurrent.Callable;

import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.Filter;
import org.osgi.framework.FrameworkUtil;
import org.osgi.framework.InvalidSyntaxException;
import org.osgi.framework.ServiceReference;
import org.osgi.util.tracker.ServiceTracker;
import org.stampede.api.ChokerFactory;
import org.stampede.api.PiecePickerFactory;
import org.stampede.api.StrategyKind;
import org.stampede.api.StrategyName;
import org.stampede.lab.Lab;
import org.stampede.lab.LabConfig;
import org.stampede.lab.LabReport;
import org.stampede.lab.LabResult;
import org.stampede.lab.StrategySource;

import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

/**
 * {@code stampede lab}: the strategy lab. Simulates a swarm in virtual time in which the installed strategy
 * services (found by kind and name, as the engine finds them) decide for every simulated peer, then writes CSV
 * files, a summary and PNG plots, and prints a one-paragraph summary.
 */
@Command(name = "lab", mixinStandardHelpOptions = true,
        description = "Simulate a swarm in virtual time, the installed strategies deciding for every peer, and write"
                + " CSV files and PNG plots. The same options and --seed give the same swarm; the strategies' own"
                + " random choices are theirs (one with an unseeded random source varies between runs).")
final class LabCommand implements Callable<Integer> {
    /** How long to wait for Declarative Services to register the first strategy of a kind. */
    private static final long FIRST_SERVICE_MILLIS = 10_000;
    /** How long to wait for a named strategy once others of its kind are there. */
    private static final long NAMED_SERVICE_MILLIS = 2_000;

    @ParentCommand
    StampedeCommand parent;

    @Option(names = "--picker", paramLabel = "ID",
            description = "Piece picker of every leecher (default: ${DEFAULT-VALUE}).")
    String picker = "rarest-first";

    @Option(names = "--choker", paramLabel = "ID",
            description = "Choker of every uploading leecher (default: ${DEFAULT-VALUE}).")
    String choker = "tit-for-tat";

    @Option(names = "--seed-choker", paramLabel = "ID",
            description = "Choker of the seed and of finished leechers that linger (default: ${DEFAULT-VALUE}).")
    String seedChoker = "round-robin";

    @Option(names = "--peers", paramLabel = "N",
            description = "Leechers; the swarm has one seed more (default: ${DEFAULT-VALUE}).")
    int peers = 50;

    @Option(names = "--pieces", paramLabel = "N", description = "Pieces (default: ${DEFAULT-VALUE}).")
    int pieces = 200;

    @Option(names = "--piece-length", paramLabel = "BYTES", description = "Piece length (default: ${DEFAULT-VALUE}).")
    String pieceLength = "256K";

    @Option(names = "--seed", paramLabel = "S",
            description = "Seed of the lab's random choices (default: ${DEFAULT-VALUE}).")
    long seed = 1;

    @Option(names = "--free-riders", paramLabel = "F",
            description = "Fraction of the leechers that never upload, 0 to 1 (default: ${DEFAULT-VALUE}).")
    double freeRiders = 0;

    @Option(names = "--seed-upload", paramLabel = "BYTES/S",
            description = "The seed's upload capacity (default: ${DEFAULT-VALUE}).")
    String seedUpload = "128K";

    @Option(names = "--upload-median", paramLabel = "BYTES/S",
            description = "Median upload capacity of the leechers, log-normal (default: ${DEFAULT-VALUE}).")
    String uploadMedian = "64K";

    @Option(names = "--upload-sigma", paramLabel = "SIGMA",
            description = "Sigma of the log of the leechers' upload capacity (default: ${DEFAULT-VALUE}).")
    double uploadSigma = 1.0;

    @Option(names = "--connections", paramLabel = "K",
            description = "Most connections per peer (default: ${DEFAULT-VALUE}).")
    int connections = 40;

    @Option(names = "--slots", paramLabel = "N",
            description = "Regular upload slots, -1 for no limit (default: ${DEFAULT-VALUE}).")
    int slots = 4;

    @Option(names = "--arrival-spread", paramLabel = "SECONDS",
            description = "Leechers arrive at random over this long (default: ${DEFAULT-VALUE}: all at once).")
    double arrivalSpread = 0;

    @Option(names = "--linger", paramLabel = "SECONDS",
            description = "Finished leechers seed this long, then leave (default: ${DEFAULT-VALUE}: leave at once).")
    double linger = 0;

    @Option(names = "--max-time", paramLabel = "SECONDS",
            description = "Stop after this much virtual time (default: ${DEFAULT-VALUE}).")
    double maxTime = 86_400;

    @Option(names = { "-o", "--output" }, paramLabel = "DIR",
            description = "Where the CSV files and plots go (default: ${DEFAULT-VALUE}).")
    Path output = Path.of("stampede-lab");

    @Override
    public Integer call() throws Exception {
        LabConfig config;
        try {
            LabConfig d = LabConfig.defaults();
            long length = Units.parseSize(pieceLength);
            if (length > Integer.MAX_VALUE) {
                throw new BadInputException("--piece-length must be at most 16 MiB");
            }
            long median = Units.parseSize(uploadMedian);
            if (median < 1) {
                throw new BadInputException("--upload-median must be at least 1 byte/s");
            }
            config = new LabConfig(picker, choker, seedChoker, peers, pieces, (int) length, seed, freeRiders,
                    Units.parseSize(seedUpload), median, uploadSigma, Math.min(d.uploadMin(), median),
                    Math.max(d.uploadMax(), median), connections, slots, arrivalSpread, linger, d.sampleInterval(),
                    maxTime);
        } catch (IllegalArgumentException e) {
            throw new BadInputException(e.getMessage());
        }
        try (OsgiStrategies strategies = new OsgiStrategies()) {
            strategies.require(StrategyKind.PICKER, picker);
            strategies.require(StrategyKind.CHOKER, choker);
            strategies.require(StrategyKind.SEED_CHOKER, seedChoker);
            parent.err.printf(Locale.ROOT, "lab: %d leechers and a seed, %d pieces; picker %s, choker %s, seed choker"
                    + " %s; seed %d%n", peers, pieces, picker, choker, seedChoker, seed);
            Progress progress = new Progress(ProgressBar.stderrIsTerminal());
            long start = System.nanoTime();
            LabResult result;
            try {
                result = Lab.run(config, strategies, progress);
            } catch (IllegalStateException e) { // a strategy failed: say which, where and when
                progress.end();
                if ("1".equals(System.getenv("STAMPEDE_DEBUG"))) {
                    e.printStackTrace(parent.err);
                }
                parent.err.println("error: " + Cli.oneLine(e.getMessage()));
                return Cli.FAILURE;
            }
            progress.end();
            double wall = (System.nanoTime() - start) / 1e9;
            List<Path> files = new ArrayList<>(LabReport.writeCsv(result, output));
            files.addAll(LabReport.writePlots(result, output));
            parent.out.printf(Locale.ROOT, "lab: %.1f s of virtual time in %.1f s; wrote%n", result.endSeconds(), wall);
            for (Path f : files) {
                parent.out.println("  " + f);
            }
            parent.out.println(LabReport.summary(result));
            return Cli.OK;
        }
    }

    /** A progress line on stderr: redrawn on a terminal (at most ten times a second), else every 5 s. */
    private final class Progress implements Lab.Progress {
        private final boolean terminal;
        private long lastDraw = System.nanoTime();
        private boolean drawn;

        Progress(boolean terminal) {
            this.terminal = terminal;
        }

        @Override
        public void update(double virtualSeconds, int finished, int leechers) {
            long now = System.nanoTime();
            if (now - lastDraw < (terminal ? 100_000_000L : 5_000_000_000L)) {
                return;
            }
            lastDraw = now;
            drawn = true;
            String line = String.format(Locale.ROOT, "lab: %s of virtual time, %d of %d leechers finished",
                    Units.duration((long) virtualSeconds), finished, leechers);
            if (terminal) {
                parent.err.print("\r" + line + "\u001b[K");
            } else {
                parent.err.println(line);
            }
            parent.err.flush();
        }

        void end() {
            if (terminal && drawn) {
                parent.err.println();
            }
        }
    }

    /**
     * The strategy services of this framework by kind and name, chosen as the engine chooses them: a picker is any
     * {@link PiecePickerFactory}, a choker a {@link ChokerFactory} of kind {@code choker} (or of no kind), a seed
     * choker one of kind {@code seed-choker}; the highest-ranked service wins a name.
     */
    private static final class OsgiStrategies implements StrategySource, AutoCloseable {
        private final BundleContext context;
        private final List<ServiceTracker<?, ?>> trackers = new ArrayList<>();
        private final List<Found> found = new ArrayList<>();

        private record Found(String kind, String name, Object factory, String origin) {
        }

        OsgiStrategies() {
            Bundle bundle = FrameworkUtil.getBundle(LabCommand.class);
            this.context = bundle == null ? null : bundle.getBundleContext();
            if (context == null) {
                throw new IllegalStateException("not running in an OSGi framework: no strategy services");
            }
        }

        /** Finds the strategy, waiting for Declarative Services if need be; a missing one is bad input. */
        void require(String kind, String name) throws Exception {
            Class<?> type = StrategyKind.PICKER.equals(kind) ? PiecePickerFactory.class : ChokerFactory.class;
            ServiceTracker<Object, Object> anyOfKind = track(type, kindFilter(kind));
            long wait = anyOfKind.isEmpty() ? FIRST_SERVICE_MILLIS : NAMED_SERVICE_MILLIS;
            anyOfKind.waitForService(wait);
            ServiceTracker<Object, Object> named = track(type,
                    "(&" + kindFilter(kind) + "(" + StrategyName.NAME + "=" + escape(name) + "))");
            Object factory = named.waitForService(anyOfKind.isEmpty() ? 1 : NAMED_SERVICE_MILLIS);
            ServiceReference<Object> ref = named.getServiceReference(); // the highest ranked
            if (factory == null || ref == null) {
                TreeSet<String> installed = new TreeSet<>();
                ServiceReference<Object>[] refs = anyOfKind.getServiceReferences();
                if (refs != null) {
                    for (ServiceReference<Object> r : refs) {
                        installed.add(String.valueOf(r.getProperty(StrategyName.NAME)));
                    }
                }
                throw new BadInputException("no " + kind + " named '" + name + "' is installed (installed: "
                        + (installed.isEmpty() ? "none" : String.join(", ", installed)) + ")");
            }
            Bundle b = ref.getBundle();
            String origin = b == null ? "" : b.getSymbolicName() + " " + b.getVersion();
            found.add(new Found(kind, name, factory, origin));
        }

        private ServiceTracker<Object, Object> track(Class<?> type, String filter) throws InvalidSyntaxException {
            Filter f = context.createFilter("(&(objectClass=" + type.getName() + ")" + filter + ")");
            ServiceTracker<Object, Object> t = new ServiceTracker<>(context, f, null);
            t.open();
            trackers.add(t);
            return t;
        }

        private static String kindFilter(String kind) {
            return switch (kind) {
                case StrategyKind.PICKER -> "(|(" + StrategyKind.NAME + "=" + StrategyKind.PICKER + ")(!("
                        + StrategyKind.NAME + "=*)))";
                case StrategyKind.CHOKER -> "(|(" + StrategyKind.NAME + "=" + StrategyKind.CHOKER + ")(!("
                        + StrategyKind.NAME + "=*)))";
                default -> "(" + StrategyKind.NAME + "=" + escape(kind) + ")";
            };
        }

        /** Escapes the characters an OSGi filter value may not hold as they are (\\, *, parentheses). */
        static String escape(String value) {
            StringBuilder sb = new StringBuilder(value.length());
            for (char c : value.toCharArray()) {
                if (c == '\\' || c == '*' || c == '(' || c == ')') {
                    sb.append('\\');
                }
                sb.append(c);
            }
            return sb.toString();
        }

        private Found get(String kind, String name) {
            for (Found f : found) {
                if (f.kind().equals(kind) && f.name().equals(name)) {
                    return f;
                }
            }
            return null;
        }

        @Override
        public PiecePickerFactory picker(String name) {
            Found f = get(StrategyKind.PICKER, name);
            return f == null ? null : (PiecePickerFactory) f.factory();
        }

        @Override
        public ChokerFactory choker(String kind, String name) {
            Found f = get(kind, name);
            return f == null ? null : (ChokerFactory) f.factory();
        }

        @Override
        public String origin(String kind, String name) {
            Found f = get(kind, name);
            return f == null ? "" : f.origin();
        }

        @Override
        public void close() {
            trackers.forEach(ServiceTracker::close);
        }
    }
}
