package org.stampede.engine;

import java.util.List;

/**
 * An installed strategy.
 *
 * @param kind        picker, choker or seed-choker
 * @param name        what users select it by
 * @param bundle      symbolic name of the bundle that provides it
 * @param version     that bundle's version
 * @param description what it does and where it comes from
 * @param torrents    info-hashes of the torrents using it now
 */
public record StrategyInfo(String kind, String name, String bundle, String version, String description,
        List<String> torrents) {
}
