package org.stampede.picker.sequential;

import java.util.SplittableRandom;

import org.osgi.service.component.annotations.Component;
import org.stampede.api.PiecePicker;
import org.stampede.api.PiecePickerFactory;
import org.stampede.api.StrategyDescription;
import org.stampede.api.StrategyKind;
import org.stampede.api.StrategyName;
import org.stampede.api.TorrentView;

/**
 * Streaming: one {@link SequentialPicker} per torrent with a 16 MiB read-ahead window and the first and last MiB
 * first. Its random source (ties among the rarest pieces outside the window) is seeded from
 * {@link TorrentView#randomSeed()}.
 */
@Component(service = PiecePickerFactory.class)
@StrategyName("sequential")
@StrategyKind(StrategyKind.PICKER)
@StrategyDescription("Streaming: deadlines, then the first and last MiB, then a 16 MiB read-ahead window in order,"
        + " then rarest first; endgame (libtorrent sequential_download and set_piece_deadline)")
public final class SequentialPickerFactory implements PiecePickerFactory {

    @Override
    public PiecePicker create(TorrentView torrent) {
        return new SequentialPicker(new SplittableRandom(torrent.randomSeed()),
                SequentialPicker.DEFAULT_WINDOW_BYTES, SequentialPicker.DEFAULT_EDGE_BYTES);
    }
}
