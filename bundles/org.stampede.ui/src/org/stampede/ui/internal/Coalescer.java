package org.stampede.ui.internal;

import java.util.concurrent.atomic.AtomicBoolean;

import org.eclipse.swt.SWTException;
import org.eclipse.swt.widgets.Control;

/**
 * Turns any number of change notices from any thread into at most one pending refresh on the display thread: the
 * first notice schedules it with {@code asyncExec}, later ones until it runs are absorbed. The UI thread never
 * waits, and a burst of engine events costs one refresh.
 */
public final class Coalescer {
    private final Control control;
    private final org.eclipse.swt.widgets.Display display;
    private final Runnable refresh;
    private final AtomicBoolean pending = new AtomicBoolean();

    public Coalescer(Control control, Runnable refresh) {
        this.control = control;
        this.display = control.getDisplay();
        this.refresh = refresh;
    }

    /** Asks for a refresh; callable from any thread. */
    public void request() {
        if (pending.compareAndSet(false, true)) {
            try {
                display.asyncExec(this::run);
            } catch (SWTException e) {
                // the control or display is gone: nothing to refresh
            }
        }
    }

    private void run() {
        pending.set(false);
        if (!control.isDisposed()) {
            refresh.run();
        }
    }
}
