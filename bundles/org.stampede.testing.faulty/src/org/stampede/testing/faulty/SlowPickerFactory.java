package org.stampede.testing.faulty;

import org.osgi.service.component.annotations.Component;
import org.stampede.api.PiecePicker;
import org.stampede.api.PiecePickerFactory;
import org.stampede.api.StrategyDescription;
import org.stampede.api.StrategyKind;
import org.stampede.api.StrategyName;

/** A picker that takes 80 ms per call, over the engine's budget: the engine must fall back to its default. */
@Component(service = PiecePickerFactory.class)
@StrategyName("faulty-slow")
@StrategyKind(StrategyKind.PICKER)
@StrategyDescription("Test fixture: overruns the time budget on every pick")
public final class SlowPickerFactory implements PiecePickerFactory {
    @Override
    public PiecePicker create(org.stampede.api.TorrentView torrent) {
        return (t, peer, requests) -> {
            try {
                Thread.sleep(80);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        };
    }
}
