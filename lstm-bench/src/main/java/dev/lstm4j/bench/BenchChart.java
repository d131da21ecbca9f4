package dev.lstm4j.bench;

import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;


/**
 * A PNG picture of a {@link BenchReport}, for readers who would rather look than read: one panel per mode and
 * thread count, in each a group of bars per configuration with one bar per engine label (its GFLOP/s), and a
 * dashed line per backend ceiling. Drawn with plain Java 2D and only the logical {@code SansSerif} font, so it
 * needs no display ({@code java.awt.headless} is set when nobody chose otherwise).
 */
public final class BenchChart {
    static final int LEFT = 84;
    static final int RIGHT = 52;
    static final int MIN_WIDTH = 1400;

    private BenchChart() {
    }

    /**
     * Renders {@code report} to {@code png}, replacing the file.
     *
     * @throws IllegalArgumentException when the report has no results
     * @throws IOException              when the file cannot be written, or Java 2D cannot draw text here (a
     *                                  slim JRE without fontconfig); the message says what to install
     */
    public static void write(BenchReport report, Path png) throws IOException {
        ChartImages.writePng(render(report), png);
    }

    static BufferedImage render(BenchReport report) throws IOException {
        if (report.results().isEmpty()) {
            throw new IllegalArgumentException("nothing to chart: the benchmark report has no results");
        }
        return ChartImages.draw(() -> draw(report));
    }

    private static BufferedImage draw(BenchReport report) {
        List<ChartPanel> panels = ChartPanel.of(report);
        Map<String, Color> colours = ChartPalette.forLabels(report.labels());
        int width = width(panels);
        BufferedImage scratch = new BufferedImage(1, 1, BufferedImage.TYPE_INT_RGB);
        Graphics2D measure = scratch.createGraphics();
        ChartHeader header;
        try {
            smooth(measure);
            header = new ChartHeader(report, colours, LEFT, width - RIGHT,
                    measure.getFontMetrics(ChartFonts.LEGEND));
        } finally {
            measure.dispose();
        }

        int height = header.height() + panels.size() * ChartPanelPainter.HEIGHT;
        BufferedImage image = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = image.createGraphics();
        try {
            smooth(g);
            g.setColor(Color.WHITE);
            g.fillRect(0, 0, width, height);
            header.paint(g);
            int top = header.height();
            for (ChartPanel panel : panels) {
                new ChartPanelPainter(panel, colours, LEFT, width - RIGHT).paint(g, top);
                top += ChartPanelPainter.HEIGHT;
            }
        } finally {
            g.dispose();
        }
        return image;
    }

    /** Wide enough that the busiest panel's bars stay at least {@link ChartPanelPainter#MIN_BAR} pixels. */
    static int width(List<ChartPanel> panels) {
        int bars = panels.stream().mapToInt(p -> p.configs().size() * p.labels().size()).max().orElse(0);
        int needed = LEFT + RIGHT + (int) Math.ceil(bars * ChartPanelPainter.MIN_BAR / ChartPanelPainter.GROUP_FILL);
        return Math.max(MIN_WIDTH, needed);
    }

    private static void smooth(Graphics2D g) {
        g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
        g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
        g.setRenderingHint(RenderingHints.KEY_RENDERING, RenderingHints.VALUE_RENDER_QUALITY);
    }
}
