package org.stampede.cli.internal;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import org.stampede.api.StrategyKind;
import org.stampede.engine.Engine;
import org.stampede.engine.PluginInfo;
import org.stampede.engine.StrategyInfo;
import org.stampede.engine.TorrentHandle;
import org.stampede.engine.TorrentStatus;

/** The control channel's view of a running engine. */
final class EngineControlTarget implements ControlTarget {
    private final Engine engine;

    EngineControlTarget(Engine engine) {
        this.engine = engine;
    }

    @Override
    public List<Torrent> torrents() {
        List<StrategyInfo> strategies = engine.strategies();
        List<Torrent> out = new ArrayList<>();
        for (TorrentHandle h : engine.torrents()) {
            TorrentStatus s = h.status();
            String hash = h.infoHash();
            String state = h.isPaused() && s.state() != TorrentStatus.State.ERROR ? "paused"
                    : s.state().name().toLowerCase(Locale.ROOT);
            out.add(new Torrent(h.torrent().name(), hash, state, s.progress(),
                    s.picker(), using(strategies, StrategyKind.CHOKER, hash),
                    using(strategies, StrategyKind.SEED_CHOKER, hash), s.error()));
        }
        return out;
    }

    /** The strategy of this kind that the torrent uses, or null. */
    private static String using(List<StrategyInfo> strategies, String kind, String infoHash) {
        for (StrategyInfo s : strategies) {
            if (s.kind().equals(kind) && s.torrents().contains(infoHash)) {
                return s.name();
            }
        }
        return null;
    }

    @Override
    public List<StrategyInfo> strategies() {
        return engine.strategies();
    }

    private TorrentHandle handle(String infoHash) {
        for (TorrentHandle h : engine.torrents()) {
            if (h.infoHash().equals(infoHash)) {
                return h;
            }
        }
        throw new IllegalArgumentException("torrent " + infoHash + " is not running");
    }

    @Override
    public void switchStrategy(String infoHash, String kind, String id) {
        handle(infoHash).switchStrategy(kind, id);
    }

    @Override
    public List<PluginInfo> plugins() {
        return engine.plugins();
    }

    @Override
    public boolean pause(String infoHash) {
        return handle(infoHash).pause();
    }

    @Override
    public boolean resume(String infoHash) {
        return handle(infoHash).resume();
    }
}
