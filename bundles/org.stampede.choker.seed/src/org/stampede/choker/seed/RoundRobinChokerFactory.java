package org.stampede.choker.seed;

import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.propertytypes.ServiceRanking;
import org.stampede.api.Choker;
import org.stampede.api.ChokerFactory;
import org.stampede.api.StrategyDescription;
import org.stampede.api.StrategyKind;
import org.stampede.api.StrategyName;
import org.stampede.api.TorrentView;

/** The default seeding choker: one {@link RoundRobinChoker} per torrent. */
@Component(service = ChokerFactory.class)
@StrategyName("round-robin")
@StrategyKind(StrategyKind.SEED_CHOKER)
@StrategyDescription("While seeding, rotate the upload slots so that every interested peer gets a turn of a piece"
        + " (libtorrent round_robin; Legout et al. 2006)")
@ServiceRanking(100)
public final class RoundRobinChokerFactory implements ChokerFactory {
    @Override
    public Choker create(TorrentView torrent) {
        return new RoundRobinChoker(RoundRobinChoker.DEFAULT_PIECE_QUOTA);
    }
}
