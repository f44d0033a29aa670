package org.stampede.engine.internal;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Collections;
import java.util.Dictionary;
import java.util.Enumeration;
import java.util.HashMap;
import java.util.Hashtable;
import java.util.Map;

import org.osgi.framework.InvalidSyntaxException;
import org.osgi.service.cm.Configuration;
import org.osgi.service.cm.ConfigurationAdmin;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Modified;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.metatype.annotations.Designate;
import org.stampede.engine.EngineConfiguration;
import org.stampede.engine.EngineSettings;

/**
 * The ConfigurationAdmin side of the client's configuration: receives the session configuration (PID
 * {@value EngineConfiguration#PID}) from SCR, stores changes to it, and keeps the per-torrent strategy selections as
 * factory configurations ({@value EngineConfiguration#TORRENT_FACTORY_PID}). Active only where ConfigurationAdmin is;
 * the engine factory holds it through an optional reference, so engines work without it. The logic is in
 * {@link SessionSettings} and {@link Selections}; this class only moves maps in and out of ConfigurationAdmin.
 */
@Component(service = { EngineConfiguration.class, SelectionStore.class },
        configurationPid = EngineConfiguration.PID)
@Designate(ocd = SessionConfig.class)
public final class EngineConfigurationComponent implements EngineConfiguration, SelectionStore {
    private static final System.Logger LOG = System.getLogger("org.stampede.engine");

    /** Read-modify-write of a configuration happens under this lock. */
    private final Object lock = new Object();
    private volatile Map<String, Object> session = Map.of();

    @Reference
    ConfigurationAdmin admin;

    @Activate
    @Modified
    void configure(Map<String, Object> properties) {
        session = Collections.unmodifiableMap(SessionSettings.merge(properties, Map.of()));
    }

    @Override
    public EngineSettings settings() {
        return SessionSettings.settings(session);
    }

    @Override
    public Path downloadFolder() {
        return SessionSettings.downloadFolder(session);
    }

    @Override
    public Map<String, Object> stored() {
        return session;
    }

    @Override
    public void update(Map<String, ?> changes) throws IOException {
        synchronized (lock) {
            Configuration c = admin.getConfiguration(PID, null);
            Map<String, Object> merged = SessionSettings.merge(map(c.getProperties()), changes);
            if (merged.isEmpty()) {
                c.delete();
            } else {
                c.update(new Hashtable<>(merged));
            }
            session = Collections.unmodifiableMap(merged);
        }
    }

    @Override
    public Map<String, String> selection(String infoHash) throws IOException {
        Configuration c = find(Selections.checkInfoHash(infoHash));
        return c == null ? Map.of() : Selections.fromProperties(map(c.getProperties()));
    }

    @Override
    public void select(String infoHash, String kind, String name) throws IOException {
        Selections.checkInfoHash(infoHash);
        String property = Selections.property(kind);
        if (name != null) {
            Selections.checkName(name);
        }
        synchronized (lock) {
            Configuration c = find(infoHash);
            if (c == null && name == null) {
                return;
            }
            Map<String, Object> props = c == null ? new HashMap<>() : map(c.getProperties());
            if (name == null ? !props.containsKey(property) : name.equals(props.get(property))) {
                return; // stored already: no write
            }
            if (c == null) {
                c = admin.createFactoryConfiguration(TORRENT_FACTORY_PID, null);
            }
            props.put(INFO_HASH, infoHash);
            if (name == null) {
                props.remove(property);
            } else {
                props.put(property, name);
            }
            if (Selections.fromProperties(props).isEmpty()) {
                c.delete();
            } else {
                c.update(new Hashtable<>(props));
            }
        }
    }

    // ---------------------------------------------------------------- SelectionStore (for the engines)

    @Override
    public Map<String, String> load(String infoHash) {
        try {
            return selection(infoHash);
        } catch (IOException | RuntimeException e) {
            LOG.log(System.Logger.Level.WARNING, "reading the stored strategies of " + infoHash + ": " + e);
            return Map.of();
        }
    }

    @Override
    public void save(String infoHash, String kind, String name) {
        try {
            select(infoHash, kind, name);
        } catch (IOException | RuntimeException e) {
            LOG.log(System.Logger.Level.WARNING, "storing the " + kind + " of " + infoHash + ": " + e);
        }
    }

    private Configuration find(String infoHash) throws IOException {
        Configuration[] found;
        try {
            found = admin.listConfigurations("(&(service.factoryPid=" + TORRENT_FACTORY_PID + ")(" + INFO_HASH + "="
                    + infoHash + "))");
        } catch (InvalidSyntaxException e) {
            throw new IllegalStateException(e); // the info-hash is checked hex: cannot happen
        }
        return found == null || found.length == 0 ? null : found[0];
    }

    private static Map<String, Object> map(Dictionary<String, Object> d) {
        Map<String, Object> m = new HashMap<>();
        if (d != null) {
            for (Enumeration<String> keys = d.keys(); keys.hasMoreElements();) {
                String k = keys.nextElement();
                m.put(k, d.get(k));
            }
        }
        return m;
    }
}
