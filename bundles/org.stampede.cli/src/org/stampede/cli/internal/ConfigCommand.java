package org.stampede.cli.internal;

import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;

import org.osgi.framework.Bundle;
import org.osgi.framework.FrameworkUtil;
import org.osgi.service.metatype.AttributeDefinition;
import org.osgi.service.metatype.MetaTypeInformation;
import org.osgi.service.metatype.MetaTypeService;
import org.osgi.service.metatype.ObjectClassDefinition;
import org.stampede.api.StrategyKind;
import org.stampede.engine.Engine;
import org.stampede.engine.EngineConfiguration;
import org.stampede.engine.EngineFactory;
import org.stampede.engine.EngineSettings;
import org.stampede.engine.StrategyInfo;
import org.stampede.metainfo.Torrent;

import com.google.gson.GsonBuilder;
import com.google.gson.JsonArray;
import com.google.gson.JsonObject;

import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

/**
 * {@code stampede config}: the stored settings (ConfigurationAdmin PID {@code org.stampede.engine}) as the Metatype
 * service describes them, and the strategies stored for each torrent. {@code download} and {@code seed} start from
 * these settings; their flags override them for one run.
 */
@Command(name = "config", mixinStandardHelpOptions = true, sortOptions = false,
        description = { "List the stored settings that download and seed start from (id, type, value, default, "
                + "description), or change them.",
                "Settings are kept in $STAMPEDE_CONFIG_DIR (default ~/.config/stampede/config)." },
        subcommands = { ConfigCommand.SetSettings.class, ConfigCommand.UnsetSettings.class,
                ConfigCommand.TorrentSelection.class })
final class ConfigCommand implements Callable<Integer> {
    /** How long to wait for Declarative Services to register the first strategy of a kind. */
    private static final long FIRST_STRATEGY_MILLIS = 10_000;
    /** How long to wait for a named strategy once others of its kind are there. */
    private static final long NAMED_STRATEGY_MILLIS = 2_000;
    /** Settings whose values are strategy ids, and the strategy kind of each. */
    static final Map<String, String> STRATEGY_SETTINGS = Map.of(EngineConfiguration.PICKER, StrategyKind.PICKER,
            EngineConfiguration.CHOKER, StrategyKind.CHOKER, EngineConfiguration.SEED_CHOKER,
            StrategyKind.SEED_CHOKER);

    @ParentCommand
    StampedeCommand parent;

    @Option(names = "--json", description = "Print a JSON list of {id, name, type, value, default, stored, "
            + "description} (and min, max where the setting has them).")
    boolean json;

    @Override
    public Integer call() throws Exception {
        EngineConfiguration config = Services.get(EngineConfiguration.class, 10_000);
        List<AttributeDefinition> ads = attributes(config);
        Map<String, Object> stored = config.stored();
        if (json) {
            JsonArray a = new JsonArray();
            for (AttributeDefinition ad : ads) {
                JsonObject o = new JsonObject();
                o.addProperty("id", ad.getID());
                o.addProperty("name", ad.getName());
                o.addProperty("type", typeName(ad.getType()));
                Object value = stored.containsKey(ad.getID()) ? stored.get(ad.getID()) : defaultValue(ad);
                put(o, "value", value);
                put(o, "default", defaultValue(ad));
                o.addProperty("stored", stored.containsKey(ad.getID()));
                o.addProperty("description", ad.getDescription());
                a.add(o);
            }
            parent.out.println(new GsonBuilder().disableHtmlEscaping().setPrettyPrinting().create().toJson(a));
        } else {
            for (AttributeDefinition ad : ads) {
                boolean set = stored.containsKey(ad.getID());
                Object value = set ? stored.get(ad.getID()) : defaultValue(ad);
                parent.out.printf(Locale.ROOT, "%-20s %-8s %s%n  %s. %s%n", ad.getID(), typeName(ad.getType()),
                        set ? show(value) + "  (default " + show(defaultValue(ad)) + ")" : show(value) + "  (default)",
                        ad.getName(), ad.getDescription());
            }
        }
        return Cli.OK;
    }

    /** The attributes of the session configuration, from the Metatype service. */
    static List<AttributeDefinition> attributes(EngineConfiguration config) throws Exception {
        MetaTypeService metatype = Services.get(MetaTypeService.class, 10_000);
        Bundle engine = FrameworkUtil.getBundle(config.getClass());
        MetaTypeInformation info = engine == null ? null : metatype.getMetaTypeInformation(engine);
        ObjectClassDefinition ocd = null;
        if (info != null && List.of(info.getPids()).contains(EngineConfiguration.PID)) {
            ocd = info.getObjectClassDefinition(EngineConfiguration.PID, null);
        }
        AttributeDefinition[] ads = ocd == null ? null : ocd.getAttributeDefinitions(ObjectClassDefinition.ALL);
        if (ads == null) {
            throw new IllegalStateException("the Metatype service has no description of " + EngineConfiguration.PID);
        }
        return List.of(ads);
    }

    private static String typeName(int type) {
        return switch (type) {
            case AttributeDefinition.STRING -> "String";
            case AttributeDefinition.INTEGER -> "Integer";
            case AttributeDefinition.LONG -> "Long";
            case AttributeDefinition.BOOLEAN -> "Boolean";
            default -> "type " + type;
        };
    }

    /** The default as a typed value: a number for numeric settings, else the string ("" when none). */
    private static Object defaultValue(AttributeDefinition ad) {
        String[] d = ad.getDefaultValue();
        String s = d == null || d.length == 0 || d[0] == null ? "" : d[0];
        if (ad.getType() == AttributeDefinition.INTEGER || ad.getType() == AttributeDefinition.LONG) {
            try {
                return Long.parseLong(s);
            } catch (NumberFormatException e) {
                return s;
            }
        }
        return s;
    }

    private static void put(JsonObject o, String key, Object value) {
        if (value instanceof Number n) {
            o.addProperty(key, n);
        } else {
            o.addProperty(key, value == null ? null : value.toString());
        }
    }

    private static String show(Object value) {
        return value instanceof String s && s.isEmpty() ? "\"\"" : String.valueOf(value);
    }

    /** Splits {@code KEY=VALUE} arguments, in order; a key given twice is bad input. */
    static Map<String, String> assignments(List<String> args) throws BadInputException {
        Map<String, String> out = new LinkedHashMap<>();
        for (String a : args) {
            int eq = a.indexOf('=');
            if (eq <= 0) {
                throw new BadInputException("'" + a + "' is not KEY=VALUE");
            }
            if (out.put(a.substring(0, eq), a.substring(eq + 1)) != null) {
                throw new BadInputException(a.substring(0, eq) + " is given twice");
            }
        }
        return out;
    }

    /**
     * Checks that each named strategy is installed, waiting for Declarative Services to register the strategies
     * (bounded); a missing one is bad input, listing what is installed of its kind.
     *
     * @param wanted setting (picker, choker, seedChoker) → strategy id
     */
    static void requireInstalled(Map<String, String> wanted) throws Exception {
        if (wanted.isEmpty()) {
            return;
        }
        EngineFactory factory = Services.get(EngineFactory.class, 10_000);
        try (Engine engine = factory.create(EngineSettings.defaults().withBind(InetAddress.getLoopbackAddress(), 0))) {
            requireInstalled(wanted, engine);
        }
    }

    /** {@link #requireInstalled(Map)} with the strategies {@code engine} sees. */
    static void requireInstalled(Map<String, String> wanted, Engine engine) throws Exception {
        long start = System.nanoTime();
        long allKindsSince = -1;
        while (true) {
            Map<String, Set<String>> installed = new TreeMap<>();
            for (StrategyInfo s : engine.strategies()) {
                installed.computeIfAbsent(s.kind(), k -> new TreeSet<>()).add(s.name());
            }
            String missing = null;
            boolean allKinds = true;
            for (Map.Entry<String, String> e : wanted.entrySet()) {
                String kind = STRATEGY_SETTINGS.get(e.getKey());
                allKinds &= installed.containsKey(kind);
                if (missing == null && !installed.getOrDefault(kind, Set.of()).contains(e.getValue())) {
                    missing = e.getKey();
                }
            }
            if (missing == null) {
                return;
            }
            long now = System.nanoTime();
            if (allKinds && allKindsSince < 0) {
                allKindsSince = now;
            }
            boolean gaveUp = now - start > TimeUnit.MILLISECONDS.toNanos(FIRST_STRATEGY_MILLIS)
                    || allKindsSince >= 0 && now - allKindsSince > TimeUnit.MILLISECONDS.toNanos(
                            NAMED_STRATEGY_MILLIS);
            if (gaveUp) {
                String kind = STRATEGY_SETTINGS.get(missing);
                Set<String> ofKind = installed.getOrDefault(kind, Set.of());
                throw new BadInputException(missing + ": no " + kind + " named '" + wanted.get(missing)
                        + "' is installed (installed: " + (ofKind.isEmpty() ? "none" : String.join(", ", ofKind))
                        + ")");
            }
            Thread.sleep(50);
        }
    }

    /** {@code stampede config set KEY=VALUE...}. */
    @Command(name = "set", mixinStandardHelpOptions = true,
            description = "Check and store settings; `stampede config` lists them. Strategy settings must name an "
                    + "installed strategy (see `stampede strategies`).")
    static final class SetSettings implements Callable<Integer> {
        @ParentCommand
        ConfigCommand config;

        @Parameters(arity = "1..*", paramLabel = "KEY=VALUE")
        List<String> assignments = new ArrayList<>();

        @Override
        public Integer call() throws Exception {
            Map<String, String> changes = assignments(assignments);
            EngineConfiguration configuration = Services.get(EngineConfiguration.class, 10_000);
            Map<String, AttributeDefinition> ads = new LinkedHashMap<>();
            attributes(configuration).forEach(ad -> ads.put(ad.getID(), ad));
            Map<String, String> strategies = new LinkedHashMap<>();
            for (Map.Entry<String, String> e : changes.entrySet()) {
                AttributeDefinition ad = ads.get(e.getKey());
                if (ad == null) {
                    throw new BadInputException("unknown setting '" + e.getKey() + "' (settings: "
                            + String.join(", ", ads.keySet()) + ")");
                }
                String problem = ad.validate(e.getValue());
                if (problem != null && !problem.isEmpty()) {
                    throw new BadInputException(e.getKey() + ": '" + e.getValue() + "' is not valid: " + problem);
                }
                if (STRATEGY_SETTINGS.containsKey(e.getKey())) {
                    strategies.put(e.getKey(), e.getValue());
                }
            }
            requireInstalled(strategies);
            try {
                configuration.update(changes);
            } catch (IllegalArgumentException e) {
                throw new BadInputException(e.getMessage());
            }
            changes.forEach((k, v) -> config.parent.out.println(k + " = " + v));
            return Cli.OK;
        }
    }

    /** {@code stampede config unset KEY...}. */
    @Command(name = "unset", mixinStandardHelpOptions = true,
            description = "Remove stored settings: they are back to their defaults.")
    static final class UnsetSettings implements Callable<Integer> {
        @ParentCommand
        ConfigCommand config;

        @Parameters(arity = "1..*", paramLabel = "KEY")
        List<String> keys = new ArrayList<>();

        @Override
        public Integer call() throws Exception {
            EngineConfiguration configuration = Services.get(EngineConfiguration.class, 10_000);
            Map<String, Object> changes = new LinkedHashMap<>();
            keys.forEach(k -> changes.put(k, null));
            try {
                configuration.update(changes);
            } catch (IllegalArgumentException e) {
                throw new BadInputException(e.getMessage());
            }
            keys.forEach(k -> config.parent.out.println(k + ": default"));
            return Cli.OK;
        }
    }

    /** {@code stampede config torrent FILE [KEY=ID]...}. */
    @Command(name = "torrent", mixinStandardHelpOptions = true,
            description = { "Show the strategies stored for a torrent, or store them (KEY= with no id removes one). "
                    + "A torrent starts with its stored strategies, and a strategy chosen for it while it runs "
                    + "(--picker, the control channel) is stored.",
                    "Keys: picker, choker, seedChoker." })
    static final class TorrentSelection implements Callable<Integer> {
        @ParentCommand
        ConfigCommand config;

        @Parameters(index = "0", paramLabel = "<torrent>")
        Path file;

        @Parameters(index = "1..*", paramLabel = "KEY=ID")
        List<String> assignments = new ArrayList<>();

        @Override
        public Integer call() throws Exception {
            if (!Files.isRegularFile(file)) {
                throw new BadInputException(file + ": no such file");
            }
            Torrent torrent;
            try {
                torrent = Torrent.read(file);
            } catch (org.stampede.metainfo.MetainfoException e) {
                throw new org.stampede.metainfo.MetainfoException(file + ": " + e.getMessage(), e);
            }
            Map<String, String> changes = assignments(assignments);
            Map<String, String> strategies = new LinkedHashMap<>();
            for (Map.Entry<String, String> e : changes.entrySet()) {
                if (!STRATEGY_SETTINGS.containsKey(e.getKey())) {
                    throw new BadInputException("unknown key '" + e.getKey() + "' (keys: picker, choker, seedChoker)");
                }
                if (!e.getValue().isEmpty()) {
                    strategies.put(e.getKey(), e.getValue());
                }
            }
            requireInstalled(strategies);
            EngineConfiguration configuration = Services.get(EngineConfiguration.class, 10_000);
            String infoHash = infoHash(torrent);
            try {
                for (Map.Entry<String, String> e : changes.entrySet()) {
                    configuration.select(infoHash, STRATEGY_SETTINGS.get(e.getKey()),
                            e.getValue().isEmpty() ? null : e.getValue());
                }
            } catch (IllegalArgumentException e) {
                throw new BadInputException(e.getMessage());
            }
            Map<String, String> stored = configuration.selection(infoHash);
            EngineSettings defaults = configuration.settings();
            config.parent.out.printf(Locale.ROOT, "%s (%s)%n", torrent.name(), infoHash);
            for (String key : List.of(EngineConfiguration.PICKER, EngineConfiguration.CHOKER,
                    EngineConfiguration.SEED_CHOKER)) {
                String kind = STRATEGY_SETTINGS.get(key);
                String own = stored.get(kind);
                String fallback = switch (key) {
                    case EngineConfiguration.PICKER -> defaults.defaultPicker();
                    case EngineConfiguration.CHOKER -> defaults.defaultChoker();
                    default -> defaults.defaultSeedChoker();
                };
                config.parent.out.printf(Locale.ROOT, "  %-11s %s%n", key,
                        own != null ? own : "(session default: " + fallback + ")");
            }
            return Cli.OK;
        }
    }

    /** The info-hash the engine identifies a torrent by: v1, or the truncated v2 of a v2-only torrent. */
    static String infoHash(Torrent t) {
        return HexFormat.of().formatHex(t.infoHashV1() != null ? t.infoHashV1().bytes()
                : t.infoHashV2().truncatedV1().bytes());
    }
}
