package org.stampede.engine;

/**
 * A record of which strategy decided for a torrent from when: written when a torrent starts, switches, or falls
 * back, so that what made each decision can be checked afterwards.
 *
 * @param atMillis  wall-clock time
 * @param infoHash  the torrent
 * @param kind      picker, choker or seed-choker
 * @param name      the strategy now in charge
 * @param reason    why (start, switch, fallback: ..., uninstalled)
 */
public record StrategyEvent(long atMillis, String infoHash, String kind, String name, String reason) {
}
