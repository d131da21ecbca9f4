package dev.lstm4j.bench;

import dev.lstm4j.peer.BenchConfig;
import dev.lstm4j.peer.StackShape;

import java.awt.Color;
import java.awt.FontMetrics;
import java.awt.Graphics2D;
import java.awt.geom.AffineTransform;
import java.util.ArrayList;
import java.util.List;

/**
 * The x-axis labels of one panel: each configuration's name over its sizes {@code T,B,I,H}. Upright when every
 * label fits its group (a long name may break once after a hyphen); otherwise tilted, just steeply enough
 * that neighbouring labels do not touch.
 *
 * @param names  per configuration, one or two lines of its name
 * @param angle  0 for upright labels, else the tilt in radians, text reading upwards to the right
 * @param extent how far the labels reach below the axis, in pixels
 */
record ChartConfigLabels(List<List<String>> names, List<String> shapes, double angle, int extent) {
    private static final Color NAME_COLOUR = new Color(0x222222);
    private static final Color SHAPE_COLOUR = new Color(0x777777);
    private static final int GAP = 6;

    static ChartConfigLabels layout(List<BenchConfig> configs, double groupWidth, FontMetrics name,
                                    FontMetrics shape) {
        List<String> shapes = configs.stream().map(c -> describe(c.shape())).toList();
        double room = groupWidth - GAP;
        List<List<String>> upright = new ArrayList<>();
        boolean fits = shapes.stream().allMatch(s -> shape.stringWidth(s) <= room);
        for (BenchConfig config : configs) {
            List<String> lines = name.stringWidth(config.name()) <= room
                    ? List.of(config.name()) : wrap(config.name(), name);
            fits &= lines.stream().allMatch(l -> name.stringWidth(l) <= room);
            upright.add(lines);
        }
        if (fits) {
            int lines = upright.stream().mapToInt(List::size).max().orElse(1);
            return new ChartConfigLabels(upright, shapes, 0, lines * name.getHeight() + shape.getHeight() + GAP);
        }
        int block = name.getHeight() + shape.getHeight();
        double angle = Math.max(Math.toRadians(30), Math.asin(Math.min(1, (block + 4) / groupWidth)));
        int longest = 0;
        for (int i = 0; i < configs.size(); i++) {
            longest = Math.max(longest, Math.max(name.stringWidth(configs.get(i).name()),
                    shape.stringWidth(shapes.get(i))));
        }
        int extent = (int) Math.ceil(longest * Math.sin(angle) + block * Math.cos(angle)) + GAP + 2;
        return new ChartConfigLabels(configs.stream().map(c -> List.of(c.name())).toList(), shapes, angle, extent);
    }

    /** Draws label {@code i} centred on {@code x}, hanging from {@code top}. */
    void paint(Graphics2D g, int i, double x, int top, FontMetrics name, FontMetrics shape) {
        int y = top + GAP;
        if (angle == 0) {
            g.setFont(name.getFont());
            g.setColor(NAME_COLOUR);
            for (String line : names.get(i)) {
                g.drawString(line, (float) (x - name.stringWidth(line) / 2.0), y + name.getAscent());
                y += name.getHeight();
            }
            // Sizes share one row even when only some names broke in two.
            y = top + GAP + nameLines() * name.getHeight();
            g.setFont(shape.getFont());
            g.setColor(SHAPE_COLOUR);
            g.drawString(shapes.get(i), (float) (x - shape.stringWidth(shapes.get(i)) / 2.0), y + shape.getAscent());
            return;
        }
        AffineTransform saved = g.getTransform();
        double block = name.getHeight() + shape.getHeight();
        // Both lines end at the tick; shifting left by half the block's slant centres the pair on it.
        g.translate(x - block / 2 * Math.sin(angle), y);
        g.rotate(-angle);
        String text = names.get(i).get(0);
        g.setFont(name.getFont());
        g.setColor(NAME_COLOUR);
        g.drawString(text, -name.stringWidth(text), name.getAscent());
        g.setFont(shape.getFont());
        g.setColor(SHAPE_COLOUR);
        g.drawString(shapes.get(i), -shape.stringWidth(shapes.get(i)), name.getHeight() + shape.getAscent());
        g.setTransform(saved);
    }

    private int nameLines() {
        return names.stream().mapToInt(List::size).max().orElse(1);
    }

    /** {@code T,B,I,H}, with the layer count and direction only when they are not the plain 1 and 1. */
    static String describe(StackShape s) {
        return s.seqLen() + "," + s.batch() + "," + s.inputSize() + "," + s.hiddenSize()
                + (s.numLayers() > 1 ? " \u00d7" + s.numLayers() : "") + (s.bidirectional() ? " bi" : "");
    }

    /** The name whole, or broken after the hyphen that leaves the shorter longest line. */
    private static List<String> wrap(String text, FontMetrics metrics) {
        List<String> best = List.of(text);
        int bestWidth = metrics.stringWidth(text);
        for (int i = text.indexOf('-'); i > 0 && i < text.length() - 1; i = text.indexOf('-', i + 1)) {
            String first = text.substring(0, i + 1);
            String second = text.substring(i + 1);
            int width = Math.max(metrics.stringWidth(first), metrics.stringWidth(second));
            if (width < bestWidth) {
                best = List.of(first, second);
                bestWidth = width;
            }
        }
        return best;
    }
}
