package org.stampede.cli.plugins;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.lang.reflect.Proxy;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.BundleException;

/**
 * The folder of persisted plug-ins: where it is, what it holds, and installing it at a start in the framework the
 * tests run in (bundles made of a manifest alone), broken jars skipped with a message naming them.
 */
class PersistedPluginsTest {
    static final Duration GUARD = Duration.ofSeconds(30);

    @TempDir
    Path dir;

    final List<String> warnings = new CopyOnWriteArrayList<>();

    @AfterEach
    void uninstall() throws BundleException {
        TestJars.uninstallAll();
    }

    @Test
    void stampedeDataDirNamesTheDataFolder() {
        assertEquals(Path.of("/d/plugins"),
                PersistedPlugins.folder(Map.of("STAMPEDE_DATA_DIR", "/d", "XDG_DATA_HOME", "/x"), "/home/u"));
    }

    @Test
    void withoutItTheXdgDataFolderOrTheHomeFolder() {
        assertEquals(Path.of("/x/stampede/plugins"), PersistedPlugins.folder(Map.of("XDG_DATA_HOME", "/x"), "/home/u"));
        assertEquals(Path.of("/home/u/.local/share/stampede/plugins"), PersistedPlugins.folder(Map.of(), "/home/u"));
        // the XDG specification: a relative XDG_DATA_HOME is invalid and ignored; so is an empty variable
        assertEquals(Path.of("/home/u/.local/share/stampede/plugins"),
                PersistedPlugins.folder(Map.of("XDG_DATA_HOME", "relative"), "/home/u"));
        assertEquals(Path.of("/home/u/.local/share/stampede/plugins"),
                PersistedPlugins.folder(Map.of("STAMPEDE_DATA_DIR", " "), "/home/u"));
    }

    @Test
    void aFolderThatDoesNotExistHoldsNoJars() throws IOException {
        assertEquals(List.of(), new PersistedPlugins(dir.resolve("none")).jars());
    }

    @Test
    void theJarsAreTheFolderJarsByNameWithoutHiddenOnes() throws IOException {
        Path folder = Files.createDirectories(dir.resolve("plugins"));
        Files.write(folder.resolve("b.jar"), new byte[1]);
        Files.write(folder.resolve("a.jar"), new byte[1]);
        Files.write(folder.resolve(".adding-123.jar"), new byte[1]);
        Files.write(folder.resolve("notes.txt"), new byte[1]);
        Files.createDirectories(folder.resolve("dir.jar"));
        assertEquals(List.of(folder.resolve("a.jar"), folder.resolve("b.jar")), new PersistedPlugins(folder).jars());
    }

    @Test
    void addCopiesTheJarIntoTheFolderUnderItsNameAndVersion() throws IOException {
        Path folder = dir.resolve("data/plugins");
        PersistedPlugins plugins = new PersistedPlugins(folder);
        Path jar = TestJars.bundle(dir.resolve("build/a.jar"), "a");
        Path copy = plugins.add(jar, "org.example.a", "1.0.0.v2024");
        assertEquals(folder.resolve("org.example.a_1.0.0.v2024.jar"), copy);
        assertArrayEquals(Files.readAllBytes(jar), Files.readAllBytes(copy));
        Files.writeString(jar, "another build");
        assertEquals(copy, plugins.add(jar, "org.example.a", "1.0.0.v2024"));
        assertEquals("another build", Files.readString(copy));
        assertEquals(List.of(copy), plugins.jars(), "no temporary file is left");
        try (var entries = Files.list(folder)) {
            assertEquals(1, entries.count());
        }
    }

    @Test
    void aBundleIsPersistedWhenItsLocationIsAJarOfTheFolder() throws IOException {
        Path folder = dir.resolve("plugins");
        PersistedPlugins plugins = new PersistedPlugins(folder);
        Path jar = folder.resolve("x_1.0.0.jar");
        assertEquals(Optional.of(jar), plugins.jarOf(jar.toUri().toString()), "present or not");
        assertEquals(Optional.empty(), plugins.jarOf(dir.resolve("x_1.0.0.jar").toUri().toString()));
        assertEquals(Optional.empty(), plugins.jarOf(folder.resolve("sub/x.jar").toUri().toString()));
        assertEquals(Optional.empty(), plugins.jarOf("reference:" + jar.toUri()));
        assertEquals(Optional.empty(), plugins.jarOf("initial@reference:file:plugins/x.jar"));
        assertEquals(Optional.empty(), plugins.jarOf(null));
    }

    @Test
    void fileNamesAreMadeSafe() {
        assertEquals("org.example_a_b", PersistedPlugins.fileName("org.example/a:b"));
        assertEquals("_..", PersistedPlugins.fileName(".."));
    }

    @Test
    void removeDeletesAJarOfTheFolderAndNothingElse() throws IOException {
        Path folder = Files.createDirectories(dir.resolve("plugins"));
        PersistedPlugins plugins = new PersistedPlugins(folder);
        Path jar = Files.write(folder.resolve("a.jar"), new byte[1]);
        Path outside = Files.write(dir.resolve("b.jar"), new byte[1]);
        plugins.remove(jar);
        assertFalse(Files.exists(jar));
        plugins.remove(jar); // gone already: nothing to do
        assertThrows(IOException.class, () -> plugins.remove(outside));
        assertTrue(Files.exists(outside));
    }

    @Test
    void keepCopiesTheJarOfAnInstalledBundleAndForgetDeletesTheCopy() throws Exception {
        PersistedPlugins plugins = new PersistedPlugins(dir.resolve("plugins"));
        Path jar = TestJars.bundle(dir.resolve("elsewhere/k.jar"), "k");
        Bundle b = TestJars.context().installBundle(jar.toUri().toString());
        assertEquals(Optional.empty(), plugins.persistedJar(b), "installed from elsewhere, not kept");

        Path copy = plugins.keep(b, jar);
        assertEquals(dir.resolve("plugins").resolve(TestJars.PREFIX + "k_1.0.0.jar"), copy);
        assertEquals(-1, Files.mismatch(jar, copy));
        assertEquals(Optional.of(copy), plugins.persistedJar(b), "found although the bundle's location is the original");
        assertEquals(Optional.empty(), new PersistedPlugins(dir.resolve("plugins")).persistedJar(b),
                "another instance knows only what the locations say");

        assertEquals(Optional.of(copy), plugins.forget(b));
        assertFalse(Files.exists(copy));
        assertTrue(Files.exists(jar), "the original stays");
        assertEquals(Optional.empty(), plugins.persistedJar(b));
        assertEquals(Optional.empty(), plugins.forget(b), "forgetting twice does nothing");
        assertEquals(Bundle.INSTALLED, b.getState(), "forget leaves the bundle alone");
    }

    @Test
    void aKeptJarDeletedByHandOrByRemoveIsNoLongerTheBundles() throws Exception {
        PersistedPlugins plugins = new PersistedPlugins(dir.resolve("plugins"));
        Path jar = TestJars.bundle(dir.resolve("elsewhere/k.jar"), "k");
        Bundle b = TestJars.context().installBundle(jar.toUri().toString());
        Path copy = plugins.keep(b, jar);
        Files.delete(copy);
        assertEquals(Optional.empty(), plugins.persistedJar(b), "by hand");
        plugins.keep(b, jar);
        plugins.remove(copy);
        assertEquals(Optional.empty(), plugins.persistedJar(b), "by remove");
    }

    @Test
    void aBundleInstalledFromTheFolderIsPersistedUntilForgotten() throws Exception {
        PersistedPlugins plugins = new PersistedPlugins(dir.resolve("plugins"));
        Path jar = TestJars.bundle(dir.resolve("plugins/f.jar"), "f");
        Bundle b = TestJars.context().installBundle(jar.toUri().toString());
        assertEquals(Optional.of(jar), plugins.persistedJar(b));
        assertEquals(Optional.of(jar), plugins.forget(b));
        assertFalse(Files.exists(jar));
        assertEquals(Optional.empty(), plugins.persistedJar(b));
    }

    @Test
    void aStartInstallsAndStartsTheJarsAndSkipsBrokenOnesNamingThem() throws Exception {
        Path folder = dir.resolve("plugins");
        Path ok = TestJars.bundle(folder.resolve("ok.jar"), "ok");
        Path unresolved = TestJars.bundle(folder.resolve("unresolved.jar"), "unresolved", "Import-Package",
                "org.example.does.not.exist");
        Path noName = TestJars.jar(folder.resolve("stampede-test-no-name.jar"), "Implementation-Title", "x");
        Path notAJar = Files.writeString(folder.resolve("noise.jar"), "not a zip file");
        BundleContext context = TestJars.context();
        List<Bundle> started = assertTimeoutPreemptively(GUARD,
                () -> new PersistedPlugins(folder).installAll(context, warnings::add, 20_000));

        assertEquals(List.of(TestJars.PREFIX + "ok"), started.stream().map(Bundle::getSymbolicName).toList());
        Bundle b = context.getBundle(ok.toUri().toString());
        assertNotNull(b);
        assertEquals(Bundle.ACTIVE, b.getState());
        assertEquals(3, warnings.size(), warnings::toString);
        // by name: noise.jar, then stampede-test-no-name.jar before installing; unresolved.jar when starting
        assertTrue(warnings.get(0).startsWith("skipped the persisted plug-in " + notAJar + ": not a jar file"),
                warnings::toString);
        assertTrue(warnings.get(1).startsWith("skipped the persisted plug-in " + noName + ": "), warnings::toString);
        assertTrue(warnings.get(2).startsWith("skipped the persisted plug-in " + unresolved + ": " + TestJars.PREFIX
                + "unresolved 1.0.0 does not resolve"), warnings::toString);
        assertTrue(warnings.get(2).contains("org.example.does.not.exist"), warnings::toString);
        for (String w : warnings) {
            assertFalse(w.contains("\n"), w);
        }
        for (Path broken : List.of(unresolved, noName, notAJar)) {
            assertNull(context.getBundle(broken.toUri().toString()), broken + " is left installed");
            assertTrue(Files.exists(broken), "a skipped jar stays where it is: " + broken);
        }
    }

    @Test
    void aStartSkipsJarsThatAreNoPlugInOrTakeTheNameOfAnInstalledBundle() throws Exception {
        Path folder = dir.resolve("plugins");
        Path engine = TestJars.plugin(folder.resolve("stampede-test-engine.jar"), "org.stampede.engine", "99.0.0");
        Path plain = TestJars.plainBundle(folder.resolve("stampede-test-plain.jar"), "plain");
        Path ok = TestJars.bundle(folder.resolve("stampede-test-v1.jar"), "twice");
        Path again = TestJars.plugin(folder.resolve("stampede-test-v2.jar"), TestJars.PREFIX + "twice", "2.0.0");
        BundleContext context = TestJars.context();
        List<Bundle> started = assertTimeoutPreemptively(GUARD,
                () -> new PersistedPlugins(folder).installAll(context, warnings::add, 20_000));

        assertEquals(List.of(ok.toUri().toString()), started.stream().map(Bundle::getLocation).toList());
        assertEquals(3, warnings.size(), warnings::toString);
        assertEquals("skipped the persisted plug-in " + engine + ": org.stampede.engine 99.0.0 is refused:"
                + " org.stampede.engine is one of the client's own bundles", warnings.get(0).split(" \\(version")[0]);
        assertTrue(warnings.get(1).startsWith("skipped the persisted plug-in " + plain + ": " + TestJars.PREFIX
                + "plain 1.0.0 is not a plug-in"), warnings::toString);
        assertTrue(warnings.get(2).startsWith("skipped the persisted plug-in " + again + ": " + TestJars.PREFIX
                + "twice 2.0.0 is refused: the plug-in " + TestJars.PREFIX + "twice 1.0.0 is installed"),
                warnings::toString);
        for (Path skipped : List.of(engine, plain, again)) {
            assertNull(context.getBundle(skipped.toUri().toString()), skipped + " is installed");
        }
    }

    @Test
    void aBundleInstalledAtAnEarlierStartIsStartedAgainNotInstalledTwice() throws Exception {
        Path folder = dir.resolve("plugins");
        TestJars.bundle(folder.resolve("ok.jar"), "ok");
        BundleContext context = TestJars.context();
        PersistedPlugins plugins = new PersistedPlugins(folder);
        long id = plugins.installAll(context, warnings::add, 20_000).get(0).getBundleId();
        assertEquals(id, plugins.installAll(context, warnings::add, 20_000).get(0).getBundleId());
        assertEquals(List.of(), warnings);
    }

    @Test
    void aBundleWhoseJarWasRemovedIsUninstalledAtTheNextStart() throws Exception {
        Path folder = dir.resolve("plugins");
        Path ok = TestJars.bundle(folder.resolve("ok.jar"), "ok");
        BundleContext context = TestJars.context();
        PersistedPlugins plugins = new PersistedPlugins(folder);
        plugins.installAll(context, warnings::add, 20_000);
        assertNotNull(context.getBundle(ok.toUri().toString()));
        Files.delete(ok);
        assertEquals(List.of(), plugins.installAll(context, warnings::add, 20_000));
        assertNull(context.getBundle(ok.toUri().toString()));
        assertEquals(List.of(), warnings);
    }

    @Test
    void anEmptyOrMissingFolderIsNoWork() {
        BundleContext failing = (BundleContext) Proxy.newProxyInstance(getClass().getClassLoader(),
                new Class<?>[] { BundleContext.class }, (proxy, method, args) -> {
                    if (method.getName().equals("getBundles")) {
                        return new Bundle[0];
                    }
                    throw new AssertionError("not expected: " + method.getName());
                });
        assertEquals(List.of(), new PersistedPlugins(dir.resolve("none")).installAll(failing, warnings::add, 1000));
        assertEquals(List.of(), warnings);
    }

    @Test
    void aPlugInWhoseStartHangsDoesNotHoldTheStartUp() throws Exception {
        Path folder = dir.resolve("plugins");
        Path jar = TestJars.bundle(folder.resolve("slow.jar"), "slow");
        CountDownLatch release = new CountDownLatch(1);
        Bundle slow = (Bundle) Proxy.newProxyInstance(getClass().getClassLoader(), new Class<?>[] { Bundle.class },
                (proxy, method, args) -> switch (method.getName()) {
                    case "getSymbolicName" -> TestJars.PREFIX + "slow";
                    case "getLocation" -> jar.toUri().toString();
                    case "start" -> {
                        release.await(60, TimeUnit.SECONDS); // an activator that does not return
                        yield null;
                    }
                    default -> throw new AssertionError("not expected: " + method.getName());
                });
        BundleContext context = (BundleContext) Proxy.newProxyInstance(getClass().getClassLoader(),
                new Class<?>[] { BundleContext.class }, (proxy, method, args) -> switch (method.getName()) {
                    case "getBundles" -> new Bundle[0];
                    case "getBundle" -> null;
                    case "installBundle" -> slow;
                    default -> throw new AssertionError("not expected: " + method.getName());
                });
        try {
            long t0 = System.nanoTime();
            List<Bundle> started = assertTimeoutPreemptively(GUARD,
                    () -> new PersistedPlugins(folder).installAll(context, warnings::add, 300));
            assertTrue(System.nanoTime() - t0 < TimeUnit.SECONDS.toNanos(10));
            assertEquals(List.of(), started);
            assertEquals(1, warnings.size(), warnings::toString);
            assertTrue(warnings.get(0).contains("still starting after 300 ms; going on without waiting"),
                    warnings::toString);
        } finally {
            release.countDown();
        }
    }
}
