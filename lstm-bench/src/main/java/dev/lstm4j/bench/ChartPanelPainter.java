package dev.lstm4j.bench;

import dev.lstm4j.peer.BenchConfig;
import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.FontMetrics;
import java.awt.Graphics2D;
import java.awt.Rectangle;
import java.awt.Shape;
import java.awt.geom.AffineTransform;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Draws one {@link ChartPanel}: a bar per engine grouped by configuration, the value on each bar, a hatched
 * stub for a case that failed, and a dashed line per backend ceiling.
 */
final class ChartPanelPainter {
    static final int HEIGHT = 420;
    /** Bars take this share of a group's width; the rest separates the groups. */
    static final double GROUP_FILL = 0.8;
    static final int MIN_BAR = 12;
    private static final int MAX_BAR = 56;
    private static final int STUB = 16;
    private static final int PLOT_TOP = 50;
    private static final Color BAND = new Color(0xF4F5F7);
    private static final Color GRID = new Color(0xE2E2E2);
    private static final Color AXIS = new Color(0x888888);
    private static final Color LABEL_BACKGROUND = new Color(255, 255, 255, 215);

    private final ChartPanel panel;
    private final Map<String, Color> colours;
    private final int left;
    private final int right;
    /** Bars, their labels and the ceiling labels placed so far, which a ceiling label must not cover. */
    private final List<Rectangle> occupied = new ArrayList<>();

    ChartPanelPainter(ChartPanel panel, Map<String, Color> colours, int left, int right) {
        this.panel = panel;
        this.colours = colours;
        this.left = left;
        this.right = right;
    }

    void paint(Graphics2D g, int top) {
        FontMetrics name = g.getFontMetrics(ChartFonts.CONFIG);
        FontMetrics shape = g.getFontMetrics(ChartFonts.SHAPE);
        double groupWidth = (right - left) / (double) panel.configs().size();
        ChartConfigLabels labels = ChartConfigLabels.layout(panel.configs(), groupWidth, name, shape);
        int plotTop = top + PLOT_TOP;
        int plotBottom = top + HEIGHT - labels.extent() - 12;
        // 12% headroom keeps the tallest bar's value label inside the plot.
        ChartAxis axis = ChartAxis.covering(panel.maxGflops() * 1.12);
        Scale y = new Scale(axis.max(), plotTop, plotBottom);

        g.setFont(ChartFonts.PANEL);
        g.setColor(ChartHeader.INK);
        int titleBaseline = top + 28;
        g.drawString(panel.title(), left, titleBaseline);

        for (int i = 1; i < panel.configs().size(); i += 2) {
            g.setColor(BAND);
            g.fillRect((int) Math.round(left + i * groupWidth), plotTop,
                    (int) Math.round(groupWidth), plotBottom - plotTop);
        }
        paintValueAxis(g, axis, y);
        paintCeilingLines(g, y);
        for (int i = 0; i < panel.configs().size(); i++) {
            paintGroup(g, panel.configs().get(i), left + i * groupWidth, groupWidth, y);
            labels.paint(g, i, left + (i + 0.5) * groupWidth, plotBottom, name, shape);
        }
        g.setColor(AXIS);
        g.drawLine(left, plotBottom, right, plotBottom);
        paintCeilingLabels(g, y, titleBaseline);
    }

    private void paintValueAxis(Graphics2D g, ChartAxis axis, Scale y) {
        g.setFont(ChartFonts.AXIS);
        FontMetrics metrics = g.getFontMetrics();
        for (double tick : axis.ticks()) {
            int ty = y.of(tick);
            g.setColor(GRID);
            g.drawLine(left, ty, right, ty);
            String text = axis.formatTick(tick);
            g.setColor(ChartHeader.MUTED);
            g.drawString(text, left - 8 - metrics.stringWidth(text), ty + metrics.getAscent() / 2 - 1);
        }
        AffineTransform saved = g.getTransform();
        g.translate(18, (y.top + y.bottom) / 2.0);
        g.rotate(-Math.PI / 2);
        g.drawString("GFLOP/s", -metrics.stringWidth("GFLOP/s") / 2, 0);
        g.setTransform(saved);
    }

    private void paintGroup(Graphics2D g, BenchConfig config, double x, double groupWidth, Scale y) {
        List<String> engines = panel.labels();
        double barWidth = Math.min(MAX_BAR, groupWidth * GROUP_FILL / engines.size());
        double start = x + (groupWidth - barWidth * engines.size()) / 2;
        // A pixel of white between neighbours once bars are wide enough to spare it.
        int gap = barWidth >= 8 ? 1 : 0;
        for (int j = 0; j < engines.size(); j++) {
            String engine = engines.get(j);
            int x0 = (int) Math.round(start + j * barWidth);
            int width = (int) Math.round(start + (j + 1) * barWidth) - x0 - gap;
            Color colour = colours.get(engine);
            panel.result(config, engine).ifPresent(result -> {
                if (ChartPanel.drawable(result)) {
                    int barTop = Math.min(y.of(result.gflops()), y.bottom - 1);
                    g.setColor(colour);
                    g.fillRect(x0, barTop, width, y.bottom - barTop);
                    int labelTop = paintBarLabel(g, ChartAxis.formatValue(result.gflops()), x0 + width / 2.0,
                            barTop, width, ChartHeader.INK);
                    occupied.add(new Rectangle(x0 - 2, labelTop, width + 4, y.bottom - labelTop));
                } else {
                    paintStub(g, x0, width, y.bottom, colour);
                    int labelTop = paintBarLabel(g, "n/a", x0 + width / 2.0, y.bottom - STUB, width,
                            ChartHeader.MUTED);
                    occupied.add(new Rectangle(x0 - 2, labelTop, width + 4, y.bottom - labelTop));
                }
            });
        }
    }

    /** Hatched and hollow, so that a failure never reads as a slow run. */
    private static void paintStub(Graphics2D g, int x, int width, int bottom, Color colour) {
        Shape savedClip = g.getClip();
        g.clipRect(x, bottom - STUB, width, STUB);
        g.setColor(Color.WHITE);
        g.fillRect(x, bottom - STUB, width, STUB);
        g.setColor(colour);
        for (int d = -STUB; d < width; d += 5) {
            g.drawLine(x + d, bottom, x + d + STUB, bottom - STUB);
        }
        g.setClip(savedClip);
        g.drawRect(x, bottom - STUB, width - 1, STUB - 1);
    }

    /** Upright when the text is about as narrow as the bar, else turned to read upwards; returns its top. */
    private static int paintBarLabel(Graphics2D g, String text, double centre, int barTop, int barWidth,
                                      Color colour) {
        g.setFont(ChartFonts.VALUE);
        g.setColor(colour);
        FontMetrics metrics = g.getFontMetrics();
        int width = metrics.stringWidth(text);
        if (width <= barWidth + 4) {
            g.drawString(text, (float) (centre - width / 2.0), barTop - 3);
            return barTop - 3 - metrics.getAscent();
        }
        AffineTransform saved = g.getTransform();
        g.translate(centre + (metrics.getAscent() - metrics.getDescent()) / 2.0, barTop - 3);
        g.rotate(-Math.PI / 2);
        g.drawString(text, 0, 0);
        g.setTransform(saved);
        return barTop - 3 - width;
    }

    /** Behind the bars, like the grid: a bar that beats its ceiling should hide the line, not the reverse. */
    private void paintCeilingLines(Graphics2D g, Scale y) {
        g.setColor(ChartHeader.INK);
        g.setStroke(ChartHeader.CEILING_STROKE);
        for (CeilingResult ceiling : panel.ceilings()) {
            if (Double.isFinite(ceiling.gflops())) {
                int cy = y.of(ceiling.gflops());
                g.drawLine(left, cy, right, cy);
            }
        }
        g.setStroke(new BasicStroke(1));
    }

    /**
     * Each label sits on its line where it covers no bar, value or other label: above the line at the right end
     * if that is free, else below it, else further left. Where no such place exists, the line gets only its
     * backend's name in the right margin and the full label goes to the panel's title row.
     */
    private void paintCeilingLabels(Graphics2D g, Scale y, int titleBaseline) {
        g.setFont(ChartFonts.CEILING);
        FontMetrics metrics = g.getFontMetrics();
        List<String> crowdedOut = new ArrayList<>();
        for (CeilingResult ceiling : panel.ceilings()) {
            if (!Double.isFinite(ceiling.gflops())) {
                continue;
            }
            int cy = y.of(ceiling.gflops());
            String text = ceilingLabel(ceiling, metrics);
            Rectangle box = placeCeilingLabel(metrics.stringWidth(text) + 8, metrics.getHeight() + 2, cy, y);
            if (box == null) {
                crowdedOut.add(text);
                g.setColor(ChartHeader.INK);
                g.drawString(ceiling.backend(), right + 4, cy + (metrics.getAscent() - metrics.getDescent()) / 2);
                continue;
            }
            occupied.add(box);
            g.setColor(LABEL_BACKGROUND);
            g.fillRoundRect(box.x, box.y, box.width, box.height, 6, 6);
            g.setColor(ChartHeader.INK);
            g.drawString(text, box.x + 4, box.y + 1 + metrics.getAscent());
        }
        if (!crowdedOut.isEmpty()) {
            String line = "ceilings (dashed): " + String.join(",  ", crowdedOut);
            g.setColor(ChartHeader.INK);
            g.drawString(line, right - metrics.stringWidth(line), titleBaseline);
        }
    }

    /** The first free place for a ceiling label, or null when the bars leave none. */
    private Rectangle placeCeilingLabel(int width, int height, int lineY, Scale y) {
        int[] offsets = {-height - 2, 3};
        for (int x = right - 4 - width; x >= left + 4; x -= 12) {
            for (int offset : offsets) {
                Rectangle box = new Rectangle(x, lineY + offset, width, height);
                boolean inside = box.y >= y.top - 16 && box.y + box.height <= y.bottom - 2;
                if (inside && occupied.stream().noneMatch(box::intersects)) {
                    return box;
                }
            }
        }
        return null;
    }

    /** E.g. {@code cpu sgemm 2048³: 180 GFLOP/s}. */
    static String ceilingLabel(CeilingResult c, FontMetrics metrics) {
        String cube = metrics.getFont().canDisplay('\u00b3') ? "\u00b3" : "^3";
        return c.backend() + " " + c.operation() + " " + c.size() + cube + ": " + ChartAxis.formatValue(c.gflops())
                + " GFLOP/s";
    }

    /** Value to pixel row. */
    private record Scale(double max, int top, int bottom) {
        int of(double value) {
            return (int) Math.round(bottom - value / max * (bottom - top));
        }
    }
}
