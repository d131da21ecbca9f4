package dev.lstm4j.bench;

import dev.lstm4j.peer.BenchConfig;
import dev.lstm4j.peer.BenchMode;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * What one panel of the chart shows: the results of one mode at one thread count, grouped by configuration,
 * and the ceilings measured at that thread count.
 *
 * @param configs configurations in order of appearance, one bar group each
 * @param labels  the engine labels that ran here, in the report's order, one bar per group each
 */
record ChartPanel(BenchMode mode, int threads, List<BenchConfig> configs, List<String> labels,
                  Map<String, BenchResult> results, List<CeilingResult> ceilings) {

    /** One panel per (mode, threads) present: modes in order of appearance, then fewer threads first. */
    static List<ChartPanel> of(BenchReport report) {
        List<ChartPanel> panels = new ArrayList<>();
        for (BenchMode mode : report.modes()) {
            List<Integer> threadCounts = report.results().stream()
                    .filter(r -> r.mode() == mode).map(BenchResult::threads).distinct().sorted().toList();
            for (int threads : threadCounts) {
                panels.add(build(report, mode, threads));
            }
        }
        return panels;
    }

    private static ChartPanel build(BenchReport report, BenchMode mode, int threads) {
        List<BenchResult> mine = report.results().stream()
                .filter(r -> r.mode() == mode && r.threads() == threads).toList();
        Map<String, BenchConfig> configs = new LinkedHashMap<>();
        Map<String, BenchResult> results = new LinkedHashMap<>();
        LinkedHashSet<String> present = new LinkedHashSet<>();
        for (BenchResult r : mine) {
            configs.putIfAbsent(r.config().name(), r.config());
            // A case measured twice keeps its first measurement, as the text report does.
            results.putIfAbsent(key(r.config().name(), r.label()), r);
            present.add(r.label());
        }
        List<String> labels = report.labels().stream().filter(present::contains).toList();
        List<CeilingResult> ceilings = report.ceilings().stream()
                .filter(c -> c.threads() == threads)
                .sorted(Comparator.comparingDouble(CeilingResult::gflops))
                .toList();
        return new ChartPanel(mode, threads, List.copyOf(configs.values()), labels, results, ceilings);
    }

    Optional<BenchResult> result(BenchConfig config, String label) {
        return Optional.ofNullable(results.get(key(config.name(), label)));
    }

    /** The highest bar or ceiling, which the value axis must reach. */
    double maxGflops() {
        double max = 0;
        for (BenchResult r : results.values()) {
            if (drawable(r)) {
                max = Math.max(max, r.gflops());
            }
        }
        for (CeilingResult c : ceilings) {
            if (Double.isFinite(c.gflops())) {
                max = Math.max(max, c.gflops());
            }
        }
        return max;
    }

    /** E.g. {@code training step, 1 thread}. */
    String title() {
        String what = mode == BenchMode.TRAIN ? "training step" : mode.label();
        return what + ", " + threads + (threads == 1 ? " thread" : " threads");
    }

    /** A failed case, or one so fast that its median rounds to zero, gets a stub instead of a bar. */
    static boolean drawable(BenchResult r) {
        return r.ok() && Double.isFinite(r.gflops());
    }

    private static String key(String config, String label) {
        return config + '\u0000' + label;
    }
}
