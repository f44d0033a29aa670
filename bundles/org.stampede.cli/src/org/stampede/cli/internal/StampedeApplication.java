package org.stampede.cli.internal;

import java.util.Map;
import java.util.Set;

import org.eclipse.equinox.app.IApplication;
import org.eclipse.equinox.app.IApplicationContext;
import org.osgi.framework.Bundle;
import org.osgi.framework.FrameworkUtil;
import org.stampede.cli.plugins.PersistedPlugins;

/**
 * The Equinox application behind {@code ./stampede}: installs the persisted plug-ins, then hands the command line to
 * {@link Cli}.
 */
public final class StampedeApplication implements IApplication {
    /** The commands that use no plug-in, which start without installing the persisted ones. */
    static final Set<String> WITHOUT_PLUGINS = Set.of("create", "info", "control", "tracker");

    @Override
    public Object start(IApplicationContext context) {
        Map<?, ?> arguments = context.getArguments();
        String[] args = (String[]) arguments.get(IApplicationContext.APPLICATION_ARGS);
        args = args == null ? new String[0] : args;
        context.applicationRunning();
        Logging.configure("1".equals(System.getenv("STAMPEDE_DEBUG")));
        Bundle bundle = FrameworkUtil.getBundle(StampedeApplication.class);
        if (usesPlugins(args) && bundle != null && bundle.getBundleContext() != null) {
            PersistedPlugins.fromEnvironment().installAll(bundle.getBundleContext(),
                    message -> System.err.println("stampede: warning: " + message));
        }
        return Integer.valueOf(Cli.run(args, System.out, System.err));
    }

    /** Whether the command may use plug-ins: all but those above, --help and --version. */
    static boolean usesPlugins(String[] args) {
        return args.length > 0 && !args[0].startsWith("-") && !WITHOUT_PLUGINS.contains(args[0]);
    }

    @Override
    public void stop() {
        // Commands are bounded; nothing to interrupt.
    }
}
