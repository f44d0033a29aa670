package org.stampede.picker.priority;

import java.util.SplittableRandom;

import org.osgi.service.component.annotations.Component;
import org.stampede.api.PiecePicker;
import org.stampede.api.PiecePickerFactory;
import org.stampede.api.StrategyDescription;
import org.stampede.api.StrategyKind;
import org.stampede.api.StrategyName;
import org.stampede.api.TorrentView;

/**
 * Priority first: one {@link PriorityPicker} per torrent, its random source (ties in rarity) seeded from {@link TorrentView#randomSeed()} so that runs are reproducible.
 */
@Component(service = PiecePickerFactory.class)
@StrategyName("priority")
@StrategyKind(StrategyKind.PICKER)
@StrategyDescription("File and piece priorities first (7 down to 1), rarest first within a priority; endgame"
        + " (libtorrent piece priorities)")
public final class PriorityPickerFactory implements PiecePickerFactory {

    @Override
    public PiecePicker create(TorrentView torrent) {
        return new PriorityPicker(new SplittableRandom(torrent.randomSeed()));
    }
}
