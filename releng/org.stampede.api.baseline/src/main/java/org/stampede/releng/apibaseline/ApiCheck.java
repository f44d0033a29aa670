package org.stampede.releng.apibaseline;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

import aQute.bnd.differ.Baseline;
import aQute.bnd.differ.Baseline.Info;
import aQute.bnd.differ.DiffPluginImpl;
import aQute.bnd.header.Attrs;
import aQute.bnd.header.Parameters;
import aQute.bnd.osgi.Instructions;
import aQute.bnd.osgi.Processor;
import aQute.bnd.service.diff.Delta;
import aQute.bnd.service.diff.Diff;
import aQute.bnd.service.diff.Tree;
import aQute.bnd.service.diff.Type;
import aQute.bnd.version.Version;

/**
 * Compares the API tree of a built bundle with its baseline by bnd's rules ({@link Baseline}): for each public
 * package, the kind of change (MAJOR, MINOR, MICRO) and the lowest version that change needs, and what the bundle
 * exports instead.
 * <p>
 * One difference from bnd: bnd accepts any change while a version's major part is 0 (semver's "anything may change
 * in 0.y.z"). Stampede's packages are all 0.x and their importers rely on the OSGi rules (a range such as
 * {@code [0.1.0,1.0.0)} trusts that nothing breaks below 1.0.0), so the rules apply to 0.x as to any version.
 */
public final class ApiCheck {

    /** What became of one package. */
    public enum Status {
        /** Same API, same version as the baseline. */
        UNCHANGED(false, false),
        /** The API changed and the version is high enough: the baseline has yet to record it. */
        CHANGED(false, true),
        /** Same API, another (higher) version: the baseline has yet to record it. */
        VERSION_CHANGED(false, true),
        /** A package the baseline does not have: the baseline has yet to record it. */
        ADDED(false, true),
        /** The API changed more than the version says. */
        VERSION_TOO_LOW(true, false),
        /** The version is lower than the baseline's. */
        VERSION_DECREASED(true, false),
        /**
         * A package of the baseline is exported no more (or not publicly): every importer breaks. An update records
         * it when intended.
         */
        REMOVED(true, true);

        /** Fails the check. */
        public final boolean error;
        /** Recorded by an update (the other errors refuse the update). */
        public final boolean recordable;

        Status(boolean error, boolean recordable) {
            this.error = error;
            this.recordable = recordable;
        }
    }

    /** One change under a package that made it change: what was added or removed and how big that change is. */
    public record Cause(Delta level, String text) {
    }

    /**
     * The result for one package. {@code required} is the lowest version the change allows (null for a removed
     * package); {@code ifProviders} and {@code providers}, when set, say that the change would need only that
     * version if those interfaces were {@code @ProviderType}.
     */
    public record PackageResult(String bundle, String pkg, Status status, Delta delta, Version baseline,
            Version found, Version required, List<Cause> causes, Version ifProviders, Set<String> providers) {
    }

    private ApiCheck() {
    }

    /**
     * Compares the current API of a bundle with its baseline.
     *
     * @param baseline the baseline's tree, as {@link ApiTree#fromJson} reads it
     * @param current the built bundle's tree, as {@link ApiTree#of} makes it
     * @return one result per package of either, in package order
     */
    public static List<PackageResult> compare(Tree baseline, Tree current) throws Exception {
        Map<String, Version> oldVersions = ApiTree.versions(baseline);
        Map<String, Version> newVersions = ApiTree.versions(current);
        List<PackageResult> results = new ArrayList<>();
        try (Processor reporter = new Processor()) {
            Baseline differ = new Baseline(reporter, new DiffPluginImpl());
            Set<Info> infos = differ.baseline(current, exports(newVersions), baseline, exports(oldVersions),
                    new Instructions());
            for (Info info : infos) {
                results.add(result(ApiTree.bsn(current), info, oldVersions.get(info.packageName),
                        newVersions.get(info.packageName)));
            }
        }
        results.sort(Comparator.comparing(PackageResult::pkg));
        return results;
    }

    private static PackageResult result(String bundle, Info info, Version old, Version found) {
        Diff diff = info.packageDiff;
        Delta delta = diff.getDelta();
        List<Cause> causes = new ArrayList<>();
        causes(diff, null, causes);
        causes.sort(Comparator.comparing(Cause::level).reversed().thenComparing(Cause::text));
        return switch (delta) {
        case REMOVED -> new PackageResult(bundle, info.packageName, Status.REMOVED, Delta.MAJOR, old, null, null,
                causes, null, null);
        case ADDED -> new PackageResult(bundle, info.packageName, Status.ADDED, Delta.MINOR, null, found, found,
                causes, null, null);
        case UNCHANGED, IGNORED -> {
            int c = found.compareTo(old);
            Status s = c == 0 ? Status.UNCHANGED : c > 0 ? Status.VERSION_CHANGED : Status.VERSION_DECREASED;
            yield new PackageResult(bundle, info.packageName, s, Delta.UNCHANGED, old, found, old, causes, null,
                    null);
        }
        default -> {
            // bnd's Baseline computes the required version (suggestedVersion) from the change, and marks a
            // mismatch only from 1.0.0 on; here a version below the required one is an error at 0.x too
            Version required = info.suggestedVersion;
            Status s;
            if (found.compareTo(old) < 0) {
                s = Status.VERSION_DECREASED;
            } else if (found.compareTo(required) < 0) {
                s = Status.VERSION_TOO_LOW;
            } else {
                s = Status.CHANGED;
            }
            Version ifProviders = s == Status.VERSION_TOO_LOW && info.suggestedIfProviders != null
                    && info.providers != null && !info.providers.isEmpty() ? info.suggestedIfProviders : null;
            yield new PackageResult(bundle, info.packageName, s, effective(delta), old, found, required, causes,
                    ifProviders, ifProviders == null ? null : new TreeSet<>(info.providers));
        }
        };
    }

    private static Delta effective(Delta delta) {
        return switch (delta) {
        case MAJOR, MINOR, MICRO -> delta;
        default -> Delta.MICRO; // CHANGED (a runtime annotation, a constant's value): bnd asks for a micro bump
        };
    }

    private static Parameters exports(Map<String, Version> versions) {
        Parameters p = new Parameters();
        versions.forEach((pkg, v) -> {
            Attrs attrs = new Attrs();
            attrs.put("version", v.toString());
            p.put(pkg, attrs);
        });
        return p;
    }

    /** The added and removed elements under a diff, each with the change it makes (bnd's ifAdded/ifRemoved). */
    private static void causes(Diff diff, Diff owner, List<Cause> out) {
        for (Diff child : diff.getChildren()) {
            Delta d = child.getDelta();
            if (d == Delta.ADDED || d == Delta.REMOVED) {
                Delta level = d == Delta.ADDED ? child.getNewer().ifAdded() : child.getOlder().ifRemoved();
                if (level == Delta.IGNORED || level == Delta.UNCHANGED || child.getType() == Type.VERSION) {
                    continue;
                }
                level = level == Delta.CHANGED ? Delta.MICRO : level;
                out.add(new Cause(level, (d == Delta.ADDED ? "added " : "removed ") + describe(child, diff, owner,
                        level)));
            } else if (d != Delta.UNCHANGED && d != Delta.IGNORED) {
                causes(child, diff, out);
            }
        }
    }

    /** An added or removed element; parent is the element it is in, owner the one above (a member's class). */
    private static String describe(Diff element, Diff parent, Diff owner, Delta level) {
        String name = element.getName();
        String of = " of " + noun(parent, owner);
        return switch (element.getType()) {
        case CLASS, INTERFACE, ENUM, ANNOTATION -> noun(element, parent);
        case METHOD, FIELD -> noun(element, parent) + role(parent, level);
        case ACCESS -> "modifier '" + name + "'" + of;
        case EXTENDS -> "superclass " + name + of;
        case IMPLEMENTS -> "super-interface " + name + of;
        case RETURN -> "type " + name + of;
        case CONSTANT -> "constant value " + name + of;
        case DEFAULT -> "default value " + name + of;
        case ANNOTATED -> "annotation @" + name + of;
        case PROPERTY -> "annotation value " + name + of;
        default -> element.getType().name().toLowerCase(Locale.ROOT) + " " + name + of;
        };
    }

    private static String noun(Diff d, Diff parent) {
        return switch (d.getType()) {
        case CLASS -> "class " + d.getName();
        case INTERFACE -> "interface " + d.getName();
        case ENUM -> "enum " + d.getName();
        case ANNOTATION -> "annotation type " + d.getName();
        case METHOD -> "method " + member(d, parent);
        case FIELD -> "field " + member(d, parent);
        case ANNOTATED -> "annotation @" + d.getName();
        case PACKAGE -> "package " + d.getName();
        default -> d.getType().name().toLowerCase(Locale.ROOT) + " " + d.getName();
        };
    }

    private static String member(Diff member, Diff owner) {
        return owner == null ? member.getName() : owner.getName() + "." + member.getName();
    }

    /** For a member of an interface: who implements it, which decides how big adding a method is. */
    private static String role(Diff parent, Delta level) {
        if (parent == null || parent.getType() != Type.INTERFACE) {
            return "";
        }
        Tree t = parent.getNewer() != null ? parent.getNewer() : parent.getOlder();
        for (Tree c : t.getChildren()) {
            if (c.getType() == Type.ANNOTATED && c.getName().equals("org.osgi.annotation.versioning.ProviderType")) {
                return " (a @ProviderType interface: only its provider implements it)";
            }
            if (c.getType() == Type.ANNOTATED && c.getName().equals("org.osgi.annotation.versioning.ConsumerType")) {
                return " (a @ConsumerType interface: its users implement it)";
            }
        }
        return level == Delta.MAJOR ? " (an interface without @ProviderType or @ConsumerType: bnd treats it as a "
                + "consumer type, implemented by its users)" : "";
    }
}
