package dev.lstm4j.bench;

import javax.imageio.ImageIO;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.function.Supplier;

/** Drawing charts without a display and writing them as PNG, with one clear error where Java 2D cannot draw text. */
final class ChartImages {
    private ChartImages() {
    }

    /** Runs {@code drawing} headless (unless someone chose otherwise) after checking that text can be drawn. */
    static BufferedImage draw(Supplier<BufferedImage> drawing) throws IOException {
        if (System.getProperty("java.awt.headless") == null) {
            System.setProperty("java.awt.headless", "true");
        }
        ChartFonts.requireUsable();
        try {
            return drawing.get();
        } catch (RuntimeException | Error e) {
            // Text failures can also surface only now, on a glyph or size the probe did not meet.
            if (ChartFonts.isToolkitFailure(e)) {
                throw ChartFonts.unavailable(e);
            }
            throw e;
        }
    }

    static void writePng(BufferedImage image, Path png) throws IOException {
        Path parent = png.toAbsolutePath().getParent();
        if (parent != null) {
            Files.createDirectories(parent);
        }
        try (OutputStream out = Files.newOutputStream(png)) {
            if (!ImageIO.write(image, "png", out)) {
                throw new IOException("cannot write " + png + ": this JRE has no PNG encoder in javax.imageio");
            }
        }
    }
}
