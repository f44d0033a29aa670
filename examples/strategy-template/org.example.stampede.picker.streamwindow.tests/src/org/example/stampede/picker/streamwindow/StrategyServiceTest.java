package org.example.stampede.picker.streamwindow;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.FrameworkUtil;
import org.osgi.framework.ServiceReference;
import org.osgi.util.tracker.ServiceTracker;
import org.stampede.api.PiecePickerFactory;
import org.stampede.api.StrategyDescription;
import org.stampede.api.StrategyKind;
import org.stampede.api.StrategyName;
import org.stampede.api.testing.TestTorrent;

/**
 * The bundle as the client sees it: in a real framework (Equinox, run by Tycho), with Felix SCR, the component
 * generated from the annotations registers a {@link PiecePickerFactory} under the strategy's name. This is what
 * {@code stampede control install} relies on.
 */
@Timeout(60)
class StrategyServiceTest {
    private static final String FILTER = "(&(objectClass=" + PiecePickerFactory.class.getName() + ")("
            + StrategyName.NAME + "=stream-window))";

    private static ServiceTracker<PiecePickerFactory, PiecePickerFactory> tracker;

    @BeforeAll
    static void startTheStrategy() throws Exception {
        // the test runtime installs SCR and the bundle under test but starts neither
        Bundle strategy = FrameworkUtil.getBundle(StreamWindowPickerFactory.class);
        strategy.start(Bundle.START_ACTIVATION_POLICY);
        BundleContext context = strategy.getBundleContext();
        for (Bundle b : context.getBundles()) {
            if ("org.apache.felix.scr".equals(b.getSymbolicName())) {
                b.start();
            }
        }
        tracker = new ServiceTracker<>(context, context.createFilter(FILTER), null);
        tracker.open();
        assertNotNull(tracker.waitForService(30_000), "no service matches " + FILTER + " within 30 s");
    }

    @AfterAll
    static void close() {
        if (tracker != null) {
            tracker.close();
        }
    }

    @Test
    void registersAPickerWithItsKindDescriptionAndDefaultSettings() {
        ServiceReference<PiecePickerFactory> ref = tracker.getServiceReference();
        assertEquals(StrategyKind.PICKER, ref.getProperty(StrategyKind.NAME));
        assertFalse(String.valueOf(ref.getProperty(StrategyDescription.NAME)).isBlank());
        assertEquals(StreamWindowPicker.DEFAULT_WINDOW_PIECES, ref.getProperty("windowPieces"));
        assertEquals(StreamWindowPicker.DEFAULT_WINDOW_PERCENT, ref.getProperty("windowPercent"));
    }

    @Test
    void serviceMakesStreamWindowPickers() {
        PiecePickerFactory factory = tracker.getService();
        assertInstanceOf(StreamWindowPicker.class, factory.create(new TestTorrent(8, 1)));
    }
}
