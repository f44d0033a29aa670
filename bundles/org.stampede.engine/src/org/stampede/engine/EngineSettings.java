package org.stampede.engine;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Path;

/**
 * How an engine runs. Build with {@link #defaults()} and the {@code with...} methods.
 *
 * @param bindAddress        where to listen (and connect from)
 * @param listenPort         TCP port for incoming peers; 0 for any free port
 * @param maxPeersPerTorrent connection limit per torrent
 * @param maxPeers           connection limit for the engine
 * @param uploadSlots        regular upload slots per torrent
 * @param downloadLimit      bytes per second for the engine, 0 for none
 * @param uploadLimit        bytes per second for the engine, 0 for none
 * @param stateDir           where resume data is kept (one file per torrent), or null for none
 * @param defaultPicker      piece picker for new torrents
 * @param defaultChoker      choker while downloading
 * @param defaultSeedChoker  choker while seeding
 * @param activeDownloads    torrents downloading at once; the others wait, queued, in the order they were added
 *                           (libtorrent's {@code active_downloads}); -1 for no limit
 * @param activeSeeds        torrents seeding at once, the same way ({@code active_seeds}); -1 for no limit
 */
public record EngineSettings(InetAddress bindAddress, int listenPort, int maxPeersPerTorrent, int maxPeers,
        int uploadSlots, long downloadLimit, long uploadLimit, Path stateDir, String defaultPicker,
        String defaultChoker, String defaultSeedChoker, int activeDownloads, int activeSeeds) {

    /** libtorrent's defaults for the queue: 3 downloading, 5 seeding. */
    public static final int DEFAULT_ACTIVE_DOWNLOADS = 3;
    public static final int DEFAULT_ACTIVE_SEEDS = 5;

    public static EngineSettings defaults() {
        return new EngineSettings(InetAddress.getLoopbackAddress(), 6881, 50, 200, 4, 0, 0, null, "rarest-first",
                "tit-for-tat", "round-robin", DEFAULT_ACTIVE_DOWNLOADS, DEFAULT_ACTIVE_SEEDS);
    }

    /**
     * The queue's limits: torrents downloading and seeding at once (-1 for no limit).
     *
     * @since 0.1
     */
    public EngineSettings withQueue(int downloads, int seeds) {
        return new EngineSettings(bindAddress, listenPort, maxPeersPerTorrent, maxPeers, uploadSlots, downloadLimit,
                uploadLimit, stateDir, defaultPicker, defaultChoker, defaultSeedChoker, downloads, seeds);
    }

    public EngineSettings withBind(InetAddress address, int port) {
        return new EngineSettings(address, port, maxPeersPerTorrent, maxPeers, uploadSlots, downloadLimit,
                uploadLimit, stateDir, defaultPicker, defaultChoker, defaultSeedChoker, activeDownloads, activeSeeds);
    }

    public EngineSettings withLimits(long downloadBytesPerSecond, long uploadBytesPerSecond) {
        return new EngineSettings(bindAddress, listenPort, maxPeersPerTorrent, maxPeers, uploadSlots,
                downloadBytesPerSecond, uploadBytesPerSecond, stateDir, defaultPicker, defaultChoker,
                defaultSeedChoker, activeDownloads, activeSeeds);
    }

    public EngineSettings withStateDir(Path dir) {
        return new EngineSettings(bindAddress, listenPort, maxPeersPerTorrent, maxPeers, uploadSlots, downloadLimit,
                uploadLimit, dir, defaultPicker, defaultChoker, defaultSeedChoker, activeDownloads, activeSeeds);
    }

    public EngineSettings withStrategies(String picker, String choker, String seedChoker) {
        return new EngineSettings(bindAddress, listenPort, maxPeersPerTorrent, maxPeers, uploadSlots, downloadLimit,
                uploadLimit, stateDir, picker, choker, seedChoker, activeDownloads, activeSeeds);
    }

    public EngineSettings withUploadSlots(int slots) {
        return new EngineSettings(bindAddress, listenPort, maxPeersPerTorrent, maxPeers, slots, downloadLimit,
                uploadLimit, stateDir, defaultPicker, defaultChoker, defaultSeedChoker, activeDownloads, activeSeeds);
    }

    public InetSocketAddress listenAddress() {
        return new InetSocketAddress(bindAddress, listenPort);
    }
}
