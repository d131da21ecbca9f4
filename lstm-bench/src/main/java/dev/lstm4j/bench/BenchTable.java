package dev.lstm4j.bench;

import dev.lstm4j.peer.BenchMode;
import dev.lstm4j.peer.StackShape;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * The text table of a {@link BenchReport}: one block per mode and thread count, one row per configuration
 * with lstm4j's median, GFLOP/s and fraction of the ceiling, and per peer its median and lstm4j's speed-up
 * (peer time / lstm4j time; a {@code !} marks a peer whose outputs disagreed with lstm4j's).
 */
public final class BenchTable {

    private BenchTable() {
    }

    public static String format(BenchReport report) {
        StringBuilder sb = new StringBuilder();
        List<String> peers = report.results().stream().filter(r -> !r.isLstm4j()).map(BenchResult::engine)
                .distinct().toList();
        for (int threads : report.lstm4jResults().stream().map(BenchResult::threads).distinct().toList()) {
            for (BenchMode mode : report.modes()) {
                List<BenchResult> rows = report.lstm4jResults().stream()
                        .filter(r -> r.threads() == threads && r.mode() == mode).toList();
                if (rows.isEmpty()) {
                    continue;
                }
                block(sb, report, rows, peers, mode, threads);
            }
        }
        return sb.toString();
    }

    private static void block(StringBuilder sb, BenchReport report, List<BenchResult> rows, List<String> peers,
                              BenchMode mode, int threads) {
        String backend = rows.get(0).backend();
        sb.append(mode == BenchMode.TRAIN ? "training step" : "inference").append(", ")
                .append(BenchRunner.threadsLabel(threads));
        report.ceilingFor(rows.get(0)).ifPresent(c -> sb.append(String.format(Locale.ROOT,
                "  (ceiling: %s %s %d^3 = %.1f GFLOP/s)", c.backend(), c.operation(), c.size(), c.gflops())));
        sb.append('\n');
        List<String> header = new ArrayList<>(List.of("config", "T,B,I,H", "lstm4j " + backend + " ms", "GFLOP/s",
                "of ceiling"));
        for (String peer : peers) {
            header.add(peer + " ms");
            header.add("speed-up");
        }
        List<List<String>> cells = new ArrayList<>();
        cells.add(header);
        for (BenchResult r : rows) {
            List<String> line = new ArrayList<>();
            StackShape s = r.config().shape();
            line.add(r.config().name());
            line.add(s.seqLen() + "," + s.batch() + "," + s.inputSize() + "," + s.hiddenSize()
                    + (s.numLayers() > 1 ? " x" + s.numLayers() : "") + (s.bidirectional() ? " bi" : ""));
            if (r.ok()) {
                line.add(millis(r.medianMillis()));
                line.add(String.format(Locale.ROOT, "%.1f", r.gflops()));
                line.add(report.fractionOfCeiling(r).map(f -> String.format(Locale.ROOT, "%.0f%%", 100 * f))
                        .orElse("-"));
            } else {
                line.addAll(List.of("failed", "-", "-"));
            }
            for (String peer : peers) {
                Optional<BenchResult> p = report.peersOf(r).stream().filter(x -> x.engine().equals(peer)).findFirst();
                if (p.isPresent() && p.get().ok()) {
                    boolean agrees = p.get().agreement() == null || p.get().agreement().agrees();
                    line.add(millis(p.get().medianMillis()) + (agrees ? "" : "!"));
                    line.add(BenchReport.speedup(r, p.get()).map(x -> String.format(Locale.ROOT, "%.2fx", x))
                            .orElse("-"));
                } else {
                    line.add(p.isPresent() ? "failed" : "-");
                    line.add("-");
                }
            }
            cells.add(line);
        }
        appendAligned(sb, cells);
        sb.append('\n');
    }

    private static String millis(double ms) {
        return ms >= 100 ? String.format(Locale.ROOT, "%.0f", ms)
                : ms >= 10 ? String.format(Locale.ROOT, "%.1f", ms) : String.format(Locale.ROOT, "%.2f", ms);
    }

    /** First column left-aligned, the rest right-aligned, two spaces apart. */
    private static void appendAligned(StringBuilder sb, List<List<String>> cells) {
        int columns = cells.get(0).size();
        int[] width = new int[columns];
        for (List<String> row : cells) {
            for (int c = 0; c < columns; c++) {
                width[c] = Math.max(width[c], row.get(c).length());
            }
        }
        for (List<String> row : cells) {
            StringBuilder line = new StringBuilder();
            for (int c = 0; c < columns; c++) {
                String cell = row.get(c);
                String pad = " ".repeat(width[c] - cell.length());
                line.append(c == 0 ? cell + pad : pad + cell).append(c + 1 < columns ? "  " : "");
            }
            sb.append(line.toString().stripTrailing()).append('\n');
        }
    }
}
