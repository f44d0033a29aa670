package org.stampede.engine.internal;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

/**
 * The session configuration (PID {@code org.stampede.engine}) as a typed view: the attribute ids are the method
 * names, their types and defaults the methods' (see {@link SessionSettings#config}). The metatype document
 * {@code OSGI-INF/metatype/org.stampede.engine.xml} describes the same attributes for ConfigurationAdmin's clients
 * (the command line, the preferences); {@code SessionSettingsTest} checks that the two agree.
 */
@ObjectClassDefinition(id = "org.stampede.engine", name = "Stampede engine",
        description = "Defaults for every engine the client starts: strategies, port, connection limits, upload "
                + "slots, rate limits, the download folder and the queue. Command-line flags override them for one run.")
@interface SessionConfig {
    @AttributeDefinition(name = "Piece picker", description = "Id of the piece picker new torrents start with "
            + "(see `stampede strategies`); a torrent's own stored choice comes first.")
    String picker() default "rarest-first";

    @AttributeDefinition(name = "Choker", description = "Id of the choker used while downloading.")
    String choker() default "tit-for-tat";

    @AttributeDefinition(name = "Seed choker", description = "Id of the choker used while seeding.")
    String seedChoker() default "round-robin";

    @AttributeDefinition(name = "Listen port", description = "TCP port for incoming peers, 0 for any free port.",
            min = "0", max = "65535")
    int listenPort() default 6881;

    @AttributeDefinition(name = "Peers per torrent", description = "Most connections one torrent keeps.",
            min = "1", max = "10000")
    int maxPeersPerTorrent() default 50;

    @AttributeDefinition(name = "Peers in all", description = "Most connections of all torrents together.",
            min = "1", max = "100000")
    int maxPeers() default 200;

    @AttributeDefinition(name = "Upload slots", description = "Peers each torrent uploads to at once (regular "
            + "unchokes; the optimistic unchoke comes on top).", min = "1", max = "1000")
    int uploadSlots() default 4;

    @AttributeDefinition(name = "Download limit", description = "Download rate limit of the engine in KiB/s, "
            + "0 for none.", min = "0", max = "1073741824")
    long downloadLimit() default 0;

    @AttributeDefinition(name = "Upload limit", description = "Upload rate limit of the engine in KiB/s, 0 for "
            + "none.", min = "0", max = "1073741824")
    long uploadLimit() default 0;

    @AttributeDefinition(name = "Download folder", description = "Folder that downloads go to when none is "
            + "given; empty for none.")
    String downloadFolder() default "";

    @AttributeDefinition(name = "Active downloads", description = "Torrents downloading at once; the others wait, "
            + "queued in the order they were added, and start as slots free up. -1 for no limit.", min = "-1",
            max = "10000")
    int activeDownloads() default org.stampede.engine.EngineSettings.DEFAULT_ACTIVE_DOWNLOADS;

    @AttributeDefinition(name = "Active seeds", description = "Torrents seeding at once, queued the same way. -1 "
            + "for no limit.", min = "-1", max = "100000")
    int activeSeeds() default org.stampede.engine.EngineSettings.DEFAULT_ACTIVE_SEEDS;
}
