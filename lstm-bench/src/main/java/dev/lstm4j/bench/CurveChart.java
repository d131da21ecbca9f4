package dev.lstm4j.bench;

import dev.lstm4j.train.Trainer;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.geom.Ellipse2D;
import java.awt.geom.Path2D;
import java.awt.geom.Point2D;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.function.ToDoubleFunction;

/**
 * The training curves of a {@link TrainJson} report as a PNG: training loss and the validation metric against
 * the step, on a logarithmic axis when every value is positive (losses fall by orders of magnitude).
 */
public final class CurveChart {
    private static final int WIDTH = 900;
    private static final int HEIGHT = 520;
    private static final int LEFT = 80;
    private static final int RIGHT = 30;
    private static final int TOP = 60;
    private static final int BOTTOM = 60;
    private static final Color TRAINING = new Color(0x1f77b4);
    private static final Color VALIDATION = new Color(0xd62728);

    private CurveChart() {
    }

    public static void write(TrainJson report, Path png) throws IOException {
        List<Trainer.CurvePoint> curve = report.result().curve();
        if (curve.isEmpty()) {
            throw new IllegalArgumentException("nothing to plot: the run recorded no validation");
        }
        ChartImages.writePng(ChartImages.draw(() -> draw(report, curve)), png);
    }

    private static BufferedImage draw(TrainJson report, List<Trainer.CurvePoint> curve) {
        BufferedImage image = new BufferedImage(WIDTH, HEIGHT, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = image.createGraphics();
        try {
            g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
            g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
            g.setColor(Color.WHITE);
            g.fillRect(0, 0, WIDTH, HEIGHT);
            Axes axes = Axes.of(curve);
            g.setColor(Color.BLACK);
            g.setFont(ChartFonts.TITLE);
            g.drawString(String.format(Locale.ROOT, "lstm train %s: %s %dx%d on %s", report.task(),
                    report.spec().cell().name().toLowerCase(Locale.ROOT), report.spec().numLayers(),
                    report.spec().hiddenSize(), report.backend()), LEFT, 35);
            drawAxes(g, axes);
            series(g, curve, axes, Trainer.CurvePoint::trainingLoss, TRAINING);
            series(g, curve, axes, Trainer.CurvePoint::validation, VALIDATION);
            g.setFont(ChartFonts.LEGEND);
            legend(g, TRAINING, "training loss", WIDTH - RIGHT - 330);
            legend(g, VALIDATION, "validation " + report.metric(), WIDTH - RIGHT - 180);
        } finally {
            g.dispose();
        }
        return image;
    }

    private static void drawAxes(Graphics2D g, Axes axes) {
        g.setColor(Color.GRAY);
        g.drawRect(LEFT, TOP, WIDTH - LEFT - RIGHT, HEIGHT - TOP - BOTTOM);
        g.setFont(ChartFonts.AXIS);
        for (int k = 0; k <= 4; k++) {
            double fraction = k / 4.0;
            int y = (int) Math.round(HEIGHT - BOTTOM - fraction * (HEIGHT - TOP - BOTTOM));
            g.drawString(String.format(Locale.ROOT, "%.3g", axes.valueAt(fraction)), 8, y + 4);
            int x = (int) Math.round(LEFT + fraction * (WIDTH - LEFT - RIGHT));
            g.drawString(Long.toString(Math.round(axes.maxStep * fraction)), x - 10, HEIGHT - BOTTOM + 18);
        }
        g.drawString("step", WIDTH / 2, HEIGHT - 15);
    }

    private static void series(Graphics2D g, List<Trainer.CurvePoint> curve, Axes axes,
                               ToDoubleFunction<Trainer.CurvePoint> value, Color colour) {
        Path2D.Double line = new Path2D.Double();
        boolean started = false;
        int points = 0;
        for (Trainer.CurvePoint p : curve) {
            double v = value.applyAsDouble(p);
            if (!Double.isFinite(v)) {
                continue;
            }
            double x = LEFT + (double) p.step() / axes.maxStep * (WIDTH - LEFT - RIGHT);
            double y = HEIGHT - BOTTOM - axes.fractionOf(v) * (HEIGHT - TOP - BOTTOM);
            if (started) {
                line.lineTo(x, y);
            } else {
                line.moveTo(x, y);
                started = true;
            }
            points++;
        }
        g.setColor(colour);
        if (points == 1) {   // a run shorter than one validation interval: a line of one point draws nothing
            Point2D at = line.getCurrentPoint();
            g.fill(new Ellipse2D.Double(at.getX() - 5, at.getY() - 5, 10, 10));
        }
        g.setStroke(new BasicStroke(2f));
        g.draw(line);
        g.setStroke(new BasicStroke(1f));
    }

    private static void legend(Graphics2D g, Color colour, String text, int x) {
        g.setColor(colour);
        g.fillRect(x, 45, 14, 4);
        g.setColor(Color.BLACK);
        g.drawString(text, x + 20, 51);
    }

    /** The value range, logarithmic when every value is positive. */
    private record Axes(double low, double high, boolean log, long maxStep) {
        static Axes of(List<Trainer.CurvePoint> curve) {
            double low = Double.POSITIVE_INFINITY;
            double high = Double.NEGATIVE_INFINITY;
            for (Trainer.CurvePoint p : curve) {
                for (double v : new double[] {p.trainingLoss(), p.validation()}) {
                    if (Double.isFinite(v)) {
                        low = Math.min(low, v);
                        high = Math.max(high, v);
                    }
                }
            }
            if (!(low <= high)) {
                low = 0;
                high = 1;
            }
            boolean log = low > 0;
            if (high == low) {
                high = low + (log ? low : 1);
            }
            long maxStep = Math.max(1, curve.get(curve.size() - 1).step());
            return log ? new Axes(Math.log10(low), Math.log10(high), true, maxStep)
                    : new Axes(low, high, false, maxStep);
        }

        double fractionOf(double v) {
            double t = log ? Math.log10(v) : v;
            return (t - low) / (high - low);
        }

        double valueAt(double fraction) {
            double t = low + fraction * (high - low);
            return log ? Math.pow(10, t) : t;
        }
    }
}
