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
 * The classic policy: one {@link ClassicPicker} per torrent, random until 4 pieces are verified, then rarest first.
 * Its random source is seeded from {@link TorrentView#randomSeed()}, so runs
 * are reproducible.
 */
@Component(service = PiecePickerFactory.class)
@StrategyName("random-first-then-rarest")
@StrategyKind(StrategyKind.PICKER)
@StrategyDescription("Random pieces until 4 are complete, then rarest first; strict priority, endgame; no priority"
        + " levels or deadlines (Cohen 2003)")
public final class RandomFirstPickerFactory implements PiecePickerFactory {

    @Override
    public PiecePicker create(TorrentView torrent) {
        return new ClassicPicker(new SplittableRandom(torrent.randomSeed()),
                ClassicPicker.RANDOM_FIRST_PIECES);
    }
}
