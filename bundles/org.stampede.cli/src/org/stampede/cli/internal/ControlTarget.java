package org.stampede.cli.internal;

import java.util.List;

import org.stampede.engine.PluginInfo;
import org.stampede.engine.StrategyInfo;

/**
 * What the control channel reads and changes of a running client: its torrents and its strategies. The engine
 * behind it is {@link EngineControlTarget}; the tests use a fake.
 */
interface ControlTarget {
    /**
     * One torrent as {@code status} reports it.
     *
     * @param state      {@link org.stampede.engine.TorrentStatus.State} in lower case
     * @param progress   fraction of the wanted data verified, 0 to 1
     * @param seedChoker the choker for when it seeds
     * @param error      why it failed (state {@code error}: a storage failure, a failed check) or what last went
     *                   wrong (a tracker), or null
     */
    record Torrent(String name, String infoHash, String state, double progress, String picker, String choker,
            String seedChoker, String error) {
    }

    List<Torrent> torrents();

    List<StrategyInfo> strategies();

    /**
     * Switches a strategy of the torrent with this info-hash.
     *
     * @throws IllegalArgumentException when the torrent or the strategy is not there
     * @throws IllegalStateException    when the strategy would not start
     */
    void switchStrategy(String infoHash, String kind, String id);

    /** Every plug-in service of the engine. */
    List<PluginInfo> plugins();

    /**
     * Pauses the torrent with this info-hash.
     *
     * @return false when it was paused already (nothing changed)
     * @throws IllegalArgumentException when the torrent is not there
     */
    boolean pause(String infoHash);

    /**
     * Resumes the torrent with this info-hash.
     *
     * @return false when it was not paused (nothing changed)
     * @throws IllegalArgumentException when the torrent is not there
     */
    boolean resume(String infoHash);
}
