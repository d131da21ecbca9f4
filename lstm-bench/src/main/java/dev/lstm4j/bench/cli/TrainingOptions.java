package dev.lstm4j.bench.cli;

import dev.lstm4j.api.Backend;
import dev.lstm4j.api.Backends;
import dev.lstm4j.api.DType;
import picocli.CommandLine.Option;

import java.nio.file.Path;

/** The options every {@code lstm train} task shares: where it runs, what it writes, checkpoints. */
final class TrainingOptions {

    @Option(names = "--clip", defaultValue = "1.0", description = "Global gradient-norm limit; 0 for none "
            + "(default ${DEFAULT-VALUE}).")
    double clip;

    @Option(names = "--time-limit", defaultValue = "0", paramLabel = "SECONDS",
            description = "Stop after this many seconds; 0 for none (default ${DEFAULT-VALUE}).")
    double timeLimit;

    @Option(names = "--seed", defaultValue = "1", description = "Seed of the weights and the data (default "
            + "${DEFAULT-VALUE}).")
    long seed;

    @Option(names = "--dtype", defaultValue = "FLOAT32", description = "FLOAT32 or FLOAT64 (default "
            + "${DEFAULT-VALUE}).")
    DType dtype;

    @Option(names = "--backend", paramLabel = "NAME", description = "cpu or cuda; default: the best available.")
    String backendName;

    @Option(names = "--json", paramLabel = "FILE", description = "Write the settings, final metrics and curves "
            + "as JSON.")
    Path json;

    @Option(names = "--plot", paramLabel = "FILE.png", description = "Draw the training and validation curves "
            + "as a PNG.")
    Path plot;

    @Option(names = "--checkpoint", paramLabel = "FILE", description = "Save model and optimizer here (safetensors, "
            + "written atomically) every --checkpoint-every steps and at the end.")
    Path checkpoint;

    @Option(names = "--checkpoint-every", defaultValue = "500", description = "Steps between checkpoints (default "
            + "${DEFAULT-VALUE}).")
    long checkpointEvery;

    @Option(names = "--resume", description = "Continue from --checkpoint: same data, schedule and optimizer state, "
            + "so the run goes on as if it had never stopped.")
    boolean resume;

    Backend openBackend() {
        return backendName == null ? Backends.select() : Backends.select(backendName);
    }

    long timeLimitNanos() {
        return (long) (timeLimit * 1e9);
    }
}
