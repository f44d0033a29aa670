package org.stampede.cli.plugins;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.TreeMap;
import java.util.jar.Attributes;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;
import java.util.List;
import java.util.ArrayList;

import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.BundleException;
import org.osgi.framework.FrameworkUtil;

/** Jars made by the tests: plug-in bundles without classes, bundles that are no plug-in, jars that are no bundle. */
public final class TestJars {
    /** The symbolic names of the tests' bundles start with this; {@link #uninstallAll} removes them. */
    public static final String PREFIX = "org.stampede.test.persisted.";

    private TestJars() {
    }

    /** A jar whose manifest has these main attributes (name, value, name, value...), and no class. */
    public static Path jar(Path file, String... attributes) throws IOException {
        return jar(file, Map.of(), attributes);
    }

    /** A jar with these entries (path to text) besides its manifest of these main attributes, and no class. */
    public static Path jar(Path file, Map<String, String> entries, String... attributes) throws IOException {
        Manifest m = new Manifest();
        m.getMainAttributes().put(Attributes.Name.MANIFEST_VERSION, "1.0");
        for (int i = 0; i < attributes.length; i += 2) {
            m.getMainAttributes().putValue(attributes[i], attributes[i + 1]);
        }
        Files.createDirectories(file.toAbsolutePath().getParent());
        try (OutputStream out = Files.newOutputStream(file); JarOutputStream jar = new JarOutputStream(out, m)) {
            for (Map.Entry<String, String> e : new TreeMap<>(entries).entrySet()) {
                jar.putNextEntry(new JarEntry(e.getKey()));
                jar.write(e.getValue().getBytes(StandardCharsets.UTF_8));
                jar.closeEntry();
            }
        }
        return file;
    }

    /**
     * A Declarative Services component description that provides {@code service} and never starts: it requires a
     * configuration nobody gives, so its class (which the test jars do not have) is never loaded.
     */
    public static String component(String name, String service) {
        return "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
                + "<scr:component xmlns:scr=\"http://www.osgi.org/xmlns/scr/v1.3.0\" name=\"" + name
                + "\" configuration-policy=\"require\">\n"
                + "  <service>\n    <provide interface=\"" + service + "\"/>\n  </service>\n"
                + "  <implementation class=\"" + name + "\"/>\n</scr:component>\n";
    }

    /**
     * A plug-in bundle {@code symbolicName} {@code version}: a component providing a peer source (which never starts,
     * see {@link #component}), with more manifest attributes if given.
     */
    public static Path plugin(Path file, String symbolicName, String version, String... more) throws IOException {
        List<String> a = new ArrayList<>(List.of("Bundle-ManifestVersion", "2", "Bundle-SymbolicName", symbolicName,
                "Bundle-Version", version, "Service-Component", "OSGI-INF/plugin.xml"));
        a.addAll(List.of(more));
        return jar(file, Map.of("OSGI-INF/plugin.xml", component(symbolicName + ".Plugin", "org.stampede.spi.PeerSource")),
                a.toArray(String[]::new));
    }

    /** A plug-in bundle {@link #PREFIX}{@code name} 1.0.0 (see {@link #plugin}), with more manifest attributes if given. */
    public static Path bundle(Path file, String name, String... more) throws IOException {
        return plugin(file, PREFIX + name, "1.0.0", more);
    }

    /** A bundle {@link #PREFIX}{@code name} 1.0.0 that is no plug-in: a manifest alone. */
    public static Path plainBundle(Path file, String name) throws IOException {
        return jar(file, "Bundle-ManifestVersion", "2", "Bundle-SymbolicName", PREFIX + name, "Bundle-Version", "1.0.0");
    }

    /** The framework the tests run in, through the bundle under test. */
    public static BundleContext context() throws BundleException {
        Bundle b = FrameworkUtil.getBundle(TestJars.class);
        if (b.getBundleContext() == null) {
            b.start();
        }
        return b.getBundleContext();
    }

    /** Uninstalls the tests' bundles still installed: by name, or by a file name starting {@code stampede-test-}. */
    public static void uninstallAll() throws BundleException {
        for (Bundle b : context().getBundles()) {
            String name = b.getSymbolicName();
            if (name != null && name.startsWith(PREFIX) || b.getLocation().contains("stampede-test-")) {
                b.uninstall();
            }
        }
    }
}
