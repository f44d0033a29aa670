package org.stampede.cli.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.stampede.cli.plugins.PersistedPlugins;
import org.stampede.cli.plugins.TestJars;

/**
 * Installing with and without {@code persist}, and uninstalling, in the framework the tests run in (bundles made of a
 * manifest alone): what ends up in the folder of persisted plug-ins.
 */
class OsgiBundleControlTest {
    @TempDir
    Path dir;

    Path folder;
    BundleContext context;
    OsgiBundleControl control;

    @BeforeEach
    void control() throws Exception {
        folder = dir.resolve("data/plugins");
        context = TestJars.context();
        control = new OsgiBundleControl(context, new PersistedPlugins(folder));
    }

    @AfterEach
    void uninstall() throws Exception {
        control.close();
        TestJars.uninstallAll();
    }

    private boolean installed(String name) {
        for (Bundle b : context.getBundles()) {
            if ((TestJars.PREFIX + name).equals(b.getSymbolicName())) {
                return true;
            }
        }
        return false;
    }

    @Test
    void installWithPersistCopiesTheJarIntoTheFolder() throws Exception {
        Path jar = TestJars.bundle(dir.resolve("build/a.jar"), "a");
        BundleControl.BundleRef ref = control.install(jar, true);
        Path kept = folder.resolve(TestJars.PREFIX + "a_1.0.0.jar");
        assertEquals(kept, ref.persisted());
        assertArrayEquals(Files.readAllBytes(jar), Files.readAllBytes(kept));
        assertTrue(ref.installedByControl());
        assertTrue(control.isPersisted(TestJars.PREFIX + "a", "1.0.0"));
        assertEquals(kept, control.find(TestJars.PREFIX + "a").orElseThrow().persisted());
    }

    @Test
    void installWithoutPersistLeavesTheFolderAlone() throws Exception {
        BundleControl.BundleRef ref = control.install(TestJars.bundle(dir.resolve("a.jar"), "a"), false);
        assertNull(ref.persisted());
        assertFalse(control.isPersisted(TestJars.PREFIX + "a", "1.0.0"));
        assertFalse(Files.exists(folder));
        control.close(); // the client stops: what it installed goes
        assertFalse(installed("a"));
    }

    @Test
    void uninstallOfAPersistedBundleDeletesItsJar() throws Exception {
        BundleControl.BundleRef ref = control.install(TestJars.bundle(dir.resolve("a.jar"), "a"), true);
        assertTrue(Files.exists(ref.persisted()));
        control.uninstall(ref);
        assertFalse(Files.exists(ref.persisted()));
        assertFalse(installed("a"));
        assertEquals(List.of(), new PersistedPlugins(folder).jars());
    }

    @Test
    void aPersistedInstallThatDoesNotResolveLeavesNothingInTheFolder() throws Exception {
        Path jar = TestJars.bundle(dir.resolve("broken.jar"), "broken", "Import-Package", "org.example.does.not.exist");
        BundleControl.BundleControlException e = assertThrows(BundleControl.BundleControlException.class,
                () -> control.install(jar, true));
        assertTrue(e.getMessage().contains("does not resolve"), e::getMessage);
        assertEquals(List.of(), new PersistedPlugins(folder).jars());
        assertFalse(installed("broken"));
    }

    @Test
    void aPersistedInstallOfAJarThatIsNoBundleLeavesNothingInTheFolder() throws Exception {
        Path jar = TestJars.jar(dir.resolve("plain.jar"), "Implementation-Title", "x");
        assertThrows(BundleControl.BundleControlException.class, () -> control.install(jar, true));
        assertFalse(Files.exists(folder));
    }

    /** The case of issue 15: a jar named org.stampede.engine 99.0.0, installed through the control protocol. */
    @Test
    void aJarNamedAsOneOfTheClientsBundlesIsRefusedThroughTheControlProtocolAndNothingIsInstalledOrKept()
            throws Exception {
        Path jar = TestJars.plugin(dir.resolve("stampede-test-engine.jar"), "org.stampede.engine", "99.0.0");
        ControlDispatcher d = new ControlDispatcher(ControlFakes.TOKEN, new ControlFakes.Target(), control, 100);
        com.google.gson.JsonObject request = new com.google.gson.JsonObject();
        request.addProperty("token", ControlFakes.TOKEN);
        request.addProperty("op", "install");
        request.addProperty("path", jar.toString());
        request.addProperty("persist", true);
        String error = ControlDispatcherTest.assertError(
                com.google.gson.JsonParser.parseString(d.handle(request.toString())).getAsJsonObject(),
                "org.stampede.engine is one of the client's own bundles");
        assertTrue(error.startsWith("install: " + jar + ": org.stampede.engine 99.0.0 is refused: "), error);
        assertNull(context.getBundle(jar.toUri().toString()), "nothing installed");
        assertFalse(Files.exists(folder), "nothing kept");
        for (Bundle b : context.getBundles()) {
            if ("org.stampede.engine".equals(b.getSymbolicName())) {
                assertFalse(b.getVersion().toString().startsWith("99."), "the engine is the client's");
            }
        }
    }

    @Test
    void aBundleThatIsNoPlugInIsRefusedBeforeAnythingIsInstalled() throws Exception {
        Path jar = TestJars.plainBundle(dir.resolve("library.jar"), "library");
        BundleControl.BundleControlException e = assertThrows(BundleControl.BundleControlException.class,
                () -> control.install(jar, false));
        assertTrue(e.getMessage().contains("is not a plug-in"), e::getMessage);
        assertFalse(installed("library"));
    }

    @Test
    void whenTheJarCannotBeKeptTheBundleIsUninstalledAgain() throws Exception {
        Path file = Files.writeString(dir.resolve("data"), "a file where the data folder should be");
        OsgiBundleControl blocked = new OsgiBundleControl(context, new PersistedPlugins(file.resolve("plugins")));
        Path jar = TestJars.bundle(dir.resolve("a.jar"), "a");
        BundleControl.BundleControlException e = assertThrows(BundleControl.BundleControlException.class,
                () -> blocked.install(jar, true));
        assertTrue(e.getMessage().contains("could not be copied into the folder of persisted plug-ins"), e::getMessage);
        assertTrue(e.getMessage().endsWith("so it was uninstalled again"), e::getMessage);
        assertFalse(installed("a"));
    }

    @Test
    void aBundleInstalledFromTheFolderAtTheStartIsPersistedAndUninstallable() throws Exception {
        Path kept = new PersistedPlugins(folder).add(TestJars.bundle(dir.resolve("a.jar"), "a"), TestJars.PREFIX + "a",
                "1.0.0");
        List<String> warnings = new java.util.ArrayList<>();
        new PersistedPlugins(folder).installAll(context, warnings::add);
        assertEquals(List.of(), warnings);
        BundleControl.BundleRef ref = control.find(TestJars.PREFIX + "a").orElseThrow();
        assertEquals(kept, ref.persisted());
        assertTrue(ref.installedByControl(), "a plug-in that registers no service may be uninstalled too");
        control.uninstall(ref);
        assertFalse(Files.exists(kept));
        assertFalse(installed("a"));
    }
}
