package org.stampede.engine.internal;

import java.util.Map;
import java.util.function.Predicate;

import org.stampede.api.StrategyKind;
import org.stampede.engine.EngineConfiguration;

/**
 * Which strategy a torrent starts with, and how a choice maps to the per-torrent configuration. Plain Java.
 * <p>
 * A strategy named when the torrent is added (a command-line flag) comes first; then the torrent's stored choice,
 * when that strategy is installed; then the session default. A stored choice whose strategy is not installed is
 * reported (log and {@link org.stampede.engine.StrategyEvent}) and the default is used, but the choice stays stored:
 * it applies again once the strategy is installed.
 */
final class Selections {
    /**
     * The outcome for one kind of strategy.
     *
     * @param name   the strategy to install, or null for the session default
     * @param reason for the {@link org.stampede.engine.StrategyEvent}
     * @param note   what to log, or null
     */
    record Choice(String name, String reason, String note) {
    }

    private Selections() {
    }

    static Choice choose(String kind, String explicit, String stored, Predicate<String> installed) {
        if (explicit != null) {
            return new Choice(explicit, "start", null);
        }
        if (stored == null) {
            return new Choice(null, "start", null);
        }
        if (installed.test(stored)) {
            return new Choice(stored, "start (stored selection)", null);
        }
        String why = "stored " + kind + " '" + stored + "' is not installed";
        return new Choice(null, "start (" + why + "; default)", why + "; starting with the default");
    }

    /** The per-torrent configuration property of a strategy kind. */
    static String property(String kind) {
        return switch (kind) {
            case StrategyKind.PICKER -> EngineConfiguration.PICKER;
            case StrategyKind.CHOKER -> EngineConfiguration.CHOKER;
            case StrategyKind.SEED_CHOKER -> EngineConfiguration.SEED_CHOKER;
            default -> throw new IllegalArgumentException("unknown strategy kind '" + kind + "' (kinds: "
                    + StrategyKind.PICKER + ", " + StrategyKind.CHOKER + ", " + StrategyKind.SEED_CHOKER + ")");
        };
    }

    /** The kind → name map of a per-torrent configuration's properties; malformed values are left out. */
    static Map<String, String> fromProperties(Map<String, ?> properties) {
        Map<String, String> out = new java.util.LinkedHashMap<>();
        for (String kind : new String[] { StrategyKind.PICKER, StrategyKind.CHOKER, StrategyKind.SEED_CHOKER }) {
            Object v = properties.get(property(kind));
            if (v instanceof String s && SessionSettings.STRATEGY_ID.matcher(s).matches()) {
                out.put(kind, s);
            }
        }
        return out;
    }

    /** Checks an info-hash as the engine writes it: 40 (v1, or truncated v2) or 64 (v2) lower-case hex digits. */
    static String checkInfoHash(String infoHash) {
        if (infoHash == null || (infoHash.length() != 40 && infoHash.length() != 64)
                || !infoHash.chars().allMatch(c -> c >= '0' && c <= '9' || c >= 'a' && c <= 'f')) {
            throw new IllegalArgumentException("'" + (infoHash == null ? "" : infoHash.length() > 80
                    ? infoHash.substring(0, 80) + "..." : infoHash) + "' is not an info-hash (40 or 64 lower-case "
                    + "hex digits)");
        }
        return infoHash;
    }

    /** Checks a strategy name for storing. */
    static String checkName(String name) {
        if (!SessionSettings.STRATEGY_ID.matcher(name).matches()) {
            throw new IllegalArgumentException("'" + (name.length() > 80 ? name.substring(0, 80) + "..." : name)
                    + "' is not a strategy id (letters, digits, '.', '_', '-'; at most 64)");
        }
        return name;
    }
}
