package org.stampede.choker.antileech;

import org.osgi.service.component.annotations.Component;
import org.stampede.api.Choker;
import org.stampede.api.ChokerFactory;
import org.stampede.api.StrategyDescription;
import org.stampede.api.StrategyKind;
import org.stampede.api.StrategyName;
import org.stampede.api.TorrentView;

/** Anti-leech seeding: one {@link AntiLeechChoker} per torrent (deterministic: it draws nothing at random). */
@Component(service = ChokerFactory.class)
@StrategyName("anti-leech")
@StrategyKind(StrategyKind.SEED_CHOKER)
@StrategyDescription("While seeding, prefer peers that just started or nearly finished, plus a rotating slot for the"
        + " peer waiting longest (libtorrent anti_leech; Chow et al. 2008)")
public final class AntiLeechChokerFactory implements ChokerFactory {
    @Override
    public Choker create(TorrentView torrent) {
        return new AntiLeechChoker();
    }
}
