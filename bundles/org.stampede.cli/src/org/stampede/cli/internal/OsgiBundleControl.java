package org.stampede.cli.internal;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.jar.JarFile;
import java.util.jar.Manifest;
import java.util.zip.ZipEntry;
import java.util.zip.ZipException;
import java.util.zip.ZipFile;

import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.BundleException;
import org.osgi.framework.Constants;
import org.osgi.framework.ServiceReference;
import org.osgi.framework.wiring.FrameworkWiring;
import org.stampede.api.ChokerFactory;
import org.stampede.api.PiecePickerFactory;
import org.stampede.cli.plugins.PersistedPlugins;

/**
 * {@link BundleControl} in the OSGi framework. Bundles installed through it last as long as the client: they are
 * uninstalled again when it stops ({@link #close}), so that the next start runs the product as assembled (and
 * {@code ./stampede} gives every run a framework cache of its own besides). Those installed with {@code persist} are
 * copied into the folder of {@link PersistedPlugins}, which every start installs.
 */
final class OsgiBundleControl implements BundleControl, AutoCloseable {
    static final long REFRESH_WAIT_MILLIS = 10_000;
    /** A bundle manifest is a few KiB; this bounds what a hostile jar can make us read. */
    static final int MAX_MANIFEST = 1 << 20;

    /** The services that make a bundle a plug-in: strategies and the engine's SPI (named: the CLI needs no SPI). */
    static final Set<String> PLUGIN_SERVICES = Set.of(PiecePickerFactory.class.getName(),
            ChokerFactory.class.getName(), "org.stampede.spi.Transport", "org.stampede.spi.TransportLayer",
            "org.stampede.spi.PeerSource", "org.stampede.spi.Extension");

    private final BundleContext context;
    private final PersistedPlugins persisted;
    private final Set<Long> installedHere = ConcurrentHashMap.newKeySet();

    OsgiBundleControl(BundleContext context, PersistedPlugins persisted) {
        this.context = context;
        this.persisted = persisted;
    }

    @Override
    public BundleRef install(Path jar, boolean persist) throws BundleControlException {
        String location = jar.toUri().toString();
        Bundle existing = context.getBundle(location);
        if (existing != null) {
            throw new BundleControlException(jar + " is installed already (bundle " + existing.getBundleId() + ")");
        }
        checkIsBundle(jar);
        Bundle b;
        try {
            b = context.installBundle(location);
        } catch (BundleException | RuntimeException e) {
            throw new BundleControlException(jar + ": not installable as a bundle: " + Cli.oneLine(e.getMessage()));
        }
        if (b.getSymbolicName() == null) {
            remove(b);
            throw new BundleControlException(jar + ": not an OSGi bundle (its manifest has no Bundle-SymbolicName)");
        }
        try {
            b.start(Bundle.START_ACTIVATION_POLICY);
        } catch (BundleException | RuntimeException e) {
            String what = b.getSymbolicName() + " " + b.getVersion();
            remove(b);
            throw new BundleControlException(what + " does not "
                    + (e instanceof BundleException be && be.getType() == BundleException.RESOLVE_ERROR ? "resolve"
                            : "start")
                    + ", so it was uninstalled again: " + Cli.oneLine(e.getMessage()));
        }
        installedHere.add(b.getBundleId());
        if (persist) {
            try {
                persisted.keep(b, jar);
            } catch (IOException | RuntimeException e) {
                String what = b.getSymbolicName() + " " + b.getVersion();
                installedHere.remove(b.getBundleId());
                remove(b);
                throw new BundleControlException(what + " installed, but its jar could not be copied into the folder of"
                        + " persisted plug-ins " + persisted.folder() + " (" + Cli.oneLine(String.valueOf(e.getMessage()))
                        + "), so it was uninstalled again");
            }
        }
        return ref(b);
    }

    /** Refuses, with a clear message, a file that is not a jar or whose manifest names no bundle. */
    static void checkIsBundle(Path jar) throws BundleControlException {
        try (ZipFile zip = new ZipFile(jar.toFile())) {
            ZipEntry entry = zip.getEntry(JarFile.MANIFEST_NAME);
            if (entry == null) {
                throw new BundleControlException(jar + ": not an OSGi bundle (the jar has no " + JarFile.MANIFEST_NAME
                        + ")");
            }
            byte[] bytes;
            try (InputStream in = zip.getInputStream(entry)) {
                bytes = in.readNBytes(MAX_MANIFEST + 1); // bounded, whatever size the entry claims
            }
            if (bytes.length > MAX_MANIFEST) {
                throw new BundleControlException(jar + ": not an OSGi bundle (its manifest is larger than "
                        + MAX_MANIFEST + " bytes)");
            }
            Manifest manifest = new Manifest(new ByteArrayInputStream(bytes));
            if (manifest.getMainAttributes().getValue(Constants.BUNDLE_SYMBOLICNAME) == null) {
                throw new BundleControlException(jar + ": not an OSGi bundle (its manifest has no "
                        + Constants.BUNDLE_SYMBOLICNAME + ")");
            }
        } catch (ZipException e) {
            throw new BundleControlException(jar + ": not a jar file (" + Cli.oneLine(e.getMessage()) + ")");
        } catch (IOException | RuntimeException e) {
            throw new BundleControlException(jar + ": not readable as a jar (" + Cli.oneLine(e.getMessage()) + ")");
        }
    }

    @Override
    public Optional<BundleRef> find(String idOrSymbolicName) throws BundleControlException {
        if (idOrSymbolicName.matches("[0-9]{1,18}")) {
            Bundle b = context.getBundle(Long.parseLong(idOrSymbolicName));
            return b == null || b.getBundleId() == 0 ? Optional.empty() : Optional.of(ref(b));
        }
        List<Bundle> named = new ArrayList<>();
        for (Bundle b : context.getBundles()) {
            if (idOrSymbolicName.equals(b.getSymbolicName()) && b.getBundleId() != 0) {
                named.add(b);
            }
        }
        if (named.size() > 1) {
            throw new BundleControlException(named.size() + " bundles are named " + idOrSymbolicName + " (ids "
                    + named.stream().map(b -> String.valueOf(b.getBundleId())).toList() + "); give the id");
        }
        return named.isEmpty() ? Optional.empty() : Optional.of(ref(named.get(0)));
    }

    @Override
    public boolean uninstall(BundleRef ref) throws BundleControlException {
        Bundle b = context.getBundle(ref.id());
        if (b == null) {
            throw new BundleControlException("bundle " + ref.id() + " is not installed any more");
        }
        if (b.getBundleId() == 0 || b.equals(context.getBundle())) {
            throw new BundleControlException(ref.symbolicName() + " is part of the running client");
        }
        if (ref.persisted() != null) {
            try {
                persisted.forget(b);
            } catch (IOException | RuntimeException e) {
                throw new BundleControlException(ref.symbolicName() + ": cannot delete its persisted jar "
                        + ref.persisted() + " (" + Cli.oneLine(String.valueOf(e.getMessage()))
                        + "), so nothing was uninstalled");
            }
        }
        try {
            b.uninstall();
        } catch (BundleException | RuntimeException e) {
            throw new BundleControlException(ref.symbolicName() + ": " + Cli.oneLine(e.getMessage()));
        }
        installedHere.remove(ref.id());
        return refresh(b);
    }

    @Override
    public boolean isPersisted(String symbolicName, String version) {
        for (Bundle b : context.getBundles()) {
            if (symbolicName.equals(b.getSymbolicName()) && version.equals(b.getVersion().toString())
                    && persistedJar(b) != null) {
                return true;
            }
        }
        return false;
    }

    /** The persisted jar {@code b} came from (installed here with persist, or at the start from the folder), if any. */
    private Path persistedJar(Bundle b) {
        return persisted.persistedJar(b).orElse(null);
    }

    private BundleRef ref(Bundle b) {
        boolean strategies = false;
        ServiceReference<?>[] services = b.getRegisteredServices();
        if (services != null) {
            for (ServiceReference<?> s : services) {
                Object classes = s.getProperty(Constants.OBJECTCLASS);
                if (classes instanceof String[] names) {
                    for (String n : names) {
                        strategies |= PLUGIN_SERVICES.contains(n);
                    }
                }
            }
        }
        return new BundleRef(b.getBundleId(), b.getSymbolicName(), b.getVersion().toString(), strategies,
                installedHere.contains(b.getBundleId()) || persisted.jarOf(b.getLocation()).isPresent(),
                persistedJar(b));
    }

    private void remove(Bundle b) {
        try {
            b.uninstall();
            refresh(b);
        } catch (BundleException | RuntimeException e) {
            // reported by the caller's message; nothing more to undo
        }
    }

    /** Refreshes the wiring after {@code b} went away; returns whether it finished within the bounded wait. */
    private boolean refresh(Bundle b) {
        FrameworkWiring wiring = context.getBundle(Constants.SYSTEM_BUNDLE_LOCATION).adapt(FrameworkWiring.class);
        CountDownLatch done = new CountDownLatch(1);
        wiring.refreshBundles(List.of(b), event -> done.countDown());
        try {
            return done.await(REFRESH_WAIT_MILLIS, TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    /** Uninstalls the bundles installed through this that are still there. */
    @Override
    public void close() {
        for (Long id : List.copyOf(installedHere)) {
            Bundle b = context.getBundle(id);
            if (b != null) {
                remove(b);
            }
        }
        installedHere.clear();
    }
}
