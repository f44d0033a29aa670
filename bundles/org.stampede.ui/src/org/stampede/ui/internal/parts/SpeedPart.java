package org.stampede.ui.internal.parts;

import org.eclipse.osgi.util.NLS;
import org.eclipse.swt.SWT;
import org.eclipse.swt.graphics.Color;
import org.eclipse.swt.graphics.GC;
import org.eclipse.swt.graphics.Rectangle;
import org.eclipse.swt.layout.FillLayout;
import org.eclipse.swt.widgets.Canvas;
import org.eclipse.swt.widgets.Composite;
import org.eclipse.swt.widgets.Control;
import org.stampede.engine.EngineEvents;
import org.stampede.ui.internal.ClientSession;
import org.stampede.ui.internal.Format;
import org.stampede.ui.internal.Messages;
import org.stampede.ui.internal.RateHistory;

import jakarta.inject.Inject;

/**
 * The session's download and upload rates over the last minutes, as two lines on a double-buffered canvas. The
 * samples come from the session's {@link RateHistory} (fed by the engine's once-a-second stats events), copied
 * into arrays kept here; the graph redraws when a stats event arrives.
 */
public final class SpeedPart extends SessionPart {
    public static final String ID = "org.stampede.ui.part.speed";
    private static final int MARGIN_LEFT = 80;
    private static final int MARGIN = 8;
    private static final int LEGEND = 22;

    private Canvas canvas;
    private long[] down;
    private long[] up;
    private int samples;
    private Color downColor;
    private Color upColor;

    @Inject
    public SpeedPart(ClientSession session) {
        super(session);
    }

    @Override
    protected Control createControls(Composite parent) {
        parent.setLayout(new FillLayout());
        canvas = new Canvas(parent, SWT.DOUBLE_BUFFERED | SWT.NO_BACKGROUND);
        down = new long[session.history().capacity()];
        up = new long[down.length];
        downColor = new Color(30, 100, 220);
        upColor = new Color(40, 160, 60);
        canvas.addPaintListener(e -> paint(e.gc));
        canvas.addListener(SWT.Resize, e -> canvas.redraw());
        return canvas;
    }

    @Override
    protected boolean concerns(String topic, String infoHash) {
        return EngineEvents.TORRENT_STATS.equals(topic);
    }

    @Override
    protected void refresh() {
        samples = session.history().copy(down, up);
        canvas.redraw();
    }

    private void paint(GC gc) {
        Rectangle area = canvas.getClientArea();
        gc.setBackground(canvas.getDisplay().getSystemColor(SWT.COLOR_LIST_BACKGROUND));
        gc.fillRectangle(area);
        gc.setForeground(canvas.getDisplay().getSystemColor(SWT.COLOR_LIST_FOREGROUND));
        long max = 1024; // at least 1 KiB/s of scale
        for (int i = 0; i < samples; i++) {
            max = Math.max(max, Math.max(down[i], up[i]));
        }
        long nowDown = samples == 0 ? 0 : down[samples - 1];
        long nowUp = samples == 0 ? 0 : up[samples - 1];
        gc.setForeground(downColor);
        gc.drawText(NLS.bind(Messages.speedDown, rate(nowDown)), MARGIN_LEFT, 4, true);
        gc.setForeground(upColor);
        gc.drawText(NLS.bind(Messages.speedUp, rate(nowUp)), MARGIN_LEFT + 200, 4, true);
        int x0 = MARGIN_LEFT;
        int y0 = LEGEND + 4;
        int w = Math.max(1, area.width - MARGIN_LEFT - MARGIN);
        int h = Math.max(1, area.height - y0 - MARGIN - 16);
        gc.setForeground(canvas.getDisplay().getSystemColor(SWT.COLOR_WIDGET_NORMAL_SHADOW));
        gc.drawRectangle(x0, y0, w, h);
        gc.setForeground(canvas.getDisplay().getSystemColor(SWT.COLOR_LIST_FOREGROUND));
        gc.drawText(Format.bytes(max) + "/s", 4, y0, true);
        gc.drawText("0", MARGIN_LEFT - 16, y0 + h - 14, true);
        // the time axis grows with the history: one minute at first, up to the history's capacity
        int capacity = Math.max(60, Math.min(down.length, samples));
        gc.drawText("-" + Format.duration(capacity), x0, y0 + h + 2, true);
        gc.drawText("now", x0 + w - 24, y0 + h + 2, true);
        gc.setLineWidth(2);
        line(gc, down, downColor, x0, y0, w, h, max, capacity);
        line(gc, up, upColor, x0, y0, w, h, max, capacity);
        gc.setLineWidth(1);
    }

    private static String rate(long r) {
        return r <= 0 ? "0 B/s" : Format.rate(r);
    }

    /** Newest sample at the right edge; one x step per second of the history's capacity. */
    private void line(GC gc, long[] values, Color color, int x0, int y0, int w, int h, long max, int capacity) {
        if (samples < 2) {
            return;
        }
        gc.setForeground(color);
        double step = w / (double) (capacity - 1);
        int prevX = 0;
        int prevY = 0;
        for (int i = 0; i < samples; i++) {
            int x = x0 + (int) Math.round(w - (samples - 1 - i) * step);
            int y = y0 + h - (int) Math.round(h * (values[i] / (double) max));
            if (i > 0) {
                gc.drawLine(prevX, prevY, x, y);
            }
            prevX = x;
            prevY = y;
        }
    }

    Canvas canvas() {
        return canvas;
    }

    /** Samples drawn at the last refresh. */
    int samples() {
        return samples;
    }
}
