package org.stampede.testing.faulty;

import org.osgi.service.component.annotations.Component;
import org.stampede.api.PiecePicker;
import org.stampede.api.PiecePickerFactory;
import org.stampede.api.StrategyDescription;
import org.stampede.api.StrategyKind;
import org.stampede.api.StrategyName;

/** A picker that throws from {@code pick}: the engine must fall back to its default and go on. */
@Component(service = PiecePickerFactory.class)
@StrategyName("faulty-throws")
@StrategyKind(StrategyKind.PICKER)
@StrategyDescription("Test fixture: throws from every pick")
public final class ThrowingPickerFactory implements PiecePickerFactory {
    @Override
    public PiecePicker create(org.stampede.api.TorrentView torrent) {
        return (t, peer, requests) -> {
            throw new IllegalStateException("faulty-throws: deliberate failure");
        };
    }
}
