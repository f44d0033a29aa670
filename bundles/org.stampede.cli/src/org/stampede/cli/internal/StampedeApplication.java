package org.stampede.cli.internal;

import java.util.Map;

import org.eclipse.equinox.app.IApplication;
import org.eclipse.equinox.app.IApplicationContext;

/** The Equinox application behind {@code ./stampede}: hands the command line to {@link Cli}. */
public final class StampedeApplication implements IApplication {

    @Override
    public Object start(IApplicationContext context) {
        Map<?, ?> arguments = context.getArguments();
        String[] args = (String[]) arguments.get(IApplicationContext.APPLICATION_ARGS);
        context.applicationRunning();
        Logging.configure("1".equals(System.getenv("STAMPEDE_DEBUG")));
        return Integer.valueOf(Cli.run(args == null ? new String[0] : args, System.out, System.err));
    }

    @Override
    public void stop() {
        // Commands are bounded; nothing to interrupt.
    }
}
