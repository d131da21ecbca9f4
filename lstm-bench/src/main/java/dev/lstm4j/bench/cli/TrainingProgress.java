package dev.lstm4j.bench.cli;

import dev.lstm4j.train.Trainer;

import java.io.PrintWriter;
import java.util.Locale;

/**
 * Training progress on stderr: one line per validation with a bar, the loss, the validation metric,
 * throughput and the time left if the whole step budget runs.
 */
final class TrainingProgress implements Trainer.Listener {
    private static final int BAR = 20;

    private final PrintWriter err;
    private final String metric;
    private Trainer.Progress last;

    TrainingProgress(PrintWriter err, String metric) {
        this.err = err;
        this.metric = metric;
    }

    @Override
    public void stepped(Trainer.Progress progress) {
        last = progress;
    }

    @Override
    public void validated(Trainer.Progress p, Trainer.CurvePoint point) {
        int filled = (int) (BAR * p.step() / p.totalSteps());
        String bar = "#".repeat(filled) + ".".repeat(BAR - filled);
        double rate = p.stepsPerSecond();
        long etaSeconds = Math.round((p.totalSteps() - p.step()) / rate);
        err.printf(Locale.ROOT, "[%s] %s %d/%d  loss %.4f  %s %.4f  %.1f steps/s  %s tokens/s  ETA %s%n",
                clock(p.elapsedNanos() / 1_000_000_000L), bar, p.step(), p.totalSteps(), point.trainingLoss(), metric,
                point.validation(), rate, human(p.tokensPerSecond()), clock(etaSeconds));
        err.flush();
    }

    void finish() {
        if (last != null) {
            err.printf(Locale.ROOT, "[%s] done after %d steps%n", clock(last.elapsedNanos() / 1_000_000_000L),
                    last.step());
            err.flush();
        }
    }

    private static String clock(long seconds) {
        return String.format(Locale.ROOT, "%02d:%02d", seconds / 60, seconds % 60);
    }

    private static String human(double value) {
        return value >= 1e6 ? String.format(Locale.ROOT, "%.2fM", value / 1e6)
                : value >= 1e3 ? String.format(Locale.ROOT, "%.1fk", value / 1e3)
                : String.format(Locale.ROOT, "%.0f", value);
    }
}
