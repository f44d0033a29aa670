package org.stampede.engine.internal;

import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.net.InetAddress;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

import org.stampede.engine.EngineSettings;

/**
 * The session configuration as stored by ConfigurationAdmin (a map of attribute id to value) turned into a typed
 * {@link SessionConfig} and into {@link EngineSettings}, and the checks that a stored value passes. Plain Java: the
 * ConfigurationAdmin side is {@link EngineConfigurationComponent}.
 */
final class SessionSettings {
    /** What a strategy id may look like (the names the strategy bundles register). */
    static final Pattern STRATEGY_ID = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,63}");
    /** Longest download folder accepted, in characters. */
    static final int MAX_FOLDER_LENGTH = 4096;

    /** An attribute: id, Java type, and for numbers the bounds (inclusive). */
    record Attribute(String id, Class<?> type, long min, long max) {
    }

    /** Every attribute of {@link SessionConfig}, in declaration order. */
    static final List<Attribute> ATTRIBUTES = List.of(
            new Attribute("picker", String.class, 0, 0),
            new Attribute("choker", String.class, 0, 0),
            new Attribute("seedChoker", String.class, 0, 0),
            new Attribute("listenPort", Integer.class, 0, 65535),
            new Attribute("maxPeersPerTorrent", Integer.class, 1, 10_000),
            new Attribute("maxPeers", Integer.class, 1, 100_000),
            new Attribute("uploadSlots", Integer.class, 1, 1000),
            new Attribute("downloadLimit", Long.class, 0, 1L << 30),
            new Attribute("uploadLimit", Long.class, 0, 1L << 30),
            new Attribute("downloadFolder", String.class, 0, 0),
            new Attribute("activeDownloads", Integer.class, -1, 10_000),
            new Attribute("activeSeeds", Integer.class, -1, 100_000));

    private static final Map<String, Attribute> BY_ID;
    static {
        Map<String, Attribute> m = new LinkedHashMap<>();
        ATTRIBUTES.forEach(a -> m.put(a.id(), a));
        BY_ID = Collections.unmodifiableMap(m);
    }

    private SessionSettings() {
    }

    static Attribute attribute(String id) {
        Attribute a = BY_ID.get(id);
        if (a == null) {
            throw new IllegalArgumentException("unknown attribute '" + id + "' (attributes: "
                    + String.join(", ", BY_ID.keySet()) + ")");
        }
        return a;
    }

    /** A typed view of {@code properties}: each method returns the stored value, or its default when none. */
    static SessionConfig config(Map<String, ?> properties) {
        Map<String, Object> values = new LinkedHashMap<>();
        for (Attribute a : ATTRIBUTES) {
            Object v = properties.get(a.id());
            values.put(a.id(), v == null ? defaultValue(a.id()) : value(a.id(), v));
        }
        return (SessionConfig) Proxy.newProxyInstance(SessionConfig.class.getClassLoader(),
                new Class<?>[] { SessionConfig.class }, (proxy, method, args) -> switch (method.getName()) {
                    case "annotationType" -> SessionConfig.class;
                    case "toString" -> "SessionConfig" + values;
                    case "hashCode" -> values.hashCode();
                    case "equals" -> proxy == args[0];
                    default -> values.get(method.getName());
                });
    }

    /** The default of an attribute, from {@link SessionConfig}. */
    static Object defaultValue(String id) {
        attribute(id);
        try {
            Method m = SessionConfig.class.getDeclaredMethod(id);
            return m.getDefaultValue();
        } catch (NoSuchMethodException e) {
            throw new IllegalStateException("SessionConfig has no attribute " + id, e);
        }
    }

    /**
     * Checks one value and returns it with the attribute's type: a number may come as a string ("6881") or any
     * integral type; a strategy id must look like one; a folder must be a path.
     *
     * @throws IllegalArgumentException naming the attribute and what is wrong
     */
    static Object value(String id, Object raw) {
        Attribute a = attribute(id);
        if (raw == null) {
            throw new IllegalArgumentException(id + ": no value");
        }
        if (a.type() == String.class) {
            if (!(raw instanceof String s)) {
                throw new IllegalArgumentException(id + ": a string is wanted, not " + raw);
            }
            if (id.equals("downloadFolder")) {
                return folderValue(s);
            }
            if (!STRATEGY_ID.matcher(s).matches()) {
                throw new IllegalArgumentException(id + ": '" + abbreviate(s) + "' is not a strategy id (letters, "
                        + "digits, '.', '_', '-'; at most 64)");
            }
            return s;
        }
        long n;
        if (raw instanceof Integer || raw instanceof Long || raw instanceof Short || raw instanceof Byte) {
            n = ((Number) raw).longValue();
        } else if (raw instanceof String s) {
            try {
                n = Long.parseLong(s.strip());
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException(id + ": '" + abbreviate(s) + "' is not a whole number");
            }
        } else {
            throw new IllegalArgumentException(id + ": a whole number is wanted, not " + raw);
        }
        if (n < a.min() || n > a.max()) {
            throw new IllegalArgumentException(id + ": " + n + " is not " + a.min() + " to " + a.max());
        }
        return a.type() == Integer.class ? (Object) (int) n : (Object) n;
    }

    private static String folderValue(String s) {
        if (s.length() > MAX_FOLDER_LENGTH) {
            throw new IllegalArgumentException("downloadFolder: longer than " + MAX_FOLDER_LENGTH + " characters");
        }
        if (s.isEmpty()) {
            return s;
        }
        try {
            Path.of(s);
        } catch (InvalidPathException e) {
            throw new IllegalArgumentException("downloadFolder: '" + abbreviate(s) + "' is not a path: "
                    + e.getReason());
        }
        return s;
    }

    private static String abbreviate(String s) {
        return s.length() <= 80 ? s : s.substring(0, 80) + "...";
    }

    /**
     * The stored attributes after {@code changes} (null removes an attribute), every value checked and typed.
     * Attributes in {@code stored} that are not known any more are dropped.
     *
     * @throws IllegalArgumentException for an unknown attribute or a bad value; nothing is changed then
     */
    static Map<String, Object> merge(Map<String, ?> stored, Map<String, ?> changes) {
        Map<String, Object> out = new LinkedHashMap<>();
        for (Attribute a : ATTRIBUTES) {
            Object v = stored.get(a.id());
            if (v != null) {
                try {
                    out.put(a.id(), value(a.id(), v));
                } catch (IllegalArgumentException ignored) {
                    // a bad stored value (edited by hand) is replaced by the default rather than kept
                }
            }
        }
        for (Map.Entry<String, ?> e : changes.entrySet()) {
            attribute(e.getKey());
            if (e.getValue() == null) {
                out.remove(e.getKey());
            } else {
                out.put(e.getKey(), value(e.getKey(), e.getValue()));
            }
        }
        return out;
    }

    /**
     * Engine settings from a session configuration: loopback, no resume folder, rate limits in bytes per second.
     * A bad stored value (a file edited by hand) counts as unset: the configuration of a client never stops it from
     * starting.
     */
    static EngineSettings settings(Map<String, ?> properties) {
        SessionConfig c = config(merge(properties, Map.of()));
        return new EngineSettings(InetAddress.getLoopbackAddress(), c.listenPort(), c.maxPeersPerTorrent(),
                c.maxPeers(), c.uploadSlots(), c.downloadLimit() * 1024, c.uploadLimit() * 1024, null, c.picker(),
                c.choker(), c.seedChoker(), c.activeDownloads(), c.activeSeeds());
    }

    /** The download folder of a session configuration, or null when none (or a bad one) is stored. */
    static Path downloadFolder(Map<String, ?> properties) {
        String s = config(merge(properties, Map.of())).downloadFolder();
        return s.isEmpty() ? null : Path.of(s);
    }

    /** The ids of every attribute, in declaration order. */
    static List<String> ids() {
        return Arrays.asList(BY_ID.keySet().toArray(String[]::new));
    }
}
