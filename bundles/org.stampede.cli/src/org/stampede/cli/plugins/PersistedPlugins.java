package org.stampede.cli.plugins;

import java.io.IOException;
import java.net.URI;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;

import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.BundleException;

/**
 * The plug-ins that last: the bundles installed with {@code stampede control install --persist JAR}, kept as copies of
 * their jars in a folder outside the product, {@code ${STAMPEDE_DATA_DIR:-${XDG_DATA_HOME:-~/.local/share}/stampede}/plugins},
 * and installed and started at every start of the headless and desktop clients ({@link #installAll}). A bundle
 * installed without {@code --persist} lasts as long as the client (its framework cache is the run's own).
 * <p>
 * The folder's jars are those whose name ends with {@code .jar} and does not start with a dot (a copy on its way in is
 * a hidden temporary file, renamed into place when complete). A bundle is persisted when its location is the
 * {@code file:} URI of a jar in the folder, or when it was installed from elsewhere and {@link #keep kept} through this
 * instance. Removing the jar (by {@code control uninstall}, the Strategies view's Uninstall, or by hand) is what ends
 * it. The command line's control channel and the desktop client's Strategies view both keep and forget plug-ins
 * through this class; an instance is safe to use from several threads.
 */
public final class PersistedPlugins {
    /** The environment variable naming Stampede's data folder; the plug-ins are in its {@code plugins} folder. */
    public static final String DATA_DIR_ENV = "STAMPEDE_DATA_DIR";
    /** How long a start waits for the persisted plug-ins to install and start before it goes on without them. */
    public static final long START_WAIT_MILLIS = 10_000;

    private final Path folder;
    /** The bundles kept through {@link #keep} (installed from a jar elsewhere): their copies in the folder, by id. */
    private final Map<Long, Path> kept = new ConcurrentHashMap<>();

    /** The persisted plug-ins in {@code folder} (which need not exist yet). */
    public PersistedPlugins(Path folder) {
        this.folder = folder.toAbsolutePath().normalize();
    }

    /** The persisted plug-ins of this user, in the folder the environment names. */
    public static PersistedPlugins fromEnvironment() {
        return new PersistedPlugins(folder(System.getenv(), System.getProperty("user.home")));
    }

    /**
     * The plug-in folder: {@code $STAMPEDE_DATA_DIR/plugins}, else {@code $XDG_DATA_HOME/stampede/plugins} (an absolute
     * {@code XDG_DATA_HOME} only, as the XDG base directory specification asks), else
     * {@code ~/.local/share/stampede/plugins}.
     */
    static Path folder(Map<String, String> env, String userHome) {
        String data = env.get(DATA_DIR_ENV);
        if (data != null && !data.isBlank()) {
            return Path.of(data).resolve("plugins");
        }
        String xdg = env.get("XDG_DATA_HOME");
        if (xdg != null && !xdg.isBlank() && Path.of(xdg).isAbsolute()) {
            return Path.of(xdg, "stampede", "plugins");
        }
        return Path.of(userHome, ".local", "share", "stampede", "plugins");
    }

    public Path folder() {
        return folder;
    }

    /** The persisted jars, by name; none when the folder does not exist. */
    public List<Path> jars() throws IOException {
        if (!Files.isDirectory(folder)) {
            return List.of();
        }
        List<Path> jars = new ArrayList<>();
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(folder, "*.jar")) {
            for (Path p : entries) {
                if (!p.getFileName().toString().startsWith(".") && Files.isRegularFile(p)) {
                    jars.add(p);
                }
            }
        }
        jars.sort(null);
        return jars;
    }

    /** The jar of the folder that a bundle with this location was installed from, if it was one (present or not). */
    public Optional<Path> jarOf(String location) {
        if (location == null || !location.startsWith("file:")) {
            return Optional.empty();
        }
        Path p;
        try {
            p = Path.of(URI.create(location)).toAbsolutePath().normalize();
        } catch (IllegalArgumentException | java.nio.file.FileSystemNotFoundException e) {
            return Optional.empty();
        }
        String name = p.getFileName() == null ? "" : p.getFileName().toString();
        return folder.equals(p.getParent()) && name.endsWith(".jar") && !name.startsWith(".") ? Optional.of(p)
                : Optional.empty();
    }

    /**
     * Copies {@code jar} into the folder (created if need be) as {@code SYMBOLICNAME_VERSION.jar}, replacing a jar of
     * that name: through a hidden temporary file renamed into place, so that a client starting meanwhile sees the whole
     * jar or none.
     *
     * @return the copy
     */
    public Path add(Path jar, String symbolicName, String version) throws IOException {
        Files.createDirectories(folder);
        Path target = folder.resolve(fileName(symbolicName) + "_" + fileName(version) + ".jar");
        Path tmp = Files.createTempFile(folder, ".adding-", ".jar");
        try {
            Files.copy(jar, tmp, StandardCopyOption.REPLACE_EXISTING);
            try {
                Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            } catch (java.nio.file.AtomicMoveNotSupportedException e) {
                Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING);
            }
        } finally {
            Files.deleteIfExists(tmp);
        }
        return target;
    }

    /**
     * Keeps a bundle that was installed (and started) from {@code jar}: {@link #add adds} a copy of the jar to the
     * folder, so that every later start installs it, and remembers the bundle as kept, so that
     * {@link #persistedJar(Bundle)} finds the copy although the bundle's location is the original jar.
     *
     * @return the copy
     */
    public Path keep(Bundle bundle, Path jar) throws IOException {
        Path copy = add(jar, bundle.getSymbolicName(), bundle.getVersion().toString());
        kept.put(bundle.getBundleId(), copy);
        return copy;
    }

    /**
     * The persisted jar a bundle came from, while it is in the folder: the copy {@link #keep} made of it, or the jar of
     * the folder it was installed from (at a start, by {@link #installAll}).
     */
    public Optional<Path> persistedJar(Bundle bundle) {
        Path p = kept.get(bundle.getBundleId());
        if (p == null) {
            p = jarOf(bundle.getLocation()).orElse(null);
        }
        return p != null && Files.exists(p) ? Optional.of(p) : Optional.empty();
    }

    /**
     * Ends a bundle's persistence before it is uninstalled: deletes its jar from the folder
     * ({@link #persistedJar(Bundle)}), so that no later start installs it. Nothing happens to the bundle itself.
     *
     * @return the jar deleted; empty when the bundle was not persisted
     * @throws IOException when the jar cannot be deleted (the bundle is then still persisted)
     */
    public Optional<Path> forget(Bundle bundle) throws IOException {
        Optional<Path> jar = persistedJar(bundle);
        if (jar.isPresent()) {
            remove(jar.get());
        }
        kept.remove(bundle.getBundleId());
        return jar;
    }

    /** A symbolic name or version as part of a file name: characters other than letters, digits, '.', '-', '_' as '_'. */
    static String fileName(String s) {
        String safe = s.replaceAll("[^A-Za-z0-9._-]", "_");
        return safe.isEmpty() || safe.startsWith(".") ? "_" + safe : safe;
    }

    /** Deletes a jar of the folder (nothing when it is gone already); refuses a file outside the folder. */
    public void remove(Path jar) throws IOException {
        Path p = jar.toAbsolutePath().normalize();
        if (!folder.equals(p.getParent())) {
            throw new IOException(jar + " is not in the folder of persisted plug-ins " + folder);
        }
        Files.deleteIfExists(p);
        kept.values().remove(p);
    }

    /**
     * Installs every persisted jar and starts its bundle (lazily activated ones are started by their activation
     * policy), at the start of a client. Each jar is checked as an install is ({@link PluginJar}): a jar that is no
     * plug-in, or takes the name of an installed bundle, is not installed. A jar that is refused, or does not install,
     * resolve or start, is reported through
     * {@code warn} (one line naming its path and why) and left out; the others are installed anyway. Bundles of the
     * folder whose jar has gone are uninstalled (they can be there when the framework's cache outlives the runs).
     * Bounded: after {@link #START_WAIT_MILLIS} the client goes on without waiting for a plug-in whose start hangs.
     *
     * @return the bundles started
     */
    public List<Bundle> installAll(BundleContext context, Consumer<String> warn) {
        return installAll(context, warn, START_WAIT_MILLIS);
    }

    List<Bundle> installAll(BundleContext context, Consumer<String> warn, long waitMillis) {
        List<Path> jars;
        try {
            jars = jars();
        } catch (IOException | RuntimeException e) {
            warn.accept("cannot read the folder of persisted plug-ins " + folder + ": " + oneLine(e));
            return List.of();
        }
        List<Bundle> gone = new ArrayList<>();
        for (Bundle b : context.getBundles()) {
            if (jarOf(b.getLocation()).filter(p -> !Files.exists(p)).isPresent()) {
                gone.add(b);
            }
        }
        if (jars.isEmpty() && gone.isEmpty()) {
            return List.of(); // the usual case: nothing to do, no thread
        }
        CompletableFuture<List<Bundle>> done = new CompletableFuture<>();
        Thread t = new Thread(() -> {
            try {
                done.complete(install(context, jars, gone, warn));
            } catch (Throwable e) {
                done.completeExceptionally(e);
            }
        }, "stampede-persisted-plugins");
        t.setDaemon(true);
        t.start();
        try {
            return done.get(waitMillis, TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            warn.accept("the persisted plug-ins of " + folder + " are still starting after " + waitMillis
                    + " ms; going on without waiting for them");
        } catch (ExecutionException e) {
            warn.accept("the persisted plug-ins of " + folder + " could not be installed: " + oneLine(e.getCause()));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return List.of();
    }

    private List<Bundle> install(BundleContext context, List<Path> jars, List<Bundle> gone, Consumer<String> warn) {
        for (Bundle b : gone) {
            uninstallQuietly(b);
        }
        List<Bundle> installed = new ArrayList<>();
        List<Path> from = new ArrayList<>();
        for (Path jar : jars) {
            String location = jar.toUri().toString();
            try {
                Bundle b = context.getBundle(location); // from an earlier start, where the framework's cache lasts
                if (b == null) {
                    PluginJar plugin = PluginJar.read(jar); // the rules of an install: a jar put here by hand too
                    plugin.checkInstallable(context);
                    b = context.installBundle(location);
                }
                if (b.getSymbolicName() == null) {
                    uninstallQuietly(b);
                    warn.accept(skipped(jar) + "not an OSGi bundle (its manifest has no Bundle-SymbolicName)");
                    continue;
                }
                installed.add(b);
                from.add(jar);
            } catch (PluginJar.Refused e) {
                String why = e.getMessage();
                warn.accept(skipped(jar) + (why.startsWith(jar + ": ") ? why.substring(jar.toString().length() + 2)
                        : why.startsWith(jar + " ") ? "it" + why.substring(jar.toString().length()) : why));
            } catch (BundleException | RuntimeException e) {
                warn.accept(skipped(jar) + "it does not install: " + oneLine(e));
            }
        }
        // started once all are installed, so that persisted bundles may depend on each other
        List<Bundle> started = new ArrayList<>();
        for (int i = 0; i < installed.size(); i++) {
            Bundle b = installed.get(i);
            try {
                b.start(Bundle.START_ACTIVATION_POLICY);
                started.add(b);
            } catch (BundleException | RuntimeException e) {
                boolean resolve = e instanceof BundleException be && be.getType() == BundleException.RESOLVE_ERROR;
                uninstallQuietly(b);
                warn.accept(skipped(from.get(i)) + b.getSymbolicName() + " " + b.getVersion() + " does not "
                        + (resolve ? "resolve" : "start") + ": " + oneLine(e));
            }
        }
        return started;
    }

    private static String skipped(Path jar) {
        return "skipped the persisted plug-in " + jar + ": ";
    }

    private static void uninstallQuietly(Bundle b) {
        try {
            b.uninstall();
        } catch (BundleException | RuntimeException e) {
            // it stays installed for this run; the warning says it was skipped
        }
    }

    /** The message, with its cause's (the framework's "Error occurred installing a bundle." says little alone). */
    private static String oneLine(Throwable e) {
        String m = e.getMessage() == null ? e.toString() : e.getMessage();
        Throwable cause = e.getCause();
        if (cause != null && cause != e) {
            m += " (" + (cause.getMessage() == null ? cause.toString() : cause.getMessage()) + ")";
        }
        return m.replaceAll("[\\r\\n]+", " ").strip();
    }
}
