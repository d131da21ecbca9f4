package dev.lstm4j.bench;

import dev.lstm4j.api.DType;
import dev.lstm4j.api.RnnSpec;
import dev.lstm4j.train.Trainer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import javax.imageio.ImageIO;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class CurveChartTest {
    private static final int TRAINING_BLUE = 0x1f77b4;
    private static final int VALIDATION_RED = 0xd62728;

    @TempDir
    Path dir;

    @Test
    void bothCurvesAreDrawn() throws IOException {
        BufferedImage image = draw(List.of(point(10, 0.9, 0.8), point(20, 0.5, 0.45), point(30, 0.2, 0.25)));
        assertTrue(pixels(image, TRAINING_BLUE) > 50, "training curve missing");
        assertTrue(pixels(image, VALIDATION_RED) > 50, "validation curve missing");
    }

    @Test
    void aCurveOfOnePointIsStillVisible() throws IOException {
        // a run shorter than one validation interval records one point, which a line alone does not show
        BufferedImage image = draw(List.of(point(60, 0.63, 0.18)));
        assertTrue(pixels(image, TRAINING_BLUE) > 20, "the training loss's one point is not drawn");
        assertTrue(pixels(image, VALIDATION_RED) > 20, "the validation's one point is not drawn");
    }

    @Test
    void anEmptyCurveIsRefused() {
        assertThrows(IllegalArgumentException.class, () -> draw(List.of()));
    }

    private BufferedImage draw(List<Trainer.CurvePoint> curve) throws IOException {
        Trainer.Result result = new Trainer.Result(Trainer.Stop.STEP_BUDGET, 60, 6000, 1_000_000_000L,
                curve.isEmpty() ? Double.NaN : curve.get(curve.size() - 1).validation(), curve);
        TrainJson report = new TrainJson("adding", "cpu", RnnSpec.lstm(2, 16).build(), DType.FLOAT32, Map.of(),
                "mse", result, Map.of());
        Path png = dir.resolve("curve.png");
        CurveChart.write(report, png);
        return ImageIO.read(png.toFile());
    }

    private static Trainer.CurvePoint point(long step, double training, double validation) {
        return new Trainer.CurvePoint(step, training, validation, step * 1_000_000L);
    }

    /** Pixels of exactly {@code rgb} below the title and the legend. */
    private static int pixels(BufferedImage image, int rgb) {
        int count = 0;
        for (int y = 52; y < image.getHeight(); y++) {
            for (int x = 0; x < image.getWidth(); x++) {
                count += (image.getRGB(x, y) & 0xFFFFFF) == rgb ? 1 : 0;
            }
        }
        return count;
    }
}
