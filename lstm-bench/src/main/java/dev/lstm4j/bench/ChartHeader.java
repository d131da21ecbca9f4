package dev.lstm4j.bench;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.FontMetrics;
import java.awt.Graphics2D;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Function;

/** The top of the chart: title, a line of provenance, and the legend of engine colours and the ceiling line. */
final class ChartHeader {
    static final String TITLE = "LSTM throughput in GFLOP/s per configuration (higher is better)";
    static final String SIZES_NOTE = "under each configuration: T,B,I,H = sequence length, batch, input, hidden";
    static final String CEILING_ENTRY = "backend GEMM ceiling";
    static final Color INK = new Color(0x222222);
    static final Color MUTED = new Color(0x666666);
    static final BasicStroke CEILING_STROKE = new BasicStroke(1.8f, BasicStroke.CAP_BUTT, BasicStroke.JOIN_MITER,
            10, new float[] {7, 5}, 0);

    private static final int SWATCH = 14;
    private static final int ROW = 22;
    private static final int ITEM_GAP = 26;
    private static final int LEGEND_TOP = 64;
    /**
     * Provenance keys shown first, in this order and in these words; any other key follows as
     * {@code key=value}.
     */
    private static final Map<String, Function<String, String>> KNOWN = knownKeys();

    private final BenchReport report;
    private final Map<String, Color> colours;
    private final int left;
    private final int right;
    private final List<int[]> legendPositions = new ArrayList<>(); // [x, row] per legend item
    private final int height;

    ChartHeader(BenchReport report, Map<String, Color> colours, int left, int right, FontMetrics legend) {
        this.report = report;
        this.colours = colours;
        this.left = left;
        this.right = right;
        int x = left;
        int row = 0;
        for (String item : legendItems()) {
            int width = SWATCH + 6 + legend.stringWidth(item) + (item.equals(CEILING_ENTRY) ? 12 : 0);
            if (x > left && x + width > right) {
                x = left;
                row++;
            }
            legendPositions.add(new int[] {x, row});
            x += width + ITEM_GAP;
        }
        this.height = LEGEND_TOP + (row + 1) * ROW + 14;
    }

    int height() {
        return height;
    }

    void paint(Graphics2D g) {
        g.setFont(ChartFonts.TITLE);
        g.setColor(INK);
        g.drawString(TITLE, left, 30);
        g.setFont(ChartFonts.SUBTITLE);
        g.setColor(MUTED);
        FontMetrics sub = g.getFontMetrics();
        g.drawString(fit(provenanceParts(report.provenance()), sub, right - left), left, 50);
        g.drawString(SIZES_NOTE, right - sub.stringWidth(SIZES_NOTE), 30);

        g.setFont(ChartFonts.LEGEND);
        FontMetrics legend = g.getFontMetrics();
        List<String> items = legendItems();
        for (int i = 0; i < items.size(); i++) {
            String item = items.get(i);
            int x = legendPositions.get(i)[0];
            int y = LEGEND_TOP + legendPositions.get(i)[1] * ROW;
            int swatchWidth = SWATCH;
            if (item.equals(CEILING_ENTRY)) {
                swatchWidth = SWATCH + 12;
                g.setColor(INK);
                g.setStroke(CEILING_STROKE);
                g.drawLine(x, y + SWATCH / 2, x + swatchWidth, y + SWATCH / 2);
                g.setStroke(new BasicStroke(1));
            } else {
                g.setColor(colours.get(item));
                g.fillRect(x, y, SWATCH, SWATCH);
            }
            g.setColor(INK);
            g.drawString(item, x + swatchWidth + 6, y + SWATCH / 2 + (legend.getAscent() - legend.getDescent()) / 2);
        }
    }

    private List<String> legendItems() {
        List<String> items = new ArrayList<>(report.labels());
        if (!report.ceilings().isEmpty()) {
            items.add(CEILING_ENTRY);
        }
        return items;
    }

    /** Known keys first, in their own words, then the rest alphabetically; what is missing is skipped. */
    static List<String> provenanceParts(Map<String, String> provenance) {
        List<String> parts = new ArrayList<>();
        Map<String, String> rest = new TreeMap<>(provenance);
        KNOWN.forEach((key, format) -> {
            String value = rest.remove(key);
            if (value != null && !value.isBlank()) {
                parts.add(format.apply(value.strip()));
            }
        });
        rest.forEach((key, value) -> parts.add(key + "=" + value.strip()));
        return parts;
    }

    /** As many parts as fit the width, then an ellipsis for the rest (they are all in the text report). */
    private static String fit(List<String> parts, FontMetrics metrics, int width) {
        String separator = "  \u00b7  ";
        String line = "";
        for (int i = 0; i < parts.size(); i++) {
            String next = line.isEmpty() ? parts.get(i) : line + separator + parts.get(i);
            String candidate = i < parts.size() - 1 ? next + separator + "\u2026" : next;
            if (metrics.stringWidth(candidate) > width) {
                return line.isEmpty() ? "" : line + separator + "\u2026";
            }
            line = next;
        }
        return line;
    }

    private static Map<String, Function<String, String>> knownKeys() {
        Map<String, Function<String, String>> known = new LinkedHashMap<>();
        known.put("lstm4j.version", v -> "lstm4j " + v);
        known.put("date", v -> v);
        known.put("cpu.model", v -> v);
        known.put("cpu.cores", v -> v + " cores");
        known.put("os", v -> v);
        known.put("java.version", v -> "Java " + v);
        return known;
    }
}
