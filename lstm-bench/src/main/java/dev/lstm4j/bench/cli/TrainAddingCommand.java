package dev.lstm4j.bench.cli;

import dev.lstm4j.api.Backend;
import dev.lstm4j.api.RnnSpec;
import dev.lstm4j.bench.TrainJson;
import dev.lstm4j.train.Adam;
import dev.lstm4j.train.LearningRate;
import dev.lstm4j.train.SequenceModel;
import dev.lstm4j.train.Trainer;
import dev.lstm4j.train.data.AddingProblem;
import dev.lstm4j.train.data.SequenceBatch;
import dev.lstm4j.train.data.Seeds;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.io.IOException;
import java.io.PrintWriter;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
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

    @Mixin
    TrainingOptions options;

    @Option(names = "--seq-len", defaultValue = "100", description = "Sequence length T (default ${DEFAULT-VALUE}).")
    int seqLen;

    @Option(names = "--cell", defaultValue = "lstm", description = "lstm, gru or peephole (default ${DEFAULT-VALUE}).")
    String cell;

    @Option(names = "--hidden", defaultValue = "128", description = "Hidden units (default ${DEFAULT-VALUE}).")
    int hidden;

    @Option(names = "--layers", defaultValue = "1", description = "Layers (default ${DEFAULT-VALUE}).")
    int layers;

    @Option(names = "--forget-bias", paramLabel = "B", description = "Initialise the LSTM's forget-gate bias to B "
            + "(e.g. 1); default: PyTorch's uniform initialisation.")
    Double forgetBias;

    @Option(names = "--batch", defaultValue = "64", description = "Sequences per step (default ${DEFAULT-VALUE}).")
    int batch;

    @Option(names = "--steps", defaultValue = "5000", description = "Step budget (default ${DEFAULT-VALUE}).")
    long steps;

    @Option(names = "--lr", defaultValue = "2e-3", description = "Adam's learning rate after a 100-step warm-up, "
            + "cosine-annealed over the budget (default ${DEFAULT-VALUE}).")
    double lr;

    @Option(names = "--target-mse", defaultValue = "0.005", description = "Stop once the validation MSE is at or "
            + "below this; 0 trains the whole budget (default ${DEFAULT-VALUE}).")
    double targetMse;

    @Option(names = "--validate-every", defaultValue = "100", description = "Steps between validations "
            + "(default ${DEFAULT-VALUE}).")
    long validateEvery;

    @Override
    public Integer call() throws IOException {
        AddingProblem task = new AddingProblem(seqLen);
        SplittableRandom data = new SplittableRandom(options.seed);
        SequenceBatch validation = task.batch(1000, data.split());
        SequenceBatch test = task.batch(2000, data.split());
        RnnSpec rnnSpec = RnnSpec.builder().cell(CliCells.parse(cell)).inputSize(AddingProblem.FEATURES)
                .hiddenSize(hidden).numLayers(layers).build();
        LearningRate schedule = LearningRate.cosine(lr, Math.max(1, steps - 100), lr / 20).withWarmup(100);
        Trainer.Settings settings = new Trainer.Settings(steps, schedule, options.clip, validateEvery, targetMse,
                options.timeLimitNanos());
        PrintWriter err = spec.commandLine().getErr();
        PrintWriter out = spec.commandLine().getOut();
        try (Backend backend = options.openBackend();
             SequenceModel model = SequenceModel.regressor(backend, options.dtype, rnnSpec, 1, options.seed);
             Adam adam = Adam.defaults()) {
            if (forgetBias != null) {
                model.recurrent().initForgetBias(forgetBias);
            }
            err.printf(Locale.ROOT, "adding problem, T=%d: %s %dx%d on %s (%s), batch %d, Adam lr %s, clip %s%n",
                    seqLen, cell, layers, hidden, backend.name(), options.dtype, batch, lr, options.clip);
            TrainingSession session = new TrainingSession(options, model, adam, Map.of(), settingsMap(), err);
            Trainer.Result result = session.run(
                    model.task(step -> task.batch(batch, Seeds.forStep(options.seed, step)), validation), settings,
                    "val mse");
            double testMse = model.evaluate(test);
            out.printf(Locale.ROOT, "test MSE %.5f after %d steps (%s) in %.1f s, %.0f tokens/s; the mean predictor "
                            + "scores %.3f%n", testMse, result.steps(), result.stop().name().toLowerCase(Locale.ROOT),
                    result.elapsedNanos() / 1e9, result.tokens() / (result.elapsedNanos() / 1e9),
                    AddingProblem.MEAN_PREDICTOR_MSE);
            TrainOutputs.write(options, out, new TrainJson("adding", backend.name(), rnnSpec, options.dtype,
                    settingsMap(), "mse", result, Map.of("test_mse", testMse)));
            return 0;
        }
    }

    private Map<String, Object> settingsMap() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("seq_len", seqLen);
        m.put("batch", batch);
        m.put("steps", steps);
        m.put("lr", lr);
        m.put("clip", options.clip);
        m.put("target_mse", targetMse);
        m.put("forget_bias", forgetBias == null ? "default" : String.valueOf(forgetBias));
        m.put("seed", options.seed);
        return m;
    }
}
