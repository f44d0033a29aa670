package org.stampede.picker.rarest;

import java.util.SplittableRandom;

import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.propertytypes.ServiceRanking;
import org.stampede.api.PiecePicker;
import org.stampede.api.PiecePickerFactory;
import org.stampede.api.StrategyDescription;
import org.stampede.api.StrategyKind;
import org.stampede.api.StrategyName;
import org.stampede.api.TorrentView;

/** The default piece picker: one {@link RarestFirstPicker} per torrent, each with its own random source. */
@Component(service = PiecePickerFactory.class)
@StrategyName("rarest-first")
@StrategyKind(StrategyKind.PICKER)
@StrategyDescription("Rarest piece first, random first pieces, started pieces finished first, endgame"
        + " (BEP 3; Cohen 2003; Legout et al. 2006)")
@ServiceRanking(100)
public final class RarestFirstPickerFactory implements PiecePickerFactory {
    @Override
    public PiecePicker create(TorrentView torrent) {
        return new RarestFirstPicker(new SplittableRandom(torrent.randomSeed()));
    }
}
