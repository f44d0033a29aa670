package org.stampede.integration.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.jar.Attributes;
import java.util.jar.Manifest;
import java.util.stream.Stream;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.stampede.testing.interop.Interop;

/**
 * The rules of the plug-in architecture, read from every bundle's manifest in the source tree: strategies import
 * only the strategy API, plug-ins no engine internals, the protocol leaves no framework, the engine no network
 * library, UI or command line, and no two bundles depend on each other in a circle. Each rule names the bundle and
 * import that break it.
 */
class ArchitectureTest {
    /** Compile-time annotations (CLASS retention): importing them, optionally, adds no dependency at run time. */
    private static final List<String> ANNOTATIONS = List.of("org.osgi.service.component.annotations",
            "org.osgi.service.component.propertytypes", "org.osgi.service.metatype.annotations",
            "org.osgi.annotation.");

    /** A bundle of the tree: its name, what it imports and exports, the bundles it requires, its host. */
    record BundleInfo(String name, Map<String, String> imports, Set<String> exports, Set<String> requires,
            String host) {
        boolean test() {
            return name.endsWith(".tests") || host != null;
        }
    }

    private static final Map<String, BundleInfo> BUNDLES = new TreeMap<>();

    @BeforeAll
    static void readManifests() throws IOException {
        Path root = Interop.repo().resolve("bundles");
        try (Stream<Path> dirs = Files.list(root)) {
            for (Path d : dirs.sorted().toList()) {
                Path mf = d.resolve("META-INF/MANIFEST.MF");
                if (!Files.isRegularFile(mf)) {
                    continue;
                }
                Manifest m;
                try (InputStream in = Files.newInputStream(mf)) {
                    m = new Manifest(in);
                }
                Attributes a = m.getMainAttributes();
                String name = clauses(a.getValue("Bundle-SymbolicName")).keySet().iterator().next();
                Map<String, String> imports = clauses(a.getValue("Import-Package"));
                Set<String> exports = clauses(a.getValue("Export-Package")).keySet();
                Set<String> requires = clauses(a.getValue("Require-Bundle")).keySet();
                String host = a.getValue("Fragment-Host") == null ? null
                        : clauses(a.getValue("Fragment-Host")).keySet().iterator().next();
                BUNDLES.put(name, new BundleInfo(name, imports, Set.copyOf(exports), Set.copyOf(requires), host));
            }
        }
        assertTrue(BUNDLES.size() > 30, "the tree's bundles are found: " + BUNDLES.keySet());
    }

    /** A manifest header's clauses: name to its attributes and directives (commas inside quotes kept). */
    static Map<String, String> clauses(String header) {
        Map<String, String> out = new LinkedHashMap<>();
        if (header == null) {
            return out;
        }
        List<String> parts = new ArrayList<>();
        StringBuilder cur = new StringBuilder();
        boolean quoted = false;
        for (char c : header.toCharArray()) {
            if (c == '"') {
                quoted = !quoted;
            }
            if (c == ',' && !quoted) {
                parts.add(cur.toString());
                cur.setLength(0);
            } else {
                cur.append(c);
            }
        }
        parts.add(cur.toString());
        for (String p : parts) {
            String t = p.strip();
            if (t.isEmpty()) {
                continue;
            }
            int semi = t.indexOf(';');
            out.put(semi < 0 ? t : t.substring(0, semi).strip(), semi < 0 ? "" : t.substring(semi + 1));
        }
        return out;
    }

    private static boolean annotation(String pkg, String attributes) {
        return attributes.contains("resolution:=optional") && ANNOTATIONS.stream().anyMatch(pkg::startsWith);
    }

    private static List<BundleInfo> bundles(java.util.function.Predicate<String> name) {
        return BUNDLES.values().stream().filter(b -> !b.test() && name.test(b.name())).toList();
    }

    @Test
    void strategyBundlesImportNothingButTheStrategyApiAndItsHelpers() {
        List<String> broken = new ArrayList<>();
        List<BundleInfo> strategies = bundles(n -> n.startsWith("org.stampede.picker.")
                || n.startsWith("org.stampede.choker."));
        assertTrue(strategies.size() >= 10, strategies::toString);
        for (BundleInfo b : strategies) {
            b.imports().forEach((pkg, attrs) -> {
                if (!pkg.equals("org.stampede.api") && !pkg.equals("org.stampede.api.util") && !annotation(pkg, attrs)) {
                    broken.add(b.name() + " imports " + pkg);
                }
            });
            if (!b.requires().isEmpty()) {
                broken.add(b.name() + " requires " + b.requires());
            }
        }
        assertEquals(List.of(), broken);
    }

    @Test
    void pluginBundlesImportNoEngineInternalsNorTheEngine() {
        List<String> broken = new ArrayList<>();
        List<BundleInfo> plugins = bundles(n -> !n.equals("org.stampede.engine")).stream()
                .filter(b -> b.imports().containsKey("org.stampede.spi")).toList();
        assertTrue(plugins.stream().anyMatch(b -> b.name().equals("org.stampede.transport.tcp")), plugins::toString);
        for (BundleInfo b : plugins) {
            for (String pkg : b.imports().keySet()) {
                if (pkg.startsWith("org.stampede.engine") || pkg.endsWith(".internal") || pkg.contains(".internal.")) {
                    broken.add(b.name() + " imports " + pkg);
                }
            }
        }
        assertEquals(List.of(), broken);
    }

    @Test
    void theProtocolBundlesImportNoFrameworkNetworkLibraryOrUi() {
        List<String> broken = new ArrayList<>();
        for (BundleInfo b : bundles(n -> n.equals("org.stampede.bencode") || n.equals("org.stampede.metainfo"))) {
            b.imports().forEach((pkg, attrs) -> {
                if ((pkg.startsWith("org.osgi.") || pkg.startsWith("org.apache.mina.")
                        || pkg.startsWith("org.eclipse.")) && !annotation(pkg, attrs)) {
                    broken.add(b.name() + " imports " + pkg);
                }
            });
        }
        assertEquals(List.of(), broken);
    }

    @Test
    void theEngineAndTheSpiImportNoNetworkLibraryUiOrCommandLine() {
        List<String> broken = new ArrayList<>();
        for (BundleInfo b : bundles(n -> n.equals("org.stampede.engine") || n.equals("org.stampede.spi")
                || n.equals("org.stampede.api"))) {
            for (String pkg : b.imports().keySet()) {
                if (pkg.startsWith("org.apache.mina.") || pkg.startsWith("org.eclipse.swt")
                        || pkg.startsWith("org.eclipse.jface") || pkg.startsWith("org.stampede.cli")
                        || pkg.startsWith("org.stampede.ui") || pkg.startsWith("picocli")) {
                    broken.add(b.name() + " imports " + pkg);
                }
            }
            if (!b.requires().isEmpty()) {
                broken.add(b.name() + " requires " + b.requires());
            }
        }
        assertEquals(List.of(), broken);
    }

    @Test
    void noBundlesDependOnEachOtherInACircle() {
        Map<String, String> exporter = new TreeMap<>();
        for (BundleInfo b : bundles(n -> true)) {
            for (String pkg : b.exports()) {
                exporter.put(pkg, b.name());
            }
        }
        Map<String, Set<String>> edges = new TreeMap<>();
        for (BundleInfo b : bundles(n -> true)) {
            Set<String> to = new LinkedHashSet<>();
            for (String pkg : b.imports().keySet()) {
                String e = exporter.get(pkg);
                if (e != null && !e.equals(b.name())) {
                    to.add(e);
                }
            }
            for (String r : b.requires()) {
                if (BUNDLES.containsKey(r)) {
                    to.add(r);
                }
            }
            edges.put(b.name(), to);
        }
        List<String> cycles = new ArrayList<>();
        Map<String, Integer> state = new TreeMap<>(); // 1 on the path, 2 done
        for (String start : edges.keySet()) {
            findCycle(start, edges, state, new ArrayList<>(), cycles);
        }
        assertEquals(List.of(), cycles);
        assertTrue(edges.get("org.stampede.engine").contains("org.stampede.spi"), edges::toString);
    }

    private static void findCycle(String node, Map<String, Set<String>> edges, Map<String, Integer> state,
            List<String> path, List<String> cycles) {
        Integer s = state.get(node);
        if (s != null && s == 2) {
            return;
        }
        if (s != null && s == 1) {
            cycles.add(String.join(" -> ", path.subList(path.indexOf(node), path.size())) + " -> " + node);
            return;
        }
        state.put(node, 1);
        path.add(node);
        for (String next : edges.getOrDefault(node, Set.of())) {
            findCycle(next, edges, state, path, cycles);
        }
        path.remove(path.size() - 1);
        state.put(node, 2);
    }

    @Test
    void theRulesThemselvesCatchABreak() {
        Map<String, String> c = clauses("org.stampede.api;version=\"[0.1.0,0.2.0)\",org.apache.mina.core.buffer;"
                + "version=\"[2.2.0,3.0.0)\", org.osgi.service.component.annotations;resolution:=optional");
        assertEquals(List.of("org.stampede.api", "org.apache.mina.core.buffer",
                "org.osgi.service.component.annotations"), List.copyOf(c.keySet()), "quoted ranges stay whole");
        assertTrue(annotation("org.osgi.service.component.annotations", c.get("org.osgi.service.component.annotations")));
        assertTrue(!annotation("org.apache.mina.core.buffer", c.get("org.apache.mina.core.buffer")));
        List<String> cycles = new ArrayList<>();
        findCycle("a", Map.of("a", Set.of("b"), "b", Set.of("c"), "c", Set.of("a")), new TreeMap<>(),
                new ArrayList<>(), cycles);
        assertEquals(List.of("a -> b -> c -> a"), cycles);
    }
}
