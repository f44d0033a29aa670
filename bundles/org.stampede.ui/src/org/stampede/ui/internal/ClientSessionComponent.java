package org.stampede.ui.internal;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.file.Path;

import org.osgi.framework.BundleContext;
import org.osgi.framework.ServiceRegistration;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.event.Event;
import org.osgi.service.event.EventConstants;
import org.osgi.service.event.EventHandler;
import org.stampede.engine.EngineConfiguration;
import org.stampede.engine.EngineEvents;
import org.stampede.engine.EngineFactory;
import org.stampede.engine.EngineSettings;

/**
 * Makes the GUI's {@link ClientSession} in a framework: from the engine factory service and the session
 * configuration the command line uses too ({@link EngineConfiguration}, when ConfigurationAdmin runs), with its
 * data in the folder the framework property {@value #SESSION_DIR} names (which {@code ./stampede gui} sets: the
 * framework's cache of a run is the run's own there) or else in this bundle's data area; registers it as a service
 * for the views and handlers (immediate, so the service is there before the first part is made), and passes it
 * the engine's EventAdmin events.
 */
@Component(service = EventHandler.class, immediate = true,
        property = EventConstants.EVENT_TOPIC + "=" + EngineEvents.PREFIX + "*")
public final class ClientSessionComponent implements EventHandler {
    /** The framework (or system) property naming the folder of the session's data. */
    public static final String SESSION_DIR = "stampede.session.dir";

    @Reference
    EngineFactory engineFactory;

    @Reference(cardinality = ReferenceCardinality.OPTIONAL)
    EngineConfiguration configuration;

    private volatile ClientSession session;
    private ServiceRegistration<ClientSession> registration;

    @Activate
    void activate(BundleContext context) throws IOException {
        EngineConfiguration c = configuration;
        // As the command line does: listen on every interface (the stored settings leave the address to the
        // caller). Without ConfigurationAdmin (a bare test runtime) the engine's loopback defaults stay.
        EngineSettings settings = c == null ? EngineSettings.defaults()
                : c.settings().withBind(new InetSocketAddress(0).getAddress(), c.settings().listenPort());
        Path folder = c == null ? null : c.downloadFolder();
        String dir = context.getProperty(SESSION_DIR);
        Path data = dir != null && !dir.isBlank() ? Path.of(dir) : context.getDataFile("session").toPath();
        ClientSession s = new ClientSession(engineFactory, settings, data,
                folder != null ? folder : Path.of(System.getProperty("user.home"), "Downloads", "Stampede"));
        session = s;
        registration = context.registerService(ClientSession.class, s, null);
    }

    @Deactivate
    void deactivate() {
        registration.unregister();
        ClientSession s = session;
        session = null;
        s.close();
    }

    @Override
    public void handleEvent(Event event) {
        ClientSession s = session;
        if (s != null) {
            s.handleEvent(event);
        }
    }
}
