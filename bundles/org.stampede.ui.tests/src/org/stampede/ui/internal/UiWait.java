package org.stampede.ui.internal;

import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

import org.eclipse.swt.widgets.Display;

/** Bounded waits on the display thread that keep dispatching its events. */
public final class UiWait {
    /** The bound of {@link #until}: generous, it only ends a test that would hang. */
    public static final long WAIT_MS = 90_000;

    private UiWait() {
    }

    /** Dispatches events until the condition holds; fails with {@code what} after {@link #WAIT_MS}. */
    public static void until(Display display, BooleanSupplier condition, Supplier<String> what) {
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(WAIT_MS);
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out waiting for " + what.get());
            }
            sleepOnce(display);
        }
    }

    /** Dispatches events for about {@code millis} (lets the window system map and paint what was opened). */
    public static void settle(Display display, long millis) {
        long until = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(millis);
        while (System.nanoTime() < until) {
            sleepOnce(display);
        }
    }

    /** Dispatches every queued event. */
    public static void drain(Display display) {
        while (display.readAndDispatch()) {
            // run what is queued
        }
    }

    private static void sleepOnce(Display display) {
        if (!display.readAndDispatch()) {
            display.timerExec(20, () -> {
            });
            display.sleep();
        }
    }
}
