package org.stampede.releng.apibaseline;

import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Stream;

import org.stampede.releng.apibaseline.ApiCheck.Cause;
import org.stampede.releng.apibaseline.ApiCheck.PackageResult;
import org.stampede.releng.apibaseline.ApiCheck.Status;

import aQute.bnd.osgi.Jar;
import aQute.bnd.service.diff.Tree;

/**
 * The build step: checks the guarded bundles against the baseline, or records their API as the new baseline.
 * <p>
 * Arguments: {@code --root DIR} (the repository, for the paths in messages), {@code --baseline DIR} (one
 * {@code <bsn>.json} per guarded bundle), {@code --bundles FILE} (the guarded bundles' jars, separated by the path
 * separator, as maven-dependency-plugin's build-classpath writes them), {@code --update true|false}.
 * <p>
 * The check fails when a package's version is lower than its change needs, when its version went down, when a
 * package was removed, and when the baseline does not record the current API (a change that is correctly
 * versioned, a new package or bundle): the committed baseline is always the API of the code beside it, so every
 * API change shows in review as a change of the baseline. The update writes the baseline, and refuses to while a
 * version is too low or went down.
 */
public final class Main {

    /** The command that rewrites the baseline; messages print it. */
    public static final String UPDATE_COMMAND = "./mvnw verify -pl releng/org.stampede.api.baseline -am -DskipTests "
            + "-Dstampede.api.update=true";

    /** What a run did: a report to print, and whether the build fails. */
    public record Outcome(boolean failed, String report) {
    }

    private Main() {
    }

    public static void main(String[] args) throws Exception {
        Path root = null;
        Path baseline = null;
        Path bundles = null;
        boolean update = false;
        for (int i = 0; i + 1 < args.length; i += 2) {
            switch (args[i]) {
            case "--root" -> root = Path.of(args[i + 1]).toAbsolutePath().normalize();
            case "--baseline" -> baseline = Path.of(args[i + 1]).toAbsolutePath().normalize();
            case "--bundles" -> bundles = Path.of(args[i + 1]);
            case "--update" -> update = Boolean.parseBoolean(args[i + 1].trim());
            default -> throw new IllegalArgumentException("unknown argument " + args[i]);
            }
        }
        if (root == null || baseline == null || bundles == null || args.length % 2 != 0) {
            throw new IllegalArgumentException(
                    "usage: --root DIR --baseline DIR --bundles FILE [--update true|false]");
        }
        List<Path> jars = new ArrayList<>();
        for (String s : Files.readString(bundles).trim().split(File.pathSeparator)) {
            if (!s.isBlank()) {
                jars.add(Path.of(s.trim()));
            }
        }
        Outcome outcome = run(root, baseline, jars, update);
        if (outcome.failed()) {
            // exec:java prints the message under the build's ERROR summary
            throw new ApiBaselineException(outcome.report());
        }
        System.out.print(outcome.report());
        System.out.flush();
    }

    /** Thrown to fail the build; its message is the report. */
    public static final class ApiBaselineException extends RuntimeException {
        private static final long serialVersionUID = 1L;

        ApiBaselineException(String report) {
            super(report, null, false, false);
        }
    }

    /**
     * Checks (or, with {@code update}, records) the API of the given bundle jars against the baseline files in
     * {@code baselineDir}. {@code root} is the repository, for the paths in messages.
     */
    public static Outcome run(Path root, Path baselineDir, List<Path> jars, boolean update) throws Exception {
        Map<String, Tree> current = new TreeMap<>();
        for (Path path : jars) {
            try (Jar jar = new Jar(path.toFile())) {
                Tree tree = ApiTree.of(jar);
                if (current.put(ApiTree.bsn(tree), tree) != null) {
                    throw new IllegalArgumentException("bundle " + ApiTree.bsn(tree) + " given twice");
                }
            }
        }
        List<PackageResult> results = new ArrayList<>();
        List<String> missing = new ArrayList<>();
        for (Map.Entry<String, Tree> e : current.entrySet()) {
            Path file = baselineDir.resolve(e.getKey() + ".json");
            if (Files.isRegularFile(file)) {
                Tree old = ApiTree.fromJson(Files.readString(file, StandardCharsets.UTF_8));
                results.addAll(ApiCheck.compare(old, e.getValue()));
            } else {
                missing.add(e.getKey());
            }
        }
        Set<String> stale = new TreeSet<>();
        if (Files.isDirectory(baselineDir)) {
            try (Stream<Path> files = Files.list(baselineDir)) {
                files.map(p -> p.getFileName().toString())
                        .filter(n -> n.endsWith(".json"))
                        .map(n -> n.substring(0, n.length() - ".json".length()))
                        .filter(bsn -> !current.containsKey(bsn))
                        .forEach(stale::add);
            }
        }
        String where = relative(root, baselineDir);
        List<PackageResult> errors = results.stream().filter(r -> r.status().error).toList();
        List<PackageResult> unrecorded = results.stream()
                .filter(r -> r.status().recordable && !r.status().error).toList();
        int packages = (int) results.stream().filter(r -> r.status() != Status.REMOVED).count();

        StringBuilder sb = new StringBuilder();
        if (update) {
            List<PackageResult> blocking = errors.stream().filter(r -> !r.status().recordable).toList();
            if (!blocking.isEmpty()) {
                sb.append("API baseline NOT updated: ").append(count(blocking.size(), "package"))
                        .append(" changed more than its version says (baseline: ").append(where).append(")\n\n");
                for (PackageResult r : blocking) {
                    describe(sb, r);
                }
                sb.append("Set the versions above, then run the update again.\n");
                return new Outcome(true, sb.toString());
            }
            List<String> written = new ArrayList<>();
            Files.createDirectories(baselineDir);
            for (Map.Entry<String, Tree> e : current.entrySet()) {
                Path file = baselineDir.resolve(e.getKey() + ".json");
                String json = ApiTree.toJson(e.getValue(), comment(e.getKey()));
                if (!Files.isRegularFile(file) || !Files.readString(file, StandardCharsets.UTF_8).equals(json)) {
                    Files.writeString(file, json, StandardCharsets.UTF_8);
                    written.add(e.getKey());
                }
            }
            for (String bsn : stale) {
                Files.delete(baselineDir.resolve(bsn + ".json"));
            }
            sb.append("API baseline updated in ").append(where).append(": ");
            if (written.isEmpty() && stale.isEmpty()) {
                sb.append("no change (").append(count(current.size(), "bundle")).append(")\n");
            } else {
                if (!written.isEmpty()) {
                    sb.append("wrote ").append(String.join(", ", written));
                }
                if (!stale.isEmpty()) {
                    sb.append(written.isEmpty() ? "" : "; ").append("deleted ").append(String.join(", ", stale));
                }
                sb.append('\n');
                for (PackageResult r : results) {
                    if (r.status() != Status.UNCHANGED) {
                        describe(sb, r);
                    }
                }
                sb.append("Commit the baseline with the change.\n");
            }
            return new Outcome(false, sb.toString());
        }

        if (errors.isEmpty() && unrecorded.isEmpty() && missing.isEmpty() && stale.isEmpty()) {
            sb.append("API baseline: ").append(count(packages, "public package")).append(" of ")
                    .append(count(current.size(), "bundle")).append(" as recorded in ").append(where).append('\n');
            return new Outcome(false, sb.toString());
        }
        sb.append("API baseline check failed (baseline: ").append(where)
                .append("; rules: bnd's semantic versioning, @ProviderType/@ConsumerType)\n\n");
        if (!errors.isEmpty()) {
            sb.append(count(errors.size(), "package")).append(" changed incompatibly with the version exported:\n\n");
            for (PackageResult r : errors) {
                describe(sb, r);
            }
        }
        if (!unrecorded.isEmpty() || !missing.isEmpty() || !stale.isEmpty()) {
            sb.append("The baseline does not record the current API:\n\n");
            for (PackageResult r : unrecorded) {
                describe(sb, r);
            }
            for (String bsn : missing) {
                sb.append("  bundle ").append(bsn).append(": no baseline (").append(where).append('/').append(bsn)
                        .append(".json)\n\n");
            }
            for (String bsn : stale) {
                sb.append("  ").append(where).append('/').append(bsn).append(".json: ").append(bsn)
                        .append(" is not a guarded bundle (any more); the update deletes it\n\n");
            }
        }
        sb.append("After an intended change, with every version as required above, record the new API:\n  ")
                .append(UPDATE_COMMAND).append("\nand commit ").append(where).append(" with the change.\n");
        return new Outcome(true, sb.toString());
    }

    private static void describe(StringBuilder sb, PackageResult r) {
        String manifest = "bundles/" + r.bundle() + "/META-INF/MANIFEST.MF";
        sb.append("  package ").append(r.pkg()).append(" (bundle ").append(r.bundle()).append("): ");
        switch (r.status()) {
        case VERSION_TOO_LOW -> {
            sb.append(r.delta()).append(" change: version ").append(r.found()).append(" found, ")
                    .append(r.required()).append(" required (baseline ").append(r.baseline()).append(")\n");
            causes(sb, r);
            sb.append("    Fix: export ").append(r.pkg()).append(";version=\"").append(r.required())
                    .append("\" in ").append(manifest);
            if (r.delta() == aQute.bnd.service.diff.Delta.MAJOR) {
                sb.append(", and widen the Import-Package ranges of its importers");
            }
            sb.append(", or undo the change.\n");
            if (r.ifProviders() != null) {
                sb.append("    (Only if ").append(String.join(", ", r.providers()))
                        .append(r.providers().size() == 1 ? " is" : " are")
                        .append(" implemented by the providing bundle alone: marked @ProviderType, the change ")
                        .append("would need only ").append(r.ifProviders()).append(".)\n");
            }
        }
        case VERSION_DECREASED -> sb.append("version ").append(r.found()).append(" found, lower than the baseline's ")
                .append(r.baseline()).append(": a package version never goes down. Fix: export it with ")
                .append(r.baseline()).append(" or higher in ").append(manifest).append(".\n");
        case REMOVED -> {
            sb.append("removed (it was exported with version ").append(r.baseline())
                    .append("; every bundle importing it breaks). If intended, the update records it.\n");
        }
        case CHANGED -> {
            sb.append(r.delta()).append(" change, correctly versioned: ").append(r.found()).append(" (baseline ")
                    .append(r.baseline()).append(", ").append(r.required()).append(" required)\n");
            causes(sb, r);
        }
        case VERSION_CHANGED -> sb.append("no API change, version ").append(r.baseline()).append(" -> ")
                .append(r.found()).append('\n');
        case ADDED -> sb.append("new public package, version ").append(r.found()).append('\n');
        case UNCHANGED -> sb.append("unchanged, version ").append(r.found()).append('\n');
        }
        sb.append('\n');
    }

    private static void causes(StringBuilder sb, PackageResult r) {
        for (Cause c : r.causes()) {
            sb.append(String.format("    %-5s  %s%n", c.level(), c.text()));
        }
    }

    private static String comment(String bsn) {
        return "The API baseline of " + bsn + ", written from the built bundle by releng/org.stampede.api.baseline "
                + "(see its README.md). Do not edit.";
    }

    private static String count(int n, String what) {
        return n + " " + what + (n == 1 ? "" : "s");
    }

    private static String relative(Path root, Path p) {
        try {
            return root.relativize(p).toString().replace(File.separatorChar, '/');
        } catch (IllegalArgumentException e) {
            return p.toString();
        }
    }
}
