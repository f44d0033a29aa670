package org.stampede.cli.plugins;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;

/**
 * The rules every plug-in install goes by (the control channel, its command, the desktop client, the persisted
 * plug-ins at a start): what the path is, told without opening it; a jar; a bundle; a plug-in; not the name of an
 * installed bundle. Each refusal says which rule, naming the path.
 */
@Timeout(value = 60, threadMode = Timeout.ThreadMode.SEPARATE_THREAD) // a FIFO or /dev/zero read would never end
class PluginJarTest {
    @TempDir
    Path dir;

    @AfterEach
    void uninstall() throws Exception {
        TestJars.uninstallAll();
    }

    private static String refusal(Path jar) {
        return assertThrows(PluginJar.Refused.class, () -> PluginJar.read(jar)).getMessage();
    }

    @Test
    void aFolderIsRefusedAsAFolder() {
        assertEquals(dir + " is a folder, not a jar file", refusal(dir));
    }

    @Test
    void devZeroIsRefusedAsADeviceWithoutReadingIt() {
        assertEquals("/dev/zero is a character device, not a jar file", refusal(Path.of("/dev/zero")));
    }

    @Test
    void aFifoIsRefusedWithoutOpeningIt() throws Exception {
        Path fifo = dir.resolve("plugin.jar");
        Process p = new ProcessBuilder("mkfifo", fifo.toString()).inheritIO().start();
        assertTrue(p.waitFor(30, TimeUnit.SECONDS) && p.exitValue() == 0, "mkfifo");
        // opening it to read would wait for a writer that never comes
        assertEquals(fifo + " is a FIFO (named pipe), not a jar file", refusal(fifo));
    }

    @Test
    void aMissingPathAndADanglingLinkAreRefusedAsSuch() throws Exception {
        assertEquals(dir.resolve("none.jar") + ": no such file", refusal(dir.resolve("none.jar")));
        Path link = Files.createSymbolicLink(dir.resolve("link.jar"), dir.resolve("gone.jar"));
        assertEquals(link + " is a symbolic link to " + dir.resolve("gone.jar") + ", which does not exist",
                refusal(link));
    }

    @Test
    void anEmptyFileAndAFileThatIsNoZipAreRefusedAsNoJar() throws Exception {
        Path empty = Files.createFile(dir.resolve("empty.jar"));
        assertEquals(empty + " is empty, not a jar file", refusal(empty));
        Path text = Files.writeString(dir.resolve("text.jar"), "not a zip file");
        assertTrue(refusal(text).startsWith(text + ": not a jar file ("), refusal(text));
    }

    @Test
    void aJarThatIsNoBundleOrNoPlugInIsRefusedAsSuch() throws Exception {
        Path plain = TestJars.jar(dir.resolve("plain.jar"), "Implementation-Title", "x");
        assertEquals(plain + ": not an OSGi bundle (its manifest has no Bundle-SymbolicName)", refusal(plain));
        Path library = TestJars.plainBundle(dir.resolve("library.jar"), "library");
        assertTrue(refusal(library).startsWith(library + ": " + TestJars.PREFIX + "library 1.0.0 is not a plug-in:"),
                refusal(library));
        Path other = TestJars.jar(dir.resolve("other.jar"),
                Map.of("OSGI-INF/c.xml", TestJars.component("x.C", "java.lang.Runnable")), "Bundle-SymbolicName",
                TestJars.PREFIX + "other", "Service-Component", "OSGI-INF/c.xml");
        assertTrue(refusal(other).contains("is not a plug-in"), refusal(other));
        Path badVersion = TestJars.plugin(dir.resolve("v.jar"), TestJars.PREFIX + "v", "one");
        assertTrue(refusal(badVersion).contains("has an invalid Bundle-Version"), refusal(badVersion));
    }

    @Test
    void aPlugInIsReadWithTheServicesItsComponentsProvideWildcardsIncluded() throws Exception {
        PluginJar one = PluginJar.read(TestJars.bundle(dir.resolve("a.jar"), "a"));
        assertEquals(TestJars.PREFIX + "a", one.symbolicName());
        assertEquals("1.0.0", one.version());
        assertEquals(List.of("org.stampede.spi.PeerSource"), one.services());
        Path two = TestJars.jar(dir.resolve("b.jar"),
                Map.of("OSGI-INF/p.xml", TestJars.component("b.P", "org.stampede.api.PiecePickerFactory"),
                        "OSGI-INF/t.xml", TestJars.component("b.T", "org.stampede.tracker.TrackerClientFactory"),
                        "OSGI-INF/sub/x.xml", TestJars.component("b.X", "org.stampede.spi.Extension")),
                "Bundle-SymbolicName", TestJars.PREFIX + "b;singleton:=true", "Bundle-Version", "2.1.0.v1",
                "Service-Component", "OSGI-INF/*.xml");
        PluginJar b = PluginJar.read(two);
        assertEquals(TestJars.PREFIX + "b", b.symbolicName());
        assertEquals("2.1.0.v1", b.version());
        assertEquals(List.of("org.stampede.api.PiecePickerFactory", "org.stampede.tracker.TrackerClientFactory"),
                b.services(), "the wildcard matches its folder only");
    }

    @Test
    void aManifestLargerThanTheBoundIsRefusedUnread() throws Exception {
        Path big = TestJars.plugin(dir.resolve("big.jar"), TestJars.PREFIX + "big", "1.0.0", "X-Padding",
                "x".repeat(PluginJar.MAX_ENTRY));
        assertTrue(refusal(big).endsWith("its manifest is larger than " + PluginJar.MAX_ENTRY + " bytes"),
                refusal(big));
    }

    @Test
    void aPlugInNamedAsOneOfTheClientsOwnBundlesIsRefusedAndNotInstalled() throws Exception {
        BundleContext context = TestJars.context();
        for (String own : List.of("org.stampede.engine", "org.stampede.api", "org.eclipse.osgi")) {
            Path jar = TestJars.plugin(dir.resolve("stampede-test-" + own + ".jar"), own, "99.0.0");
            PluginJar p = PluginJar.read(jar);
            Bundle installed = null;
            for (Bundle b : context.getBundles()) {
                if (own.equals(b.getSymbolicName())) {
                    installed = b;
                }
            }
            String why = assertThrows(PluginJar.Refused.class, () -> p.install(context)).getMessage();
            assertEquals(jar + ": " + own + " 99.0.0 is refused: " + own + " is one of the client's own bundles"
                    + " (version " + installed.getVersion() + ", bundle " + installed.getBundleId()
                    + "), which no plug-in may replace", why);
            assertNull(context.getBundle(jar.toUri().toString()), "nothing installed");
        }
    }

    @Test
    void anotherVersionOfAnInstalledPlugInIsRefusedUntilItIsUninstalled() throws Exception {
        BundleContext context = TestJars.context();
        Bundle first = PluginJar.read(TestJars.bundle(dir.resolve("v1.jar"), "twice")).install(context);
        Path v2 = TestJars.plugin(dir.resolve("v2.jar"), TestJars.PREFIX + "twice", "2.0.0");
        String why = assertThrows(PluginJar.Refused.class, () -> PluginJar.read(v2).install(context)).getMessage();
        assertEquals(v2 + ": " + TestJars.PREFIX + "twice 2.0.0 is refused: the plug-in " + TestJars.PREFIX
                + "twice 1.0.0 is installed (bundle " + first.getBundleId() + "); uninstall it first", why);
        first.uninstall();
        Bundle second = PluginJar.read(v2).install(context);
        assertEquals("2.0.0", second.getVersion().toString());
    }
}
