package org.stampede.engine;

/**
 * One plug-in service the engine uses: a strategy, a transport, a transport layer, a peer source or an extension.
 *
 * @param id      what it is known by: a strategy's name, a transport's kind, an extension's BEP 10 name
 * @param kind    {@code picker}, {@code choker}, {@code seed-choker}, {@code transport}, {@code transport-layer},
 *                {@code peer-source}, {@code extension} or {@code tracker-client}
 * @param bundle  symbolic name of the bundle that provides it ({@code org.stampede.engine} for built-in ones)
 * @param version that bundle's version
 * @param state   {@code active} while the engine uses it; {@code standby} when another of the same id ranks higher
 * @since 0.1
 */
public record PluginInfo(String id, String kind, String bundle, String version, String state) {
    public static final String TRANSPORT = "transport";
    public static final String TRANSPORT_LAYER = "transport-layer";
    public static final String PEER_SOURCE = "peer-source";
    public static final String EXTENSION = "extension";
    public static final String TRACKER_CLIENT = "tracker-client";
}
