package org.stampede.choker.titfortat;

import java.util.SplittableRandom;

import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.propertytypes.ServiceRanking;
import org.stampede.api.Choker;
import org.stampede.api.ChokerFactory;
import org.stampede.api.StrategyDescription;
import org.stampede.api.StrategyKind;
import org.stampede.api.StrategyName;
import org.stampede.api.TorrentView;
import org.stampede.api.util.OptimisticUnchoke;

/** The default choker while downloading: one {@link TitForTatChoker} per torrent. */
@Component(service = ChokerFactory.class)
@StrategyName("tit-for-tat")
@StrategyKind(StrategyKind.CHOKER)
@StrategyDescription("Unchoke the peers that upload most to us, one optimistic unchoke every 30 s, anti-snubbing"
        + " (Cohen 2003; Legout et al. 2006)")
@ServiceRanking(100)
public final class TitForTatChokerFactory implements ChokerFactory {
    @Override
    public Choker create(TorrentView torrent) {
        return new TitForTatChoker(new OptimisticUnchoke(new SplittableRandom(torrent.randomSeed())));
    }
}
