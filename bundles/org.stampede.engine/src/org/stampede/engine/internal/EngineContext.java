package org.stampede.engine.internal;

import java.net.InetAddress;

import org.stampede.engine.EngineSettings;

/** What a torrent session needs of its engine. */
interface EngineContext {
    EngineSettings settings();

    long nowMillis();

    int listenPort();

    StrategyRegistry registry();

    /** The name of the default strategy of a kind, from the settings. */
    String defaultStrategy(String kind);

    /** Where the strategies chosen for each torrent are remembered. */
    default SelectionStore selections() {
        return SelectionStore.NONE;
    }

    /** The installed extensions, highest ranking first. */
    default java.util.List<Plugins.Entry<org.stampede.spi.Extension>> extensions() {
        return java.util.List.of();
    }

    TokenBucket uploadLimit();

    TokenBucket downloadLimit();

    void downloaded(long bytes);

    void uploaded(long bytes);

    void ban(InetAddress address, String why);

    void torrentFinished(TorrentSession session);

    /** Where the torrents' strategy tasks run (never a network, disk or timer thread). */
    java.util.concurrent.Executor strategyExecutor();

    /**
     * The torrent stopped on a storage failure that retrying will not cure (disk full, permissions, a directory in a
     * file's place): its peer sources stop until the user resumes it. Called with the torrent's lock held.
     */
    void torrentFailed(TorrentSession session);

    void recordStrategy(String infoHash, String kind, String name, String reason);

    void countDecision(String infoHash, String kind, String name, long count);

    void log(String message);

    /** Runs a task on the engine's timer after {@code delayMillis} (it takes whatever locks it needs). */
    void schedule(Runnable task, long delayMillis);

    /** Posts an engine event (see {@link org.stampede.engine.EngineEvents}); never blocks. */
    void post(String topic, java.util.Map<String, Object> properties);
}
