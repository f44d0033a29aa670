package org.stampede.cli.internal;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import org.stampede.api.StrategyKind;
import org.stampede.engine.Engine;
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
            out.add(new Torrent(h.torrent().name(), hash, s.state().name().toLowerCase(Locale.ROOT), s.progress(),
                    s.picker(), using(strategies, StrategyKind.CHOKER, hash),
                    using(strategies, StrategyKind.SEED_CHOKER, hash)));
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

    @Override
    public void switchStrategy(String infoHash, String kind, String id) {
        for (TorrentHandle h : engine.torrents()) {
            if (h.infoHash().equals(infoHash)) {
                h.switchStrategy(kind, id);
                return;
            }
        }
        throw new IllegalArgumentException("torrent " + infoHash + " is not running");
    }
}
