package dev.lstm4j.bench.cli;

import dev.lstm4j.bench.BenchListener;
import dev.lstm4j.bench.BenchResult;
import dev.lstm4j.bench.CeilingResult;

import java.io.PrintWriter;
import java.util.Locale;

/** Shows a benchmark's progress on stderr, one line per step, with the elapsed time. */
final class ProgressPrinter implements BenchListener {
    private final PrintWriter err;
    private final long start = System.nanoTime();

    ProgressPrinter(PrintWriter err) {
        this.err = err;
    }

    @Override
    public void started(String what) {
        print("... " + what);
    }

    @Override
    public void ceiling(CeilingResult c) {
        print(String.format(Locale.ROOT, "    %s %s: %.2f ms, %.1f GFLOP/s", c.backend(), c.operation(),
                c.medianMillis(), c.gflops()));
    }

    @Override
    public void result(BenchResult r) {
        String head = "    " + r.label() + " " + r.config().name() + " " + r.mode() + ": ";
        if (r.ok()) {
            print(String.format(Locale.ROOT, "%s%.2f ms, %.1f GFLOP/s%s", head, r.medianMillis(), r.gflops(),
                    r.agreement() == null ? "" : r.agreement().agrees() ? ", outputs agree" : ", OUTPUTS DISAGREE"));
        } else {
            print(head + "failed: " + r.error());
        }
    }

    @Override
    public void progress(String message) {
        print("    " + message);
    }

    @Override
    public void note(String message) {
        print("note: " + message);
    }

    private void print(String line) {
        long s = (System.nanoTime() - start) / 1_000_000_000L;
        err.printf(Locale.ROOT, "[%02d:%02d] %s%n", s / 60, s % 60, line);
        err.flush();
    }
}
