package org.stampede.ui.internal.parts;

import org.eclipse.osgi.util.NLS;
import org.eclipse.swt.SWT;
import org.eclipse.swt.graphics.Color;
import org.eclipse.swt.graphics.GC;
import org.eclipse.swt.graphics.RGB;
import org.eclipse.swt.graphics.Rectangle;
import org.eclipse.swt.widgets.Canvas;
import org.eclipse.swt.widgets.Composite;
import org.eclipse.swt.widgets.Control;
import org.eclipse.swt.layout.FillLayout;
import org.stampede.engine.TorrentHandle;
import org.stampede.ui.internal.ClientSession;
import org.stampede.ui.internal.Messages;

import jakarta.inject.Inject;

/**
 * The piece map of the selected torrent on a double-buffered canvas: one cell per piece (or per run of pieces when
 * there are more pieces than room), green where we have it, orange while it downloads, and for missing pieces a
 * blue that darkens with the number of peers that have it (white: nobody has it). The engine copies the map into
 * arrays kept here, so a refresh allocates nothing.
 */
public final class PiecesPart extends SessionPart {
    public static final String ID = "org.stampede.ui.part.pieces";
    private static final int SHADES = 6;
    private static final int LEGEND = 22;

    private Canvas canvas;
    private byte[] states = new byte[0];
    private int[] availability = new int[0];
    private int pieces;
    private String shownHash;
    private Color have;
    private Color downloading;
    private final Color[] missing = new Color[SHADES];
    private int paintedHave;
    private int paintedCells;

    @Inject
    public PiecesPart(ClientSession session) {
        super(session);
    }

    @Override
    protected Control createControls(Composite parent) {
        parent.setLayout(new FillLayout());
        canvas = new Canvas(parent, SWT.DOUBLE_BUFFERED | SWT.NO_BACKGROUND);
        have = new Color(46, 160, 67);
        downloading = new Color(240, 150, 30);
        for (int i = 0; i < SHADES; i++) {
            // from white (no peer has it) to a deep blue (many peers have it)
            RGB light = new RGB(250, 250, 252);
            RGB dark = new RGB(40, 80, 170);
            double t = i / (double) (SHADES - 1);
            missing[i] = new Color((int) (light.red + (dark.red - light.red) * t),
                    (int) (light.green + (dark.green - light.green) * t),
                    (int) (light.blue + (dark.blue - light.blue) * t));
        }
        canvas.addPaintListener(e -> paint(e.gc));
        canvas.addListener(SWT.Resize, e -> canvas.redraw());
        return canvas;
    }

    @Override
    protected void refresh() {
        ClientSession.Entry e = session.selected();
        if (e == null || e.paused()) {
            pieces = 0;
            shownHash = null;
        } else {
            int n = e.torrent().pieceCount();
            if (states.length < n) {
                states = new byte[n];
                availability = new int[n];
            }
            pieces = e.handle().pieces(states, availability);
            shownHash = e.infoHash();
        }
        canvas.redraw();
    }

    private void paint(GC gc) {
        Rectangle area = canvas.getClientArea();
        gc.setBackground(canvas.getDisplay().getSystemColor(SWT.COLOR_LIST_BACKGROUND));
        gc.fillRectangle(area);
        gc.setForeground(canvas.getDisplay().getSystemColor(SWT.COLOR_LIST_FOREGROUND));
        paintedHave = 0;
        paintedCells = 0;
        if (shownHash == null || pieces == 0) {
            gc.drawText(Messages.noSelection, 6, 4, true);
            return;
        }
        int haveCount = 0;
        int downloadingCount = 0;
        int maxAvailability = 1;
        for (int p = 0; p < pieces; p++) {
            if (states[p] == TorrentHandle.PIECE_HAVE) {
                haveCount++;
            } else if (states[p] == TorrentHandle.PIECE_DOWNLOADING) {
                downloadingCount++;
            }
            maxAvailability = Math.max(maxAvailability, availability[p]);
        }
        gc.drawText(NLS.bind(Messages.piecesLegend, new Object[] { pieces, haveCount, downloadingCount,
                pieces - haveCount - downloadingCount }), 6, 4, true);
        int width = Math.max(1, area.width - 8);
        int height = Math.max(1, area.height - LEGEND - 4);
        // the largest square cell (2..24 px) at which every piece gets its own cell; else 2 px cells of runs
        int cell = 24;
        while (cell > 2 && (long) (width / cell) * (height / cell) < pieces) {
            cell--;
        }
        int columns = Math.max(1, width / cell);
        int rows = Math.max(1, height / cell);
        int cells = Math.min(pieces, columns * rows);
        double perCell = pieces / (double) cells;
        int gap = cell >= 6 ? 1 : 0;
        for (int c = 0; c < cells; c++) {
            int from = (int) (c * perCell);
            int to = Math.max(from + 1, (int) ((c + 1) * perCell));
            // a run shows its weakest piece: missing over downloading over have; availability its lowest
            byte state = TorrentHandle.PIECE_HAVE;
            int avail = Integer.MAX_VALUE;
            for (int p = from; p < to && p < pieces; p++) {
                state = (byte) Math.min(state, states[p]);
                avail = Math.min(avail, availability[p]);
            }
            Color color;
            if (state == TorrentHandle.PIECE_HAVE) {
                color = have;
                paintedHave++;
            } else if (state == TorrentHandle.PIECE_DOWNLOADING) {
                color = downloading;
            } else {
                int shade = avail <= 0 ? 0 : 1 + (int) Math.round((SHADES - 2) * (avail - 1)
                        / (double) Math.max(1, maxAvailability - 1));
                color = missing[Math.min(SHADES - 1, shade)];
            }
            gc.setBackground(color);
            gc.fillRectangle(4 + (c % columns) * cell, LEGEND + (c / columns) * cell, cell - gap, cell - gap);
            paintedCells++;
        }
    }

    @Override
    public void dispose() {
        super.dispose();
        have.dispose();
        downloading.dispose();
        for (Color c : missing) {
            c.dispose();
        }
    }

    Canvas canvas() {
        return canvas;
    }

    /** Cells painted green in the last paint. */
    int paintedHaveCells() {
        return paintedHave;
    }

    int paintedCells() {
        return paintedCells;
    }
}
