package org.stampede.ui.internal.parts;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.BundleException;
import org.osgi.framework.FrameworkUtil;
import org.stampede.ui.internal.ClientSession;

/** The framework the workbench tests run in: starting Stampede's bundles, and the bundle jars the build made. */
final class TestRuntime {
    private TestRuntime() {
    }

    /**
     * Starts EventAdmin and Stampede's bundles (the test runtime installs them but starts only what is asked for),
     * so that Declarative Services registers the GUI's session and the strategies; returns the framework.
     */
    static BundleContext startStampede() throws BundleException {
        BundleContext context = FrameworkUtil.getBundle(ClientSession.class).getBundleContext();
        for (Bundle b : context.getBundles()) {
            String name = b.getSymbolicName();
            if ("org.eclipse.equinox.event".equals(name)) {
                b.start();
            } else if (name.startsWith("org.stampede.") && b.getHeaders().get("Fragment-Host") == null) {
                b.start(Bundle.START_ACTIVATION_POLICY);
            }
        }
        return context;
    }

    /** The bundle jar the build made for {@code bsn}: {@code <repo>/bundles/<bsn>/target/<bsn>-*.jar}. */
    static Path bundleJar(String bsn) throws Exception {
        Path target = Path.of(System.getProperty("stampede.repo", ".")).resolve("bundles").resolve(bsn)
                .resolve("target");
        List<Path> jars = new ArrayList<>();
        try (var s = Files.newDirectoryStream(target, bsn + "-*.jar")) {
            for (Path p : s) {
                if (!p.getFileName().toString().endsWith("-sources.jar")) {
                    jars.add(p);
                }
            }
        }
        assertEquals(1, jars.size(), "one bundle jar in " + target + ": " + jars);
        return jars.get(0);
    }
}
