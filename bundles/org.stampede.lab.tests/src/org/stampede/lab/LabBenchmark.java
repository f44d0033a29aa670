package org.stampede.lab;

import java.util.Locale;

import org.stampede.api.ChokerFactory;
import org.stampede.api.PiecePickerFactory;
import org.stampede.api.StrategyKind;

/**
 * Times one lab run (not a test). With {@code --real} it runs the real default strategies, loaded by class name
 * from a flat classpath that holds the classes of the strategy bundles (outside OSGi, where their packages are not
 * exported); otherwise the fixtures of {@link FixtureStrategies}.
 * <p>
 * {@code java -cp <api>:<lab>:<lab tests>[:<picker.rarest>:<choker.titfortat>:<choker.seed>]
 * org.stampede.lab.LabBenchmark [PEERS PIECES [SEED]] [--real]}
 */
public final class LabBenchmark {
    private LabBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        boolean real = false;
        int[] numbers = { 200, 1000, 1 };
        int n = 0;
        for (String a : args) {
            if (a.equals("--real")) {
                real = true;
            } else if (n < numbers.length) {
                numbers[n++] = Integer.parseInt(a);
            }
        }
        LabConfig config = LabConfig.defaults().withSwarm(numbers[0], numbers[1], 256 * 1024).withSeed(numbers[2]);
        StrategySource source = real ? realStrategies() : new FixtureStrategies(config.seed());
        long t0 = System.nanoTime();
        LabResult r = Lab.run(config, source);
        double seconds = (System.nanoTime() - t0) / 1e9;
        System.out.printf(Locale.ROOT, "%d peers x %d pieces (%s strategies): %.1f s wall, %d events, %.0f s virtual,"
                + " finished %s%n", config.peers(), config.pieces(), real ? "real" : "fixture", seconds, r.events(),
                r.endSeconds(), r.finished());
        System.out.println(LabReport.summary(r));
    }

    private static StrategySource realStrategies() throws ReflectiveOperationException {
        PiecePickerFactory picker = (PiecePickerFactory) create("org.stampede.picker.rarest.RarestFirstPickerFactory");
        ChokerFactory choker = (ChokerFactory) create("org.stampede.choker.titfortat.TitForTatChokerFactory");
        ChokerFactory seed = (ChokerFactory) create("org.stampede.choker.seed.RoundRobinChokerFactory");
        return new StrategySource() {
            @Override
            public PiecePickerFactory picker(String name) {
                return "rarest-first".equals(name) ? picker : null;
            }

            @Override
            public ChokerFactory choker(String kind, String name) {
                if (StrategyKind.CHOKER.equals(kind) && "tit-for-tat".equals(name)) {
                    return choker;
                }
                return StrategyKind.SEED_CHOKER.equals(kind) && "round-robin".equals(name) ? seed : null;
            }
        };
    }

    private static Object create(String className) throws ReflectiveOperationException {
        return Class.forName(className).getConstructor().newInstance();
    }
}
