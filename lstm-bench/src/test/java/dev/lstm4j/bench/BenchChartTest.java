package dev.lstm4j.bench;

import dev.lstm4j.peer.BenchConfigs;
import dev.lstm4j.peer.BenchConfig;
import dev.lstm4j.peer.BenchMode;
import dev.lstm4j.peer.Samples;
import dev.lstm4j.peer.StackShape;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.awt.Color;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import javax.imageio.ImageIO;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class BenchChartTest {
    private static final List<BenchConfig> CONFIGS = List.of(
            new BenchConfig("small", StackShape.of(25, 16, 128, 128)),
            new BenchConfig("medium", StackShape.of(50, 32, 256, 256)),
            new BenchConfig("deepbench-h2048-b128", StackShape.of(25, 128, 2048, 2048)));

    @TempDir
    Path dir;

    @Test
    void pngHasOnePanelPerModeAtTheDefaultWidth() throws IOException {
        BufferedImage image = writeAndRead(sampleReport(CONFIGS));

        assertEquals(BenchChart.MIN_WIDTH, image.getWidth());
        int panels = 2 * ChartPanelPainter.HEIGHT;
        assertTrue(image.getHeight() > panels && image.getHeight() < panels + 150,
                "height " + image.getHeight() + " should be two panels and a header");
    }

    @Test
    void pngIsNotBlank() throws IOException {
        BufferedImage image = writeAndRead(sampleReport(CONFIGS));

        Set<Integer> colours = new HashSet<>();
        for (int y = 0; y < image.getHeight(); y += 2) {
            for (int x = 0; x < image.getWidth(); x += 2) {
                colours.add(image.getRGB(x, y) & 0xFFFFFF);
            }
        }
        assertTrue(colours.size() > 20, "only " + colours.size() + " distinct colours");
    }

    @Test
    void everyEngineLabelsColourAppears() throws IOException {
        BenchReport report = sampleReport(CONFIGS);
        BufferedImage image = writeAndRead(report);

        Map<String, Color> colours = ChartPalette.forLabels(report.labels());
        assertEquals(List.of("lstm4j cpu", "pytorch", "dl4j"), List.copyOf(colours.keySet()));
        Set<Integer> distinct = new HashSet<>();
        colours.values().forEach(c -> distinct.add(c.getRGB() & 0xFFFFFF));
        assertEquals(3, distinct.size(), "labels must not share a colour");
        colours.forEach((label, colour) -> assertTrue(count(image, colour) > 100,
                "colour of '" + label + "' is missing from the chart"));
    }

    @Test
    void emptyReportIsRejectedWithAClearMessage() {
        BenchReport empty = new BenchReport(Map.of(), List.of(), List.of());

        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> BenchChart.write(empty, dir.resolve("empty.png")));
        assertTrue(e.getMessage().contains("nothing to chart"), e.getMessage());
        assertTrue(Files.notExists(dir.resolve("empty.png")));
    }

    @Test
    void reportWhereEveryCaseFailedStillRenders() throws IOException {
        BenchConfig config = CONFIGS.get(0);
        BenchReport report = new BenchReport(Map.of(), List.of(), List.of(
                new BenchResult("pytorch", "cpu", config, BenchMode.TRAIN, 1, null, "torch not installed", null)));

        BufferedImage image = writeAndRead(report);

        assertTrue(count(image, ChartPalette.forLabels(report.labels()).get("pytorch")) > 0);
    }

    @Test
    void sixteenConfigsOfThreeEnginesFitTheDefaultWidth() throws IOException {
        List<BenchConfig> sixteen = BenchConfigs.all().subList(0, 16);

        BufferedImage image = writeAndRead(sampleReport(sixteen));

        assertEquals(BenchChart.MIN_WIDTH, image.getWidth());
    }

    @Test
    void chartWidensRatherThanSqueezeBarsBelowTheMinimum() {
        List<BenchResult> results = new ArrayList<>();
        for (int i = 0; i < 40; i++) {
            BenchConfig config = new BenchConfig("c" + i, StackShape.of(10, 1, 8, 8));
            for (String engine : List.of("pytorch", "dl4j", "other")) {
                results.add(ok(engine, config, BenchMode.TRAIN, 1.0));
            }
        }
        List<ChartPanel> panels = ChartPanel.of(new BenchReport(Map.of(), List.of(), results));

        int plotWidth = BenchChart.width(panels) - BenchChart.LEFT - BenchChart.RIGHT;
        assertTrue(plotWidth * ChartPanelPainter.GROUP_FILL / 120 >= ChartPanelPainter.MIN_BAR);
    }

    @Test
    void panelsFollowModeOrderThenThreadCount() {
        BenchConfig config = CONFIGS.get(0);
        BenchReport report = new BenchReport(Map.of(), List.of(), List.of(
                ok("pytorch", config, BenchMode.INFERENCE, 1.0, 4),
                ok("pytorch", config, BenchMode.INFERENCE, 1.0, 1),
                ok("pytorch", config, BenchMode.TRAIN, 1.0, 1)));

        List<String> titles = ChartPanel.of(report).stream().map(ChartPanel::title).toList();

        assertEquals(List.of("inference, 1 thread", "inference, 4 threads", "training step, 1 thread"), titles);
    }

    @Test
    void valueAxisStepsAreOneTwoOrFiveTimesAPowerOfTen() {
        assertEquals(new ChartAxis(250, 50), ChartAxis.covering(201.6));
        assertEquals(new ChartAxis(8, 2), ChartAxis.covering(7));
        assertEquals(new ChartAxis(0.5, 0.1), ChartAxis.covering(0.42));
        assertEquals(new ChartAxis(200, 50), ChartAxis.covering(200));
        assertEquals(new ChartAxis(1, 0.2), ChartAxis.covering(0));
        assertEquals(List.of("0.0", "0.1", "0.2"), new ChartAxis(0.2, 0.1).ticks().stream()
                .map(new ChartAxis(0.2, 0.1)::formatTick).toList());
    }

    @Test
    void longConfigNamesTiltWhenTheyDoNotFitTheirGroup() {
        BufferedImage scratch = new BufferedImage(1, 1, BufferedImage.TYPE_INT_RGB);
        var g = scratch.createGraphics();
        try {
            var name = g.getFontMetrics(ChartFonts.CONFIG);
            var shape = g.getFontMetrics(ChartFonts.SHAPE);
            assertEquals(0, ChartConfigLabels.layout(CONFIGS, 400, name, shape).angle());
            assertTrue(ChartConfigLabels.layout(BenchConfigs.all(), 70, name, shape).angle() > 0);
        } finally {
            g.dispose();
        }
    }

    @Test
    void provenanceShowsKnownKeysFirstAndSkipsMissingOnes() {
        List<String> parts = ChartHeader.provenanceParts(Map.of(
                "java.vendor", "Eclipse Adoptium", "cpu.model", "AMD EPYC 7B13", "lstm4j.version", "0.1.0"));

        assertEquals(List.of("lstm4j 0.1.0", "AMD EPYC 7B13", "java.vendor=Eclipse Adoptium"), parts);
    }

    @Test
    void fontFailureBecomesAnIoExceptionSayingWhatToInstall() {
        IOException e = ChartFonts.unavailable(new UnsatisfiedLinkError("libfontmanager.so: libfreetype.so.6"));

        assertTrue(e.getMessage().contains("fontconfig"), e.getMessage());
        assertTrue(e.getCause() instanceof UnsatisfiedLinkError);
        assertTrue(ChartFonts.isToolkitFailure(new NoClassDefFoundError("sun.awt.X11FontManager")));
    }

    private BufferedImage writeAndRead(BenchReport report) throws IOException {
        Path png = dir.resolve("chart.png");
        BenchChart.write(report, png);
        BufferedImage image = ImageIO.read(png.toFile());
        assertTrue(image != null, "not a readable PNG");
        return image;
    }

    /** Two modes over the given configurations, three engines, dl4j failing on the last configuration. */
    static BenchReport sampleReport(List<BenchConfig> configs) {
        List<BenchResult> results = new ArrayList<>();
        for (BenchMode mode : List.of(BenchMode.TRAIN, BenchMode.INFERENCE)) {
            for (int i = 0; i < configs.size(); i++) {
                BenchConfig config = configs.get(i);
                double lstm4j = 20.0 + 15 * i;
                results.add(ok(BenchResult.LSTM4J, config, mode, lstm4j));
                results.add(ok("pytorch", config, mode, lstm4j * 0.8));
                results.add(i == configs.size() - 1
                        ? new BenchResult("dl4j", "cpu", config, mode, 1, null, "out of memory", null)
                        : ok("dl4j", config, mode, lstm4j * 0.35));
            }
        }
        CeilingResult ceiling = new CeilingResult("cpu", 1, "sgemm", 2048, new Samples(new double[] {
            2.0 * 2048 * 2048 * 2048 / 180e6}));
        return new BenchReport(Map.of("lstm4j.version", "0.1.0-SNAPSHOT", "date", "2025-11-25",
                "cpu.model", "AMD EPYC 7B13 64-Core Processor"), List.of(ceiling), results);
    }

    private static BenchResult ok(String engine, BenchConfig config, BenchMode mode, double gflops) {
        return ok(engine, config, mode, gflops, 1);
    }

    /** A result whose median gives exactly {@code gflops}. */
    private static BenchResult ok(String engine, BenchConfig config, BenchMode mode, double gflops, int threads) {
        double millis = config.shape().flops(mode) / (gflops * 1e6);
        return new BenchResult(engine, "cpu", config, mode, threads, new Samples(new double[] {millis}), null, null);
    }

    private static int count(BufferedImage image, Color colour) {
        int rgb = colour.getRGB() & 0xFFFFFF;
        int n = 0;
        for (int y = 0; y < image.getHeight(); y++) {
            for (int x = 0; x < image.getWidth(); x++) {
                if ((image.getRGB(x, y) & 0xFFFFFF) == rgb) {
                    n++;
                }
            }
        }
        return n;
    }
}
