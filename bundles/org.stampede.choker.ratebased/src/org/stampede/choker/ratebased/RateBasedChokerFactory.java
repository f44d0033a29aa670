package org.stampede.choker.ratebased;

import java.util.SplittableRandom;

import org.osgi.service.component.annotations.Component;
import org.stampede.api.Choker;
import org.stampede.api.ChokerFactory;
import org.stampede.api.StrategyDescription;
import org.stampede.api.StrategyKind;
import org.stampede.api.StrategyName;
import org.stampede.api.TorrentView;
import org.stampede.api.util.OptimisticUnchoke;

/**
 * A choker that finds its own number of upload slots: one {@link RateBasedChoker} per torrent, its optimistic
 * draws seeded from {@link TorrentView#randomSeed()} so that runs are
 * reproducible.
 */
@Component(service = ChokerFactory.class)
@StrategyName("rate-based")
@StrategyKind(StrategyKind.CHOKER)
@StrategyDescription("As many upload slots as peers we upload to above a rising rate threshold (1 KiB/s, +2 KiB/s"
        + " per peer), plus one; by download rate; optimistic unchoke (libtorrent rate_based_choker)")
public final class RateBasedChokerFactory implements ChokerFactory {

    @Override
    public Choker create(TorrentView torrent) {
        long seed = torrent.randomSeed();
        return new RateBasedChoker(new OptimisticUnchoke(new SplittableRandom(seed)));
    }
}
