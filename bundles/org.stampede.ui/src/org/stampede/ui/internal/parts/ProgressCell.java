package org.stampede.ui.internal.parts;

import java.util.function.ToDoubleFunction;

import org.eclipse.swt.SWT;
import org.eclipse.swt.graphics.Color;
import org.eclipse.swt.graphics.GC;
import org.eclipse.swt.graphics.Point;
import org.eclipse.swt.graphics.Rectangle;
import org.eclipse.swt.widgets.Display;
import org.eclipse.swt.widgets.Table;
import org.eclipse.swt.widgets.TableItem;
import org.eclipse.swt.widgets.Tree;
import org.eclipse.swt.widgets.TreeItem;

import org.stampede.ui.internal.Format;

/**
 * A progress bar painted in one column of a table or tree (owner draw: {@code SWT.EraseItem} leaves the cell's
 * background to the platform and drops its foreground, {@code SWT.PaintItem} draws the bar and the percentage).
 * Nothing is allocated per paint but the percentage text and the bar's rectangle.
 */
final class ProgressCell {
    /** Device-independent colours (no disposal needed): light enough for dark text on them. */
    private static final Color BAR = new Color(120, 170, 235);
    private static final Color DONE = new Color(110, 195, 120);

    private ProgressCell() {
    }

    static void install(Table table, int column, ToDoubleFunction<TableItem> fraction) {
        table.addListener(SWT.EraseItem, e -> {
            if (e.index == column) {
                e.detail &= ~SWT.FOREGROUND;
            }
        });
        table.addListener(SWT.PaintItem, e -> {
            if (e.index == column && e.item.getData() != null) {
                paint(e.gc, ((TableItem) e.item).getBounds(column), fraction.applyAsDouble((TableItem) e.item),
                        table.getDisplay());
            }
        });
    }

    static void install(Tree tree, int column, ToDoubleFunction<TreeItem> fraction) {
        tree.addListener(SWT.EraseItem, e -> {
            if (e.index == column) {
                e.detail &= ~SWT.FOREGROUND;
            }
        });
        tree.addListener(SWT.PaintItem, e -> {
            if (e.index == column && e.item.getData() != null) {
                paint(e.gc, ((TreeItem) e.item).getBounds(column), fraction.applyAsDouble((TreeItem) e.item),
                        tree.getDisplay());
            }
        });
    }

    static void paint(GC gc, Rectangle cell, double fraction, Display display) {
        double f = Math.max(0, Math.min(1, fraction));
        Rectangle bar = new Rectangle(cell.x + 2, cell.y + 2, Math.max(0, cell.width - 4), Math.max(0, cell.height - 4));
        Color oldBg = gc.getBackground();
        Color oldFg = gc.getForeground();
        gc.setBackground(display.getSystemColor(SWT.COLOR_WIDGET_LIGHT_SHADOW));
        gc.fillRectangle(bar);
        gc.setBackground(f >= 1 ? DONE : BAR);
        gc.fillRectangle(bar.x, bar.y, (int) Math.round(bar.width * f), bar.height);
        gc.setForeground(display.getSystemColor(SWT.COLOR_WIDGET_NORMAL_SHADOW));
        gc.drawRectangle(bar.x, bar.y, Math.max(0, bar.width - 1), Math.max(0, bar.height - 1));
        String text = Format.percent(f);
        Point size = gc.textExtent(text);
        gc.setForeground(display.getSystemColor(SWT.COLOR_BLACK));
        gc.drawText(text, bar.x + (bar.width - size.x) / 2, bar.y + (bar.height - size.y) / 2, true);
        gc.setBackground(oldBg);
        gc.setForeground(oldFg);
    }
}
