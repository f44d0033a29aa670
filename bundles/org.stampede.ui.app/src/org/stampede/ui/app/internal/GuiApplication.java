package org.stampede.ui.app.internal;

import org.eclipse.core.runtime.ILog;
import org.eclipse.equinox.app.IApplication;
import org.eclipse.equinox.app.IApplicationContext;
import org.eclipse.swt.widgets.Display;
import org.eclipse.ui.IWorkbench;
import org.eclipse.ui.PlatformUI;
import org.osgi.framework.Bundle;
import org.osgi.framework.FrameworkUtil;
import org.stampede.cli.plugins.PersistedPlugins;

/**
 * The Stampede desktop application: installs the persisted plug-ins (those of {@code stampede control install
 * --persist}), creates the display and runs the workbench until it closes.
 */
public final class GuiApplication implements IApplication {
    @Override
    public Object start(IApplicationContext context) {
        Bundle bundle = FrameworkUtil.getBundle(GuiApplication.class);
        if (bundle != null && bundle.getBundleContext() != null) {
            PersistedPlugins.fromEnvironment().installAll(bundle.getBundleContext(), message -> {
                System.err.println("stampede: warning: " + message);
                ILog.of(bundle).warn(message);
            });
        }
        Display display = PlatformUI.createDisplay();
        try {
            int code = PlatformUI.createAndRunWorkbench(display, new GuiWorkbenchAdvisor());
            return code == PlatformUI.RETURN_RESTART ? EXIT_RESTART : EXIT_OK;
        } finally {
            display.dispose();
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
