package org.stampede.fuzz;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;

/**
 * A long fuzzing session of one target, what {@code run.sh TARGET SECONDS} starts: Jazzer fuzzes the target from its
 * corpus for the time given, collecting new inputs in {@code target/fuzz/long/<target>/new}; then libFuzzer's merge
 * adds to the corpus in the source tree those new inputs that reach code the corpus does not, and only those. A
 * finding (crash, timeout, out of memory) is written into the corpus folder itself as {@code crash-<sha1>} (or
 * {@code timeout-}, {@code oom-}, {@code slow-unit-}), so the build's regression run fails on it until it is fixed.
 * <p>
 * Arguments: the target ({@link Target#id()}), the seconds, then any further libFuzzer flags. System properties (set
 * by run.sh): {@code stampede.fuzz.module}, {@code stampede.fuzz.classpath} (the class path file),
 * {@code stampede.fuzz.testClasses}. Exit status: 0 when nothing was found, else Jazzer's.
 */
public final class LongRun {
    private LongRun() {
    }

    public static void main(String[] args) throws Exception {
        if (args.length < 2) {
            System.err.println("usage: run.sh TARGET SECONDS [libFuzzer flags...]; targets: "
                    + String.join(" ", Arrays.stream(Target.values()).map(Target::id).toList()));
            System.exit(2);
        }
        Target target;
        try {
            target = Target.of(args[0]);
        } catch (IllegalArgumentException e) {
            System.err.println("error: " + e.getMessage() + "; targets: "
                    + String.join(" ", Arrays.stream(Target.values()).map(Target::id).toList()));
            System.exit(2);
            return;
        }
        long seconds = Long.parseLong(args[1]);
        List<String> extra = Arrays.asList(args).subList(2, args.length);
        Path module = Path.of(System.getProperty("stampede.fuzz.module")).toAbsolutePath();
        String classPath = JazzerProcess.classPath(Path.of(System.getProperty("stampede.fuzz.testClasses")),
                Path.of(System.getProperty("stampede.fuzz.classpath")));
        Path corpus = Files.createDirectories(target.corpus(module.resolve("src/test/resources")));
        Path work = module.resolve("target/fuzz/long").resolve(target.id());
        ShortFuzzRunTest.deleteTree(work);
        Path fresh = Files.createDirectories(work.resolve("new"));
        int before = count(corpus);

        List<String> fuzz = new ArrayList<>(List.of(fresh.toString(), corpus.toString(),
                "-max_total_time=" + seconds, "-timeout=30", "-rss_limit_mb=0", "-print_final_stats=1",
                "-artifact_prefix=" + corpus + "/"));
        fuzz.addAll(extra);
        System.err.println("run.sh: fuzzing " + target.id() + " (" + target.className() + "#" + target.method()
                + ") for " + seconds + " s from " + before + " corpus entries in " + module.relativize(corpus));
        int status = JazzerProcess.builder(classPath, module, work.resolve("tmp"), target.className(),
                target.method(), fuzz).inheritIO().start().waitFor();

        List<String> merge = List.of("-merge=1", "-rss_limit_mb=0", "-timeout=30", "-artifact_prefix=" + work + "/",
                corpus.toString(), fresh.toString());
        int merged = JazzerProcess.builder(classPath, module, work.resolve("tmp"), target.className(),
                target.method(), merge).redirectErrorStream(true).redirectOutput(work.resolve("merge.log").toFile())
                .start().waitFor();
        int after = count(corpus);
        System.err.println("run.sh: " + target.id() + ": " + count(fresh) + " new inputs, " + (after - before)
                + " of them added to the corpus (now " + after + " entries)" + (merged == 0 ? ""
                        : "; the merge failed, see " + module.relativize(work.resolve("merge.log"))));
        List<String> findings = findings(corpus);
        if (status != 0 || !findings.isEmpty()) {
            System.err.println("run.sh: " + target.id() + ": Jazzer exited " + status + "; findings in the corpus: "
                    + findings + ". Fix each, add a regression test to the bundle's tests, keep the input in the"
                    + " corpus (README.md).");
        }
        System.exit(status != 0 ? status : merged);
    }

    private static int count(Path dir) throws IOException {
        try (Stream<Path> files = Files.list(dir)) {
            return (int) files.filter(Files::isRegularFile).count();
        }
    }

    private static List<String> findings(Path corpus) throws IOException {
        try (Stream<Path> files = Files.list(corpus)) {
            return files.map(p -> p.getFileName().toString()).filter(n -> n.startsWith("crash-")
                    || n.startsWith("timeout-") || n.startsWith("oom-") || n.startsWith("slow-unit-")).sorted()
                    .toList();
        }
    }
}
