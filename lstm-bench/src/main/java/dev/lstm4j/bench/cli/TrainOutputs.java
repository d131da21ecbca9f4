package dev.lstm4j.bench.cli;

import dev.lstm4j.bench.CurveChart;
import dev.lstm4j.bench.TrainJson;

import java.io.IOException;
import java.io.PrintWriter;

/** Writes the {@code --json} and {@code --plot} files of a finished training run, where asked for. */
final class TrainOutputs {
    private TrainOutputs() {
    }

    static void write(TrainingOptions options, PrintWriter out, TrainJson report) throws IOException {
        if (options.json != null) {
            report.write(options.json);
            out.println("wrote " + options.json);
        }
        if (options.plot != null) {
            CurveChart.write(report, options.plot);
            out.println("wrote " + options.plot);
        }
    }
}
