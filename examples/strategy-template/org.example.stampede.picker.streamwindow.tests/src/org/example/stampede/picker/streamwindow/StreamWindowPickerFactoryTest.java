package org.example.stampede.picker.streamwindow;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.lang.annotation.Annotation;

import org.junit.jupiter.api.Test;
import org.stampede.api.testing.TestTorrent;

/** How the DS component makes pickers and takes its configuration. */
class StreamWindowPickerFactoryTest {
    /** The configuration SCR would pass for these component properties. */
    private static StreamWindowPickerFactory.Config config(int windowPieces, int windowPercent) {
        return new StreamWindowPickerFactory.Config() {
            @Override
            public int windowPieces() {
                return windowPieces;
            }

            @Override
            public int windowPercent() {
                return windowPercent;
            }

            @Override
            public Class<? extends Annotation> annotationType() {
                return StreamWindowPickerFactory.Config.class;
            }
        };
    }

    private static StreamWindowPicker create(StreamWindowPickerFactory factory) {
        return (StreamWindowPicker) factory.create(new TestTorrent(8, 1));
    }

    @Test
    void makesANewPickerForEachTorrentWithTheDefaults() {
        StreamWindowPickerFactory factory = new StreamWindowPickerFactory();
        StreamWindowPicker picker = create(factory);
        assertNotSame(picker, create(factory));
        assertEquals(StreamWindowPicker.DEFAULT_WINDOW_PIECES, picker.windowPieces());
        assertEquals(StreamWindowPicker.DEFAULT_WINDOW_PERCENT, picker.windowPercent());
    }

    @Test
    void configurationAppliesToThePickersMadeAfterIt() {
        StreamWindowPickerFactory factory = new StreamWindowPickerFactory();
        factory.configure(config(8, 50));
        StreamWindowPicker picker = create(factory);
        assertEquals(8, picker.windowPieces());
        assertEquals(50, picker.windowPercent());
    }

    @Test
    void refusedConfigurationLeavesTheSettingsInForce() {
        StreamWindowPickerFactory factory = new StreamWindowPickerFactory();
        factory.configure(config(8, 50));
        assertThrows(IllegalArgumentException.class, () -> factory.configure(config(8, 150)));
        assertEquals(50, create(factory).windowPercent());
    }
}
