package org.stampede.ui.app.internal;

import org.eclipse.core.runtime.ILog;
import org.eclipse.equinox.app.IApplication;
import org.eclipse.equinox.app.IApplicationContext;
import org.eclipse.swt.widgets.Display;
import org.eclipse.ui.IWorkbench;
import org.eclipse.ui.PlatformUI;
import org.osgi.framework.Bundle;
import org.osgi.framework.FrameworkUtil;
import org.osgi.framework.ServiceRegistration;
import org.stampede.cli.plugins.PersistedPlugins;

/**
 * The Stampede desktop application: installs the persisted plug-ins (those of {@code stampede control install
 * --persist}), creates the display and runs the workbench until it closes. While it runs, the {@link PersistedPlugins}
 * it installed from is a service: the Strategies view keeps plug-ins there (its "Keep after restart"), which it offers
 * only where such a service says that a start installs them (not in an Eclipse IDE).
 */
public final class GuiApplication implements IApplication {
    @Override
    public Object start(IApplicationContext context) {
        Bundle bundle = FrameworkUtil.getBundle(GuiApplication.class);
        ServiceRegistration<PersistedPlugins> registration = null;
        if (bundle != null && bundle.getBundleContext() != null) {
            PersistedPlugins persisted = PersistedPlugins.fromEnvironment();
            persisted.installAll(bundle.getBundleContext(), message -> {
                System.err.println("stampede: warning: " + message);
                ILog.of(bundle).warn(message);
            });
            registration = bundle.getBundleContext().registerService(PersistedPlugins.class, persisted, null);
        }
        Display display = PlatformUI.createDisplay();
        try {
            int code = PlatformUI.createAndRunWorkbench(display, new GuiWorkbenchAdvisor());
            return code == PlatformUI.RETURN_RESTART ? EXIT_RESTART : EXIT_OK;
        } finally {
            display.dispose();
            if (registration != null) {
                try {
                    registration.unregister();
                } catch (IllegalStateException e) {
                    // the bundle stopped first, which unregistered it
                }
            }
        }
    }

    @Override
    public void stop() {
        if (!PlatformUI.isWorkbenchRunning()) {
            return;
        }
        IWorkbench workbench = PlatformUI.getWorkbench();
        Display display = workbench.getDisplay();
        display.syncExec(() -> {
            if (!display.isDisposed()) {
                workbench.close();
            }
        });
    }
}
