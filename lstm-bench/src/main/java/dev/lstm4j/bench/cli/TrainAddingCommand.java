package dev.lstm4j.bench.cli;

import dev.lstm4j.api.Backend;
import dev.lstm4j.api.Backends;
import dev.lstm4j.api.CellType;
import dev.lstm4j.api.DType;
import dev.lstm4j.api.RnnSpec;
import dev.lstm4j.bench.TrainJson;
import dev.lstm4j.train.Adam;
import dev.lstm4j.train.Checkpoint;
import dev.lstm4j.train.LearningRate;
import dev.lstm4j.train.Trainer;
import dev.lstm4j.train.SequenceRegressor;
import dev.lstm4j.train.data.AddingProblem;
import dev.lstm4j.train.data.SequenceBatch;
import dev.lstm4j.train.data.Seeds;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Locale;
import java.util.SplittableRandom;
import java.util.concurrent.Callable;

/**
 * {@code lstm train adding}: the adding problem of the original LSTM paper. Trains on fresh random batches,
 * validates on a fixed set, stops at the target MSE, and reports the error on a separate test set.
 */
@Command(name = "adding", mixinStandardHelpOptions = true,
        description = "The adding problem: sum the two marked values of a sequence of T random numbers. "
                + "Predicting the mean scores an MSE of 0.167; the task is solved below 0.01.")
final class TrainAddingCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Option(names = "--seq-len", defaultValue = "100", description = "Sequence length T (default ${DEFAULT-VALUE}).")
    int seqLen;

    @Option(names = "--cell", defaultValue = "lstm", description = "lstm, gru or peephole (default ${DEFAULT-VALUE}).")
    String cell;

    @Option(names = "--hidden", defaultValue = "128", description = "Hidden units (default ${DEFAULT-VALUE}).")
    int hidden;

    @Option(names = "--layers", defaultValue = "1", description = "Layers (default ${DEFAULT-VALUE}).")
    int layers;

    @Option(names = "--batch", defaultValue = "64", description = "Sequences per step (default ${DEFAULT-VALUE}).")
    int batch;

    @Option(names = "--steps", defaultValue = "5000", description = "Step budget (default ${DEFAULT-VALUE}).")
    long steps;

    @Option(names = "--lr", defaultValue = "2e-3", description = "Adam's learning rate after a 100-step warm-up, "
            + "cosine-annealed over the budget (default ${DEFAULT-VALUE}).")
    double lr;

    @Option(names = "--clip", defaultValue = "1.0", description = "Global gradient-norm limit; 0 for none "
            + "(default ${DEFAULT-VALUE}).")
    double clip;

    @Option(names = "--target-mse", defaultValue = "0.005", description = "Stop once the validation MSE is at or "
            + "below this; 0 trains the whole budget (default ${DEFAULT-VALUE}).")
    double targetMse;

    @Option(names = "--time-limit", defaultValue = "0", paramLabel = "SECONDS",
            description = "Stop after this many seconds; 0 for none (default ${DEFAULT-VALUE}).")
    double timeLimit;

    @Option(names = "--validate-every", defaultValue = "100", description = "Steps between validations "
            + "(default ${DEFAULT-VALUE}).")
    long validateEvery;

    @Option(names = "--seed", defaultValue = "1", description = "Seed of the weights and the data (default "
            + "${DEFAULT-VALUE}).")
    long seed;

    @Option(names = "--dtype", defaultValue = "FLOAT32", description = "FLOAT32 or FLOAT64 (default "
            + "${DEFAULT-VALUE}).")
    DType dtype;

    @Option(names = "--backend", paramLabel = "NAME", description = "cpu or cuda; default: the best available.")
    String backendName;

    @Option(names = "--checkpoint", paramLabel = "FILE", description = "Save model and optimizer here (safetensors, "
            + "written atomically) every --checkpoint-every steps and at the end.")
    Path checkpoint;

    @Option(names = "--checkpoint-every", defaultValue = "500", description = "Steps between checkpoints (default "
            + "${DEFAULT-VALUE}).")
    long checkpointEvery;

    @Option(names = "--resume", description = "Continue from --checkpoint: same data, schedule and optimizer state, "
            + "so the run goes on as if it had never stopped.")
    boolean resume;

    @Option(names = "--json", paramLabel = "FILE", description = "Write the settings, final metrics and curves "
            + "as JSON.")
    Path json;

    @Override
    public Integer call() throws java.io.IOException {
        AddingProblem task = new AddingProblem(seqLen);
        SplittableRandom data = new SplittableRandom(seed);
        SequenceBatch validation = task.batch(1000, data.split());
        SequenceBatch test = task.batch(2000, data.split());
        RnnSpec rnnSpec = RnnSpec.builder().cell(cellType()).inputSize(AddingProblem.FEATURES).hiddenSize(hidden)
                .numLayers(layers).build();
        LearningRate schedule = LearningRate.cosine(lr, Math.max(1, steps - 100), lr / 20).withWarmup(100);
        Trainer.Settings settings = new Trainer.Settings(steps, schedule, clip, validateEvery,
                targetMse, (long) (timeLimit * 1e9));
        PrintWriter err = spec.commandLine().getErr();
        PrintWriter out = spec.commandLine().getOut();
        try (Backend backend = backendName == null ? Backends.select() : Backends.select(backendName);
             SequenceRegressor model = new SequenceRegressor(backend, dtype, rnnSpec, 1, seed);
             Adam adam = Adam.defaults()) {
            err.printf(Locale.ROOT, "adding problem, T=%d: %s %dx%d on %s (%s), batch %d, Adam lr %s, clip %s%n",
                    seqLen, cell, layers, hidden, backend.name(), dtype, batch, lr, clip);
            long firstStep = resume ? resume(model, adam, err) : 0;
            TrainingProgress progress = new TrainingProgress(err, "val mse");
            Trainer.Listener listener = new Trainer.Listener() {
                @Override
                public void stepped(Trainer.Progress p) {
                    progress.stepped(p);
                    if (checkpoint != null && p.step() % checkpointEvery == 0) {
                        save(model, adam, p.step());
                    }
                }

                @Override
                public void validated(Trainer.Progress p, Trainer.CurvePoint point) {
                    progress.validated(p, point);
                }
            };
            Trainer.Result result = Trainer.train(
                    model.task(step -> task.batch(batch, Seeds.forStep(seed, step)), validation), adam, settings,
                    firstStep, listener);
            progress.finish();
            if (checkpoint != null) {
                save(model, adam, result.steps());
                err.println("checkpoint: " + checkpoint + " at step " + result.steps());
            }
            double testMse = model.evaluate(test);
            out.printf(Locale.ROOT, "test MSE %.5f after %d steps (%s) in %.1f s, %.0f tokens/s; the mean predictor "
                            + "scores %.3f%n", testMse, result.steps(), result.stop().name().toLowerCase(Locale.ROOT),
                    result.elapsedNanos() / 1e9, result.tokens() / (result.elapsedNanos() / 1e9),
                    AddingProblem.MEAN_PREDICTOR_MSE);
            if (json != null) {
                TrainJson.write(json, "adding", backend, rnnSpec, dtype, settingsMap(), result, testMse);
                out.println("wrote " + json);
            }
            return 0;
        }
    }

    private long resume(SequenceRegressor model, Adam adam, PrintWriter err) throws java.io.IOException {
        if (checkpoint == null) {
            throw new ToolFailure("--resume needs --checkpoint FILE");
        }
        if (!java.nio.file.Files.exists(checkpoint)) {
            throw new ToolFailure("--resume: no checkpoint at " + checkpoint);
        }
        Checkpoint saved = Checkpoint.load(checkpoint);
        model.loadStateDict(saved.model());
        adam.restore(model.parameters(), saved.optimizerSteps(), saved.optimizer());
        if (saved.step() >= steps) {
            throw new ToolFailure("the checkpoint is at step " + saved.step() + ", the budget is " + steps
                    + " steps: nothing left to train (raise --steps)");
        }
        err.println("resumed from " + checkpoint + " at step " + saved.step());
        return saved.step();
    }

    private void save(SequenceRegressor model, Adam adam, long step) {
        java.util.Map<String, String> meta = new java.util.LinkedHashMap<>();
        settingsMap().forEach((k, v) -> meta.put(k, String.valueOf(v)));
        try {
            Checkpoint.save(checkpoint, model.stateDict(), adam, step, meta);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException("cannot write checkpoint " + checkpoint, e);
        }
    }

    private java.util.Map<String, Object> settingsMap() {
        java.util.Map<String, Object> m = new java.util.LinkedHashMap<>();
        m.put("seq_len", seqLen);
        m.put("batch", batch);
        m.put("steps", steps);
        m.put("lr", lr);
        m.put("clip", clip);
        m.put("target_mse", targetMse);
        m.put("seed", seed);
        return m;
    }

    private CellType cellType() {
        return switch (cell.toLowerCase(Locale.ROOT)) {
            case "lstm" -> CellType.LSTM;
            case "gru" -> CellType.GRU;
            case "peephole" -> CellType.PEEPHOLE_LSTM;
            default -> throw new ToolFailure("--cell must be lstm, gru or peephole, got " + cell);
        };
    }
}
