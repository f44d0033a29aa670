package org.stampede.cli.internal;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.FrameworkUtil;
import org.stampede.cli.plugins.PersistedPlugins;
import org.stampede.engine.Engine;

/**
 * The control channel of a running {@code download} or {@code seed}: a {@link ControlServer} on 127.0.0.1 with a
 * {@link ControlDispatcher} over the engine, announced in {@code <dir>/.stampede/control.json}. Closing it stops the
 * server, deletes the file and uninstalls the bundles installed through it. Idempotent.
 */
final class ControlChannel implements AutoCloseable {
    /** How long {@code install} waits for a new bundle's strategies. */
    static final long STRATEGY_WAIT_MILLIS = 5_000;

    private final ControlServer server;
    private final Path file;
    private final ControlFile control;
    private final OsgiBundleControl osgi;
    private boolean closed;

    private ControlChannel(ControlServer server, Path file, ControlFile control, OsgiBundleControl osgi) {
        this.server = server;
        this.file = file;
        this.control = control;
        this.osgi = osgi;
    }

    /** Starts the channel for {@code engine} on {@code port} (0 = any free port) and writes the control file. */
    static ControlChannel open(Engine engine, Path stateDir, int port, PrintStream err) throws IOException {
        Path file = ControlFile.in(stateDir);
        warnIfTaken(file, err);
        String token = ControlFile.newToken();
        OsgiBundleControl osgi = bundleContext().map(c -> new OsgiBundleControl(c, PersistedPlugins.fromEnvironment()))
                .orElse(null);
        BundleControl bundles = osgi != null ? osgi : NOT_IN_OSGI;
        ControlDispatcher dispatcher = new ControlDispatcher(token, new EngineControlTarget(engine), bundles,
                STRATEGY_WAIT_MILLIS);
        ControlServer server = ControlServer.start(port, dispatcher::handle);
        ControlFile control = new ControlFile(server.port(), token, ProcessHandle.current().pid());
        try {
            control.write(file);
        } catch (IOException | RuntimeException e) {
            server.close();
            throw e;
        }
        return new ControlChannel(server, file, control, osgi);
    }

    private static void warnIfTaken(Path file, PrintStream err) {
        if (!Files.exists(file)) {
            return;
        }
        try {
            ControlFile other = ControlFile.read(file);
            if (other.pid() != ProcessHandle.current().pid()
                    && ProcessHandle.of(other.pid()).map(ProcessHandle::isAlive).orElse(false)) {
                err.println("stampede: warning: " + file + " names another running client (pid " + other.pid()
                        + "); `stampede control` now reaches this one");
            }
        } catch (IOException e) {
            // a stale or broken file is replaced
        }
    }

    private static Optional<BundleContext> bundleContext() {
        Bundle bundle = FrameworkUtil.getBundle(ControlChannel.class);
        return Optional.ofNullable(bundle == null ? null : bundle.getBundleContext());
    }

    /** Outside OSGi (the unit tests of commands) bundles cannot be installed. */
    private static final BundleControl NOT_IN_OSGI = new BundleControl() {
        @Override
        public BundleRef install(Path jar, boolean persist) throws BundleControlException {
            throw new BundleControlException("not running in an OSGi framework");
        }

        @Override
        public Optional<BundleRef> find(String idOrSymbolicName) {
            return Optional.empty();
        }

        @Override
        public boolean uninstall(BundleRef bundle) throws BundleControlException {
            throw new BundleControlException("not running in an OSGi framework");
        }
    };

    int port() {
        return server.port();
    }

    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        server.close();
        control.deleteIfOurs(file);
        if (osgi != null) {
            osgi.close();
        }
    }
}
