package org.stampede.choker.propshare;

import java.util.SplittableRandom;

import org.osgi.service.component.annotations.Component;
import org.stampede.api.Choker;
import org.stampede.api.ChokerFactory;
import org.stampede.api.StrategyDescription;
import org.stampede.api.StrategyKind;
import org.stampede.api.StrategyName;
import org.stampede.api.TorrentView;

/**
 * PropShare: one {@link PropShareChoker} per torrent, contributors capped at twice the configured slots, its
 * exploration draws seeded from {@link TorrentView#randomSeed()} so that runs
 * are reproducible.
 */
@Component(service = ChokerFactory.class)
@StrategyName("propshare")
@StrategyKind(StrategyKind.CHOKER)
@StrategyDescription("Unchoke every peer that uploaded to us last round (up to twice the slots), about 20% more"
        + " at random to explore (Levin et al., BitTorrent is an Auction, SIGCOMM 2008)")
public final class PropShareChokerFactory implements ChokerFactory {

    @Override
    public Choker create(TorrentView torrent) {
        return new PropShareChoker(new SplittableRandom(torrent.randomSeed()),
                PropShareChoker.DEFAULT_CAP_FACTOR);
    }
}
