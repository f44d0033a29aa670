package org.stampede.engine;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Map;

import org.osgi.annotation.versioning.ProviderType;

/**
 * The stored configuration of the client, registered as an OSGi service by the engine bundle when ConfigurationAdmin
 * is installed: the session defaults (ConfigurationAdmin PID {@value #PID}, described by Metatype, so every attribute
 * has a name, a type, a default and a description there) and the strategies selected for each torrent (factory PID
 * {@value #TORRENT_FACTORY_PID}, one configuration per torrent, keyed by {@value #INFO_HASH}).
 * <p>
 * Engines take their session settings from {@link #settings()}; a command-line flag overrides a value for its run
 * only. The engine applies a torrent's stored selection when the torrent is added, and stores the selection again
 * when a strategy is chosen for the torrent ({@link AddOptions} naming one, or {@link TorrentHandle#switchStrategy}).
 * Without ConfigurationAdmin there is no such service and engines use {@link EngineSettings#defaults()}.
 */
@ProviderType
public interface EngineConfiguration {
    /** PID of the session configuration. */
    String PID = "org.stampede.engine";
    /** Factory PID of the per-torrent strategy selections. */
    String TORRENT_FACTORY_PID = "org.stampede.torrent";
    /** Property of a per-torrent configuration: the info-hash as {@link TorrentHandle#infoHash()} gives it. */
    String INFO_HASH = "infoHash";

    /** Session attribute and per-torrent property: piece picker id. */
    String PICKER = "picker";
    /** Session attribute and per-torrent property: choker id while downloading. */
    String CHOKER = "choker";
    /** Session attribute and per-torrent property: choker id while seeding. */
    String SEED_CHOKER = "seedChoker";
    /** Session attribute: TCP port for incoming peers (0 = any free port). */
    String LISTEN_PORT = "listenPort";
    /** Session attribute: connection limit per torrent. */
    String MAX_PEERS_PER_TORRENT = "maxPeersPerTorrent";
    /** Session attribute: connection limit of the engine. */
    String MAX_PEERS = "maxPeers";
    /** Session attribute: regular upload slots per torrent. */
    String UPLOAD_SLOTS = "uploadSlots";
    /** Session attribute: download limit in KiB/s (0 = none). */
    String DOWNLOAD_LIMIT = "downloadLimit";
    /** Session attribute: upload limit in KiB/s (0 = none). */
    String UPLOAD_LIMIT = "uploadLimit";
    /** Session attribute: default download folder ("" = none). */
    String DOWNLOAD_FOLDER = "downloadFolder";
    /** Attribute: torrents downloading at once, -1 for no limit (see {@link EngineSettings#activeDownloads()}). */
    String ACTIVE_DOWNLOADS = "activeDownloads";
    /** Attribute: torrents seeding at once, -1 for no limit. */
    String ACTIVE_SEEDS = "activeSeeds";

    /**
     * Settings for a new engine from the session configuration, defaults where nothing is stored. They bind to
     * the loopback address and keep no resume data; callers set both ({@link EngineSettings#withBind},
     * {@link EngineSettings#withStateDir}).
     */
    EngineSettings settings();

    /** The default download folder, or null when none is configured. */
    Path downloadFolder();

    /** The session attributes that are stored (set by a user), by attribute id, with their typed values. */
    Map<String, Object> stored();

    /**
     * Checks and stores session attributes; a null value removes the attribute (back to its default). Values may be
     * given typed or as strings ("6881"). Nothing is stored when any value is bad. Whether a named strategy is
     * installed is not checked here: strategies come and go, and an engine falls back to the default for one that
     * is missing.
     *
     * @throws IllegalArgumentException naming the attribute, for an unknown attribute or a bad value
     * @throws IOException when ConfigurationAdmin cannot store it
     */
    void update(Map<String, ?> changes) throws IOException;

    /**
     * The strategies stored for a torrent, by kind ({@code picker}, {@code choker}, {@code seed-choker}, as in
     * {@code org.stampede.api.StrategyKind}); empty when none.
     *
     * @param infoHash lower-case hex, as {@link TorrentHandle#infoHash()}
     */
    Map<String, String> selection(String infoHash) throws IOException;

    /**
     * Stores the strategy of one kind for a torrent (null removes it), for the next time the torrent is added.
     *
     * @throws IllegalArgumentException for a bad info-hash, an unknown kind or a malformed name
     */
    void select(String infoHash, String kind, String name) throws IOException;
}
