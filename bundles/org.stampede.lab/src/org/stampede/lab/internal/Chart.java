package org.stampede.lab.internal;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.FontMetrics;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.Stroke;
import java.awt.geom.AffineTransform;
import java.awt.geom.Path2D;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * A small x/y chart drawn with Java 2D: axes with round ticks, a light grid, a title, axis labels, a legend, and
 * series as lines, steps or points. Enough for the lab's three plots, with no plotting library.
 * <p>
 * Text needs fonts; where the runtime has none (a bare container), drawing text fails with an {@link Error}, and
 * the chart is then drawn without text rather than not at all.
 */
public final class Chart {
    /** How a series is drawn. */
    public enum Style {
        LINE, STEP, POINTS, DASHED
    }

    /** One series; {@code xs} and {@code ys} have the same length. */
    public record Series(String name, Color color, Style style, double[] xs, double[] ys) {
        public Series {
            if (xs.length != ys.length) {
                throw new IllegalArgumentException("xs and ys differ in length");
            }
        }
    }

    public static final Color[] PALETTE = { new Color(0x1f77b4), new Color(0xd62728), new Color(0x2ca02c),
            new Color(0xff7f0e), new Color(0x9467bd) };

    private static final Color GRID = new Color(0xe6e6e6);
    private static final Color AXIS = new Color(0x333333);

    private final String title;
    private final String xLabel;
    private final String yLabel;
    private final List<Series> series = new ArrayList<>();
    private double yMaxAtLeast = 1;
    private boolean text = true;

    public Chart(String title, String xLabel, String yLabel) {
        this.title = title;
        this.xLabel = xLabel;
        this.yLabel = yLabel;
    }

    public Chart add(Series s) {
        series.add(s);
        return this;
    }

    /** The y axis reaches at least this (e.g. 1 for a fraction). */
    public Chart yMaxAtLeast(double v) {
        yMaxAtLeast = v;
        return this;
    }

    /** Draws the chart into the rectangle (x, y, w, h) of {@code g}. */
    public void draw(Graphics2D g, int x, int y, int w, int h) {
        g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
        g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
        g.setColor(Color.WHITE);
        g.fillRect(x, y, w, h);
        Font font = new Font(Font.SANS_SERIF, Font.PLAIN, 12);
        g.setFont(font);
        int left = x + 70;
        int right = x + w - 20;
        int top = y + 44;
        int bottom = y + h - 50;
        double xMin = 0;
        double xMax = 0;
        double yMax = yMaxAtLeast;
        for (Series s : series) {
            for (int i = 0; i < s.xs().length; i++) {
                if (Double.isFinite(s.xs()[i]) && Double.isFinite(s.ys()[i])) {
                    xMax = Math.max(xMax, s.xs()[i]);
                    yMax = Math.max(yMax, s.ys()[i]);
                }
            }
        }
        if (xMax <= xMin) {
            xMax = xMin + 1;
        }
        double xStep = niceStep(xMax - xMin);
        double yStep = niceStep(yMax);
        xMax = Math.ceil(xMax / xStep) * xStep;
        yMax = Math.ceil(yMax / yStep) * yStep;
        Mapper m = new Mapper(left, right, top, bottom, xMin, xMax, yMax);

        g.setStroke(new BasicStroke(1f));
        for (double v = 0; v <= yMax + yStep / 2; v += yStep) {
            int py = m.y(v);
            g.setColor(GRID);
            g.drawLine(left, py, right, py);
            g.setColor(AXIS);
            text(g, format(v, yStep), left - 6 - width(g, format(v, yStep)), py + 4);
        }
        for (double v = xMin; v <= xMax + xStep / 2; v += xStep) {
            int px = m.x(v);
            g.setColor(GRID);
            g.drawLine(px, top, px, bottom);
            g.setColor(AXIS);
            String label = format(v, xStep);
            text(g, label, px - width(g, label) / 2, bottom + 16);
        }
        g.setColor(AXIS);
        g.drawRect(left, top, right - left, bottom - top);

        Stroke solid = new BasicStroke(2f);
        Stroke dashed = new BasicStroke(1.5f, BasicStroke.CAP_BUTT, BasicStroke.JOIN_MITER, 10f, new float[] { 6f, 4f },
                0f);
        for (Series s : series) {
            g.setColor(s.color());
            switch (s.style()) {
                case POINTS -> {
                    for (int i = 0; i < s.xs().length; i++) {
                        if (Double.isFinite(s.xs()[i]) && Double.isFinite(s.ys()[i])) {
                            g.fillOval(m.x(s.xs()[i]) - 3, m.y(s.ys()[i]) - 3, 7, 7);
                        }
                    }
                }
                case LINE, STEP, DASHED -> {
                    g.setStroke(s.style() == Style.DASHED ? dashed : solid);
                    g.draw(path(s, m));
                }
            }
        }
        g.setStroke(new BasicStroke(1f));

        g.setColor(AXIS);
        g.setFont(font.deriveFont(Font.BOLD, 14f));
        text(g, title, left, y + 22);
        g.setFont(font);
        text(g, xLabel, (left + right) / 2 - width(g, xLabel) / 2, bottom + 36);
        AffineTransform saved = g.getTransform();
        g.rotate(-Math.PI / 2, x + 16, (top + bottom) / 2.0);
        text(g, yLabel, x + 16 - width(g, yLabel) / 2, (top + bottom) / 2 + 4);
        g.setTransform(saved);

        // the legend, right-aligned in one row between the title and the plot
        int lx = right;
        for (int i = series.size() - 1; i >= 0; i--) {
            Series s = series.get(i);
            if (s.name() == null || s.name().isEmpty()) {
                continue;
            }
            lx -= width(g, s.name()) + 20;
            g.setColor(s.color());
            g.fillRect(lx, top - 14, 12, 8);
            g.setColor(AXIS);
            text(g, s.name(), lx + 16, top - 6);
            lx -= 12;
        }
    }

    private static Path2D path(Series s, Mapper m) {
        Path2D.Double p = new Path2D.Double();
        boolean started = false;
        double lastY = 0;
        for (int i = 0; i < s.xs().length; i++) {
            double vx = s.xs()[i];
            double vy = s.ys()[i];
            if (!Double.isFinite(vx) || !Double.isFinite(vy)) {
                continue;
            }
            if (!started) {
                p.moveTo(m.x(vx), m.y(vy));
                started = true;
            } else {
                if (s.style() == Style.STEP) {
                    p.lineTo(m.x(vx), m.y(lastY));
                }
                p.lineTo(m.x(vx), m.y(vy));
            }
            lastY = vy;
        }
        return p;
    }

    private record Mapper(int left, int right, int top, int bottom, double xMin, double xMax, double yMax) {
        int x(double v) {
            return left + (int) Math.round((v - xMin) / (xMax - xMin) * (right - left));
        }

        int y(double v) {
            return bottom - (int) Math.round(v / yMax * (bottom - top));
        }
    }

    /** 1, 2 or 5 times a power of ten, giving about five to ten ticks over {@code range}. */
    static double niceStep(double range) {
        if (!(range > 0) || !Double.isFinite(range)) {
            return 1;
        }
        double raw = range / 6;
        double pow = Math.pow(10, Math.floor(Math.log10(raw)));
        double f = raw / pow;
        double nice = f < 1.5 ? 1 : f < 3.5 ? 2 : f < 7.5 ? 5 : 10;
        return nice * pow;
    }

    private static String format(double v, double step) {
        if (step >= 1 && Math.abs(v) < 1e15) {
            return Long.toString(Math.round(v));
        }
        int decimals = (int) Math.max(0, Math.ceil(-Math.log10(step)));
        return String.format(Locale.ROOT, "%." + decimals + "f", v);
    }

    private void text(Graphics2D g, String s, int x, int y) {
        if (!text) {
            return;
        }
        try {
            g.drawString(s, x, y);
        } catch (VirtualMachineError e) {
            throw e;
        } catch (Error | RuntimeException e) {
            text = false; // no fonts in this runtime: the chart goes without text
        }
    }

    private int width(Graphics2D g, String s) {
        if (!text) {
            return 0;
        }
        try {
            FontMetrics fm = g.getFontMetrics();
            return fm.stringWidth(s);
        } catch (VirtualMachineError e) {
            throw e;
        } catch (Error | RuntimeException e) {
            text = false;
            return 0;
        }
    }

    /** Whether text could be drawn (false when the runtime has no fonts). */
    public boolean drewText() {
        return text;
    }
}
