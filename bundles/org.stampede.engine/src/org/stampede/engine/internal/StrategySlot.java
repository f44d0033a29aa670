package org.stampede.engine.internal;

/**
 * The strategy instance a torrent holds for one kind of decision, with its name. Replaced as a whole on a switch;
 * read under the torrent's lock.
 */
final class StrategySlot<T> {
    final String kind;
    String name;
    T instance;
    /** Calls that overran the time budget in a row. */
    int overruns;

    StrategySlot(String kind, String name, T instance) {
        this.kind = kind;
        this.name = name;
        this.instance = instance;
    }
}
