package org.stampede.picker.random;

import java.util.SplittableRandom;

import org.osgi.service.component.annotations.Component;
import org.stampede.api.PiecePicker;
import org.stampede.api.PiecePickerFactory;
import org.stampede.api.StrategyDescription;
import org.stampede.api.StrategyKind;
import org.stampede.api.StrategyName;
import org.stampede.api.TorrentView;

/**
 * Random piece selection throughout, the baseline rarest first is measured against: one {@link ClassicPicker} per
 * torrent that never leaves its random phase. Its random source is seeded from {@link TorrentView#randomSeed()}.
 */
@Component(service = PiecePickerFactory.class)
@StrategyName("random")
@StrategyKind(StrategyKind.PICKER)
@StrategyDescription("Pieces in random order, strict priority, endgame: the baseline of Legout et al. 2006 and"
        + " Bharambe et al. 2006")
public final class RandomPickerFactory implements PiecePickerFactory {

    @Override
    public PiecePicker create(TorrentView torrent) {
        return new ClassicPicker(new SplittableRandom(torrent.randomSeed()),
                ClassicPicker.ALWAYS_RANDOM);
    }
}
