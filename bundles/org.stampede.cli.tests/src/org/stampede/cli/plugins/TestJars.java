package org.stampede.cli.plugins;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.jar.Attributes;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;
import java.util.List;
import java.util.ArrayList;

import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.BundleException;
import org.osgi.framework.FrameworkUtil;

/** Jars made by the tests: bundles with nothing but a manifest, and jars that are no bundle. */
public final class TestJars {
    /** The symbolic names of the tests' bundles start with this; {@link #uninstallAll} removes them. */
    public static final String PREFIX = "org.stampede.test.persisted.";

    private TestJars() {
    }

    /** A jar whose manifest has these main attributes (name, value, name, value...), and no class. */
    public static Path jar(Path file, String... attributes) throws IOException {
        Manifest m = new Manifest();
        m.getMainAttributes().put(Attributes.Name.MANIFEST_VERSION, "1.0");
        for (int i = 0; i < attributes.length; i += 2) {
            m.getMainAttributes().putValue(attributes[i], attributes[i + 1]);
        }
        Files.createDirectories(file.toAbsolutePath().getParent());
        try (OutputStream out = Files.newOutputStream(file); JarOutputStream jar = new JarOutputStream(out, m)) {
            // the manifest only
        }
        return file;
    }

    /** A bundle {@link #PREFIX}{@code name} 1.0.0, with more manifest attributes if given. */
    public static Path bundle(Path file, String name, String... more) throws IOException {
        List<String> a = new ArrayList<>(List.of("Bundle-ManifestVersion", "2", "Bundle-SymbolicName", PREFIX + name,
                "Bundle-Version", "1.0.0"));
        a.addAll(List.of(more));
        return jar(file, a.toArray(String[]::new));
    }

    /** The framework the tests run in, through the bundle under test. */
    public static BundleContext context() throws BundleException {
        Bundle b = FrameworkUtil.getBundle(TestJars.class);
        if (b.getBundleContext() == null) {
            b.start();
        }
        return b.getBundleContext();
    }

    /** Uninstalls the tests' bundles still installed. */
    public static void uninstallAll() throws BundleException {
        for (Bundle b : context().getBundles()) {
            String name = b.getSymbolicName();
            if (name != null && name.startsWith(PREFIX) || b.getLocation().contains("stampede-test-no-name")) {
                b.uninstall();
            }
        }
    }
}
