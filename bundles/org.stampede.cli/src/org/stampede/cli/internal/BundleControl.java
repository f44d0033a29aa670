package org.stampede.cli.internal;

import java.nio.file.Path;
import java.util.Optional;

/**
 * Installs and uninstalls bundles for the control channel. {@link OsgiBundleControl} does it in the framework; the
 * tests use a fake. Which bundles may be uninstalled is decided by {@link ControlDispatcher} from what
 * {@link #find} tells.
 */
interface BundleControl {
    /**
     * A bundle as the control channel sees it.
     *
     * @param providesStrategies whether it is a plug-in ({@link org.stampede.cli.plugins.PluginJar#isPlugin}): it
     *                           registers or declares plug-in services: strategies, transports, transport layers,
     *                           peer sources, extensions or tracker clients
     * @param installedByControl whether it was installed through the control channel, in this run or (persisted)
     *                           in an earlier one
     * @param persisted          its jar in the folder of persisted plug-ins, installed at every start; null when it
     *                           lasts as long as the client
     */
    record BundleRef(long id, String symbolicName, String version, boolean providesStrategies,
            boolean installedByControl, Path persisted) {
        BundleRef(long id, String symbolicName, String version, boolean providesStrategies,
                boolean installedByControl) {
            this(id, symbolicName, version, providesStrategies, installedByControl, null);
        }
    }

    /** A bundle operation failed; the message says what and why. */
    final class BundleControlException extends Exception {
        private static final long serialVersionUID = 1L;

        BundleControlException(String message) {
            super(message);
        }
    }

    /**
     * Installs the bundle in {@code jar} (an absolute path) and starts it; a jar that is no installable plug-in
     * ({@link org.stampede.cli.plugins.PluginJar}) is refused before anything is installed, a bundle that does not
     * resolve or start is uninstalled again and reported. With {@code persist}, the jar is then copied into
     * the folder of persisted plug-ins (the reply's {@link BundleRef#persisted}), so that every later start of a client
     * installs it too; when the copy fails the bundle is uninstalled again and that is reported: a failed install
     * leaves nothing in the folder.
     */
    BundleRef install(Path jar, boolean persist) throws BundleControlException;

    /**
     * The bundle with this id (all digits) or symbolic name, if installed.
     *
     * @throws BundleControlException when several versions of that symbolic name are installed
     */
    Optional<BundleRef> find(String idOrSymbolicName) throws BundleControlException;

    /**
     * Uninstalls the bundle and refreshes the framework's wiring, waiting a bounded time for the refresh. A persisted
     * bundle's jar ({@link BundleRef#persisted}) is deleted from the folder first; when that fails nothing is
     * uninstalled.
     *
     * @return whether the refresh finished within that time
     */
    boolean uninstall(BundleRef bundle) throws BundleControlException;

    /** Whether the installed bundle of this symbolic name and version was installed from a persisted jar. */
    default boolean isPersisted(String symbolicName, String version) {
        return false;
    }
}
