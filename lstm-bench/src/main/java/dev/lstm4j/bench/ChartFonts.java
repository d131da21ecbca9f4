package dev.lstm4j.bench;

import java.awt.AWTError;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.geom.AffineTransform;
import java.awt.image.BufferedImage;
import java.io.IOException;

/**
 * The chart's fonts, all from the logical {@code SansSerif} family that every JRE maps to something, and the
 * check that text can be drawn at all. A slim JRE without fontconfig or any font file fails inside AWT with an
 * {@link Error} in a static initialiser; after that the JVM only says "Could not initialize class", so the first
 * failure is kept and reported every time.
 */
final class ChartFonts {
    static final Font TITLE = new Font(Font.SANS_SERIF, Font.BOLD, 20);
    static final Font SUBTITLE = new Font(Font.SANS_SERIF, Font.PLAIN, 12);
    static final Font PANEL = new Font(Font.SANS_SERIF, Font.BOLD, 15);
    static final Font AXIS = new Font(Font.SANS_SERIF, Font.PLAIN, 11);
    static final Font LEGEND = new Font(Font.SANS_SERIF, Font.PLAIN, 13);
    static final Font CONFIG = new Font(Font.SANS_SERIF, Font.PLAIN, 12);
    static final Font SHAPE = new Font(Font.SANS_SERIF, Font.PLAIN, 10);
    static final Font VALUE = new Font(Font.SANS_SERIF, Font.PLAIN, 10);
    static final Font CEILING = new Font(Font.SANS_SERIF, Font.BOLD, 11);

    private static Throwable firstFailure;
    private static boolean probed;

    private ChartFonts() {
    }

    /** Draws a little text once; throws, now and on every later call, if that failed. */
    static synchronized void requireUsable() throws IOException {
        if (!probed) {
            probed = true;
            try {
                probe();
            } catch (RuntimeException | LinkageError | InternalError | AWTError e) {
                firstFailure = e;
            }
        }
        if (firstFailure != null) {
            throw unavailable(firstFailure);
        }
    }

    /** Whether {@code t}, thrown while drawing, is Java 2D's text or toolkit machinery giving up. */
    static boolean isToolkitFailure(Throwable t) {
        return t instanceof LinkageError || t instanceof InternalError || t instanceof AWTError;
    }

    static IOException unavailable(Throwable cause) {
        if (cause instanceof AWTError) {
            return new IOException("cannot draw the benchmark chart: Java 2D wants a display (" + cause
                    + "); drop -Djava.awt.headless=false, the chart needs none", cause);
        }
        return new IOException("cannot draw the benchmark chart: Java 2D could not render text (" + cause
                + "). A slim JRE needs fontconfig and at least one font, e.g. apt-get install fontconfig"
                + " fonts-dejavu-core; the text and JSON reports are unaffected", cause);
    }

    private static void probe() {
        BufferedImage scratch = new BufferedImage(8, 8, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = scratch.createGraphics();
        try {
            g.setFont(CONFIG);
            g.getFontMetrics().stringWidth("GFLOP/s 0123456789");
            g.drawString("0", 0, 8);
            g.setTransform(AffineTransform.getRotateInstance(-Math.PI / 4));
            g.drawString("0", 0, 8);
        } finally {
            g.dispose();
        }
    }
}
