package org.stampede.cli.internal;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.BundleException;
import org.osgi.framework.Constants;
import org.osgi.framework.wiring.FrameworkWiring;
import org.stampede.cli.plugins.PersistedPlugins;
import org.stampede.cli.plugins.PluginJar;

/**
 * {@link BundleControl} in the OSGi framework. Bundles installed through it last as long as the client: they are
 * uninstalled again when it stops ({@link #close}), so that the next start runs the product as assembled (and
 * {@code ./stampede} gives every run a framework cache of its own besides). Those installed with {@code persist} are
 * copied into the folder of {@link PersistedPlugins}, which every start installs. What may be installed is decided by
 * {@link PluginJar}, as in the desktop client.
 */
final class OsgiBundleControl implements BundleControl, AutoCloseable {
    static final long REFRESH_WAIT_MILLIS = 10_000;

    private final BundleContext context;
    private final PersistedPlugins persisted;
    private final Set<Long> installedHere = ConcurrentHashMap.newKeySet();

    OsgiBundleControl(BundleContext context, PersistedPlugins persisted) {
        this.context = context;
        this.persisted = persisted;
    }

    @Override
    public BundleRef install(Path jar, boolean persist) throws BundleControlException {
        Bundle b;
        try {
            b = PluginJar.read(jar).install(context); // the rules the desktop client and the start apply too
        } catch (PluginJar.Refused e) {
            throw new BundleControlException(e.getMessage());
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
        return new BundleRef(b.getBundleId(), b.getSymbolicName(), b.getVersion().toString(), PluginJar.isPlugin(b),
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
