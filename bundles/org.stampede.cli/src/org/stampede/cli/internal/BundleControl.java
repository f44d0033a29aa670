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
     * @param providesStrategies whether it registers plug-in services: strategies, transports, transport layers,
     *                           peer sources or extensions
     */
    record BundleRef(long id, String symbolicName, String version, boolean providesStrategies,
            boolean installedByControl) {
    }

    /** A bundle operation failed; the message says what and why. */
    final class BundleControlException extends Exception {
        private static final long serialVersionUID = 1L;

        BundleControlException(String message) {
            super(message);
        }
    }

    /**
     * Installs the bundle in {@code jar} (an absolute path) and starts it; a jar that is not a bundle, or a bundle that
     * does not resolve or start, is uninstalled again and reported.
     */
    BundleRef install(Path jar) throws BundleControlException;

    /**
     * The bundle with this id (all digits) or symbolic name, if installed.
     *
     * @throws BundleControlException when several versions of that symbolic name are installed
     */
    Optional<BundleRef> find(String idOrSymbolicName) throws BundleControlException;

    /**
     * Uninstalls the bundle and refreshes the framework's wiring, waiting a bounded time for the refresh.
     *
     * @return whether the refresh finished within that time
     */
    boolean uninstall(BundleRef bundle) throws BundleControlException;
}
