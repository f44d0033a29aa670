package org.stampede.cli.internal;

import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.FrameworkUtil;
import org.osgi.util.tracker.ServiceTracker;

/** Finds OSGi services for a command, once at its start (never on a per-block path). */
final class Services {
    private Services() {
    }

    /** The service, waiting up to {@code timeoutMillis} for Declarative Services to bring it up. */
    static <T> T get(Class<T> type, long timeoutMillis) throws Exception {
        Bundle bundle = FrameworkUtil.getBundle(Services.class);
        BundleContext context = bundle == null ? null : bundle.getBundleContext();
        if (context == null) {
            throw new IllegalStateException("not running in an OSGi framework: no " + type.getSimpleName());
        }
        ServiceTracker<T, T> tracker = new ServiceTracker<>(context, type, null);
        tracker.open();
        T service = tracker.waitForService(timeoutMillis);
        if (service == null) {
            tracker.close();
            throw new IllegalStateException("no " + type.getSimpleName() + " service: is its bundle installed?");
        }
        return service;
    }
}
