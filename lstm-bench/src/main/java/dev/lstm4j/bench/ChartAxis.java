package dev.lstm4j.bench;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * A value axis from 0 to {@code max} in steps of 1, 2 or 5 times a power of ten, the steps a reader can add up
 * at a glance.
 */
record ChartAxis(double max, double step) {

    /** Aim for about five intervals; the axis always reaches at least {@code value}. */
    static ChartAxis covering(double value) {
        double top = value > 0 && Double.isFinite(value) ? value : 1;
        double rough = top / 5;
        double magnitude = Math.pow(10, Math.floor(Math.log10(rough)));
        double n = rough / magnitude;
        double step = (n <= 1 ? 1 : n <= 2 ? 2 : n <= 5 ? 5 : 10) * magnitude;
        // The small slack keeps 200 / 50 = 4.000000001 from adding a needless fifth interval.
        return new ChartAxis(Math.ceil(top / step - 1e-9) * step, step);
    }

    List<Double> ticks() {
        List<Double> ticks = new ArrayList<>();
        long count = Math.round(max / step);
        for (long i = 0; i <= count; i++) {
            ticks.add(i * step);
        }
        return ticks;
    }

    /** A tick label with as many decimals as the step needs: 0, 0.5, 1 or 0, 250, 500. */
    String formatTick(double value) {
        int decimals = (int) Math.max(0, -Math.floor(Math.log10(step) + 1e-9));
        return String.format(Locale.ROOT, "%." + decimals + "f", value);
    }

    /** A bar's value: whole GFLOP/s from 10 up, where the decimals are noise anyway. */
    static String formatValue(double gflops) {
        String pattern = gflops >= 10 ? "%.0f" : gflops >= 1 ? "%.1f" : "%.2f";
        return String.format(Locale.ROOT, pattern, gflops);
    }
}
