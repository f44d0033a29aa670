package org.example.stampede.picker.streamwindow;

import java.util.SplittableRandom;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Modified;
import org.stampede.api.PiecePicker;
import org.stampede.api.PiecePickerFactory;
import org.stampede.api.StrategyDescription;
import org.stampede.api.StrategyKind;
import org.stampede.api.StrategyName;
import org.stampede.api.TorrentView;

/**
 * The strategy as an OSGi service: one {@link StreamWindowPicker} per torrent. Declarative Services registers it
 * as a {@link PiecePickerFactory} with the properties {@code stampede.strategy.name=stream-window} and
 * {@code stampede.strategy.kind=picker} (the three annotations below; the build turns them into the component XML).
 * <p>
 * Settings are component properties, {@code windowPieces} (default {@value StreamWindowPicker#DEFAULT_WINDOW_PIECES})
 * and {@code windowPercent} (default {@value StreamWindowPicker#DEFAULT_WINDOW_PERCENT}); with ConfigurationAdmin
 * they can be set under the PID {@value #PID}. A change applies to the torrents that create a picker afterwards
 * (switching a torrent to this strategy again makes a new one). Settings out of range are refused with a message
 * that names the setting, which SCR logs: at activation the strategy is then not registered; on a later change
 * the settings in force stay.
 */
@Component(service = PiecePickerFactory.class, name = StreamWindowPickerFactory.PID)
@StrategyName("stream-window")
@StrategyKind(StrategyKind.PICKER)
@StrategyDescription("Streaming with a sliding window (BiToS): the next 32 wanted pieces rarest first 80% of the"
        + " time, else the rarest piece beyond them; started pieces first; endgame (Vlavianos et al. 2006)")
public final class StreamWindowPickerFactory implements PiecePickerFactory {
    /** The component's name and configuration PID. */
    static final String PID = "org.example.stampede.picker.streamwindow";

    /** The component properties this factory reads (a DS component property type: no metatype needed). */
    @interface Config {
        int windowPieces() default StreamWindowPicker.DEFAULT_WINDOW_PIECES;

        int windowPercent() default StreamWindowPicker.DEFAULT_WINDOW_PERCENT;
    }

    /** Both settings, replaced together so that a picker never gets one old and one new. */
    private record Settings(int windowPieces, int windowPercent) {
    }

    private volatile Settings settings = new Settings(StreamWindowPicker.DEFAULT_WINDOW_PIECES,
            StreamWindowPicker.DEFAULT_WINDOW_PERCENT);

    @Activate
    @Modified
    void configure(Config config) {
        StreamWindowPicker.checkSettings(config.windowPieces(), config.windowPercent());
        settings = new Settings(config.windowPieces(), config.windowPercent());
    }

    @Override
    public PiecePicker create(TorrentView torrent) {
        Settings s = settings;
        return new StreamWindowPicker(new SplittableRandom(torrent.randomSeed()), s.windowPieces(),
                s.windowPercent());
    }
}
