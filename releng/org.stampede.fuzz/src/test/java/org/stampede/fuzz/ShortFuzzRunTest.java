package org.stampede.fuzz;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeFalse;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;

/**
 * The build's short fuzzing run: every target, coverage-guided, for a fixed number of executions from a fixed
 * libFuzzer seed, starting from all the corpora (so two runs of one tree fuzz nearly the same inputs). One Jazzer
 * process runs them all through {@link AllTargetsFuzzTest}; a finding fails the build with the target, the
 * exception and the input, written without its target byte to {@code target/fuzz/short/findings/<target>/}, ready
 * to go into that target's corpus and a regression test (see the README).
 */
class ShortFuzzRunTest {
    private static final String[] FINDINGS = { "crash-", "timeout-", "oom-", "slow-unit-", "leak-" };
    private static final int RUNS = Integer.getInteger("stampede.fuzz.runs", 25_000);
    /** libFuzzer's line once it has run the seeds: {@code #47 INITED cov: 2041 ft: 4305 ...}. */
    private static final Pattern INITED = Pattern.compile("INITED cov: (\\d+)");

    @Test
    void everyTargetSurvivesAShortSeededRun() throws Exception {
        assumeFalse(Boolean.getBoolean("stampede.fuzz.skip"), "stampede.fuzz.skip=true");
        Path testClasses = Path.of(System.getProperty("stampede.fuzz.testClasses"));
        Path work = Path.of(System.getProperty("stampede.fuzz.work")).resolve("short");
        deleteTree(work);
        Path seeds = Files.createDirectories(work.resolve("seeds"));
        Path corpus = Files.createDirectories(work.resolve("corpus"));
        int count = 0;
        for (Target t : Target.values()) {
            Path dir = t.corpus(testClasses);
            assertTrue(Files.isDirectory(dir), () -> t.id() + " has no corpus at " + dir);
            try (Stream<Path> files = Files.list(dir)) {
                for (Path f : files.filter(Files::isRegularFile).sorted().toList()) {
                    byte[] input = Files.readAllBytes(f);
                    byte[] seed = new byte[input.length + 1];
                    seed[0] = (byte) t.ordinal();
                    System.arraycopy(input, 0, seed, 1, input.length);
                    Files.write(seeds.resolve(t.id() + "-" + f.getFileName()), seed);
                    count++;
                }
            }
        }
        assertTrue(count >= Target.values().length, "every target has seeds");

        List<String> args = List.of(corpus.toString(), seeds.toString(),
                "-runs=" + RUNS,
                "-seed=" + Integer.getInteger("stampede.fuzz.seed", 1),
                "-timeout=30", "-rss_limit_mb=0", "-max_total_time=600", "-print_final_stats=1",
                "-artifact_prefix=" + work + "/");
        Path log = work.resolve("jazzer.log");
        ProcessBuilder pb = JazzerProcess.builder(JazzerProcess.classPath(testClasses,
                Path.of(System.getProperty("stampede.fuzz.classpath"))), work, work.resolve("tmp"),
                AllTargetsFuzzTest.class.getName(), "any", args).redirectErrorStream(true)
                .redirectOutput(log.toFile());
        Process p = pb.start();
        if (!p.waitFor(10, TimeUnit.MINUTES)) {
            p.destroyForcibly().waitFor();
            fail("the short fuzzing run did not end within 10 minutes; its log: " + log);
        }
        List<String> found = findings(work);
        List<String> lines = Files.readAllLines(log);
        if (p.exitValue() != 0 || !found.isEmpty()) {
            fail("the short fuzzing run (" + args + ") exited " + p.exitValue() + " with findings " + found
                    + "\n" + excerpt(lines));
        }
        // it fuzzed: the seeds reach well over a thousand instrumented edges of Stampede's code, and every run ran
        int covered = lines.stream().map(INITED::matcher).filter(Matcher::find).mapToInt(m -> Integer.parseInt(
                m.group(1))).findFirst().orElse(0);
        assertTrue(covered >= 1000, () -> "the seeds cover " + covered + " edges: is the code instrumented? " + log);
        assertTrue(lines.stream().anyMatch(l -> l.matches("stat::number_of_executed_units:\\s+" + RUNS)),
                () -> "not " + RUNS + " executions: " + log);
    }

    /** Copies each finding, without its target byte, to findings/<target>/; returns where. */
    private static List<String> findings(Path work) throws IOException {
        List<String> out = new ArrayList<>();
        try (Stream<Path> files = Files.list(work)) {
            for (Path f : files.sorted().toList()) {
                String name = f.getFileName().toString();
                if (Arrays.stream(FINDINGS).noneMatch(name::startsWith)) {
                    continue;
                }
                byte[] data = Files.readAllBytes(f);
                Target t = data.length == 0 ? null : Target.values()[(data[0] & 0xff) % Target.values().length];
                Path dir = Files.createDirectories(work.resolve("findings").resolve(t == null ? "none" : t.id()));
                Path dst = dir.resolve(name);
                Files.write(dst, data.length == 0 ? data : Arrays.copyOfRange(data, 1, data.length));
                out.add((t == null ? "?" : t.id()) + ": " + dst);
            }
        }
        return out;
    }

    /** The Java exception and the last lines of the log. */
    private static String excerpt(List<String> log) {
        StringBuilder sb = new StringBuilder();
        int at = -1;
        for (int i = 0; i < log.size(); i++) {
            if (log.get(i).startsWith("==")) { // "== Java Exception: ...", "==42== ERROR: libFuzzer: timeout"
                at = i;
                break;
            }
        }
        int from = at >= 0 ? at : Math.max(0, log.size() - 60);
        for (int i = from; i < Math.min(log.size(), from + 80); i++) {
            sb.append(log.get(i)).append('\n');
        }
        return sb.toString();
    }

    static void deleteTree(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> all = Files.walk(dir)) {
            for (Path p : all.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        }
    }
}
