package org.stampede.ui.internal.parts;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.OutputStream;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.jar.Attributes;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;

import org.eclipse.swt.widgets.Composite;
import org.eclipse.swt.widgets.Control;
import org.eclipse.swt.widgets.Display;
import org.eclipse.swt.widgets.Label;
import org.eclipse.swt.widgets.Shell;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.osgi.framework.Bundle;
import org.osgi.framework.FrameworkUtil;
import org.stampede.cli.plugins.PluginJar;
import org.stampede.engine.EngineSettings;
import org.stampede.ui.internal.ClientSession;
import org.stampede.ui.internal.Messages;
import org.stampede.ui.internal.TestEngines;

/**
 * The Strategies view's Install from jar goes by the rules of {@code stampede control install} ({@link PluginJar}): a
 * plug-in jar named {@code org.stampede.engine} 99.0.0 is refused, its error dialog says why, and nothing is
 * installed.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class StrategiesInstallTest {
    private static final long WAIT_MS = 60_000;

    @TempDir
    Path dir;

    /** A jar of a bundle whose one component provides a peer source (and never starts: it requires a configuration). */
    private Path engineNamedPlugin() throws Exception {
        Manifest m = new Manifest();
        Attributes a = m.getMainAttributes();
        a.put(Attributes.Name.MANIFEST_VERSION, "1.0");
        a.putValue("Bundle-ManifestVersion", "2");
        a.putValue("Bundle-SymbolicName", "org.stampede.engine");
        a.putValue("Bundle-Version", "99.0.0");
        a.putValue("Service-Component", "OSGI-INF/c.xml");
        Path jar = dir.resolve("engine.jar");
        try (OutputStream out = Files.newOutputStream(jar); JarOutputStream j = new JarOutputStream(out, m)) {
            j.putNextEntry(new JarEntry("OSGI-INF/c.xml"));
            j.write(("<scr:component xmlns:scr=\"http://www.osgi.org/xmlns/scr/v1.3.0\" name=\"x.C\""
                    + " configuration-policy=\"require\"><service><provide interface=\"org.stampede.spi.PeerSource\"/>"
                    + "</service><implementation class=\"x.C\"/></scr:component>").getBytes(StandardCharsets.UTF_8));
            j.closeEntry();
        }
        return jar;
    }

    private static void labels(Control c, List<String> out) {
        if (c instanceof Label l && !l.getText().isEmpty()) {
            out.add(l.getText());
        }
        if (c instanceof Composite parent) {
            for (Control child : parent.getChildren()) {
                labels(child, out);
            }
        }
    }

    @Test
    void installFromAJarNamedAsTheEngineIsRefusedWithTheReasonAndInstallsNothing() throws Exception {
        Display display = Display.getDefault();
        ClientSession session = new ClientSession(TestEngines.factory(event -> {
        }), EngineSettings.defaults().withBind(InetAddress.getLoopbackAddress(), 0).withStrategies("in-order",
                "unchoke-all", "unchoke-all"), dir.resolve("session"), dir.resolve("downloads"));
        Shell shell = new Shell(display);
        try {
            StrategiesPart part = new StrategiesPart(session);
            part.create(shell);
            Path jar = engineNamedPlugin();
            List<String> dialog = new ArrayList<>();
            Runnable closer = new Runnable() { // closes the error dialog from within its own event loop
                @Override
                public void run() {
                    for (Shell s : display.getShells()) {
                        if (!s.isDisposed() && Messages.installJar.equals(s.getText())) {
                            labels(s, dialog);
                            s.close();
                            return;
                        }
                    }
                    display.timerExec(50, this);
                }
            };
            display.timerExec(50, closer);
            CompletableFuture<Bundle> install = part.installFrom(jar);
            long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(WAIT_MS);
            while (dialog.isEmpty() || !install.isDone()) {
                assertTrue(System.nanoTime() < deadline, "timed out waiting for the refusal and its dialog");
                if (!display.readAndDispatch()) {
                    display.timerExec(50, () -> {
                    });
                    display.sleep();
                }
            }
            ExecutionException e = assertThrows(ExecutionException.class, () -> install.get());
            assertEquals(PluginJar.Refused.class, e.getCause().getClass(), e::toString);
            assertTrue(String.join(" ", dialog).contains(jar + ": org.stampede.engine 99.0.0 is refused:"
                    + " org.stampede.engine is one of the client's own bundles"), dialog::toString);
            assertNull(FrameworkUtil.getBundle(StrategiesPart.class).getBundleContext().getBundle(jar.toUri()
                    .toString()), "nothing installed");
            part.dispose();
        } finally {
            shell.dispose();
            session.close();
        }
    }
}
