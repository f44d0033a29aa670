package org.stampede.choker.bittyrant;

import org.osgi.service.component.annotations.Component;
import org.stampede.api.Choker;
import org.stampede.api.ChokerFactory;
import org.stampede.api.StrategyDescription;
import org.stampede.api.StrategyKind;
import org.stampede.api.StrategyName;
import org.stampede.api.TorrentView;

/** BitTyrant: one {@link BitTyrantChoker} per torrent (deterministic: it draws nothing at random). */
@Component(service = ChokerFactory.class)
@StrategyName("bittyrant")
@StrategyKind(StrategyKind.CHOKER)
@StrategyDescription("Strategic: unchoke the best download-per-upload peers until their upload needs fill our"
        + " capacity and, with an upload limit, send each just its need, learning both per peer (Piatek et al.,"
        + " Do incentives build robustness in BitTorrent?, NSDI 2007)")
public final class BitTyrantChokerFactory implements ChokerFactory {
    @Override
    public Choker create(TorrentView torrent) {
        return new BitTyrantChoker();
    }
}
