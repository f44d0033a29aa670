package org.stampede.engine;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.util.List;

import org.osgi.annotation.versioning.ProviderType;
import org.stampede.metainfo.MetainfoException;
import org.stampede.metainfo.Torrent;

/**
 * A running BitTorrent engine: one listening socket, any number of torrents. Made by an {@link EngineFactory}.
 * Thread-safe.
 */
@ProviderType
public interface Engine extends AutoCloseable {

    /**
     * Adds a torrent to download into (or seed from) {@code downloadDir}. Its data is checked first (from resume
     * data when the files are unchanged, else by hashing); {@link TorrentHandle#checked()} tells when.
     */
    TorrentHandle add(Torrent torrent, Path downloadDir, AddOptions options) throws IOException, MetainfoException;

    List<TorrentHandle> torrents();

    /** Where peers can reach us. */
    InetSocketAddress listenAddress();

    /** The strategies installed right now. */
    List<StrategyInfo> strategies();

    /**
     * Every plug-in service the engine uses now: strategies, transports, transport layers, peer sources (the
     * built-in tracker source among them), extensions and tracker clients.
     *
     * @since 0.1
     */
    List<PluginInfo> plugins();

    /** Every strategy start, switch and fallback so far, oldest first. */
    List<StrategyEvent> strategyEvents();

    /** Stops every torrent (announcing {@code stopped} and saving resume data) and closes the sockets. */
    @Override
    void close();
}
