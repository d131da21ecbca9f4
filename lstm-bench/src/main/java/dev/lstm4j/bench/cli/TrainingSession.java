package dev.lstm4j.bench.cli;

import dev.lstm4j.api.Tensor;
import dev.lstm4j.api.io.NdArray;
import dev.lstm4j.train.Checkpoint;
import dev.lstm4j.train.Model;
import dev.lstm4j.train.Optimizer;
import dev.lstm4j.train.Trainer;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One {@code lstm train} run around {@link Trainer}: resumes from a checkpoint when asked, prints progress,
 * and saves checkpoints along the way and at the end. {@code carried} names tensors that belong to the run
 * but not to the model (the state carried between segments); they are checkpointed under their names.
 */
final class TrainingSession {
    private final TrainingOptions options;
    private final Model model;
    private final Optimizer optimizer;
    private final Map<String, Tensor> carried;
    private final Map<String, String> metadata;
    private final PrintWriter err;

    TrainingSession(TrainingOptions options, Model model, Optimizer optimizer, Map<String, Tensor> carried,
                    Map<String, Object> settings, PrintWriter err) {
        this.options = options;
        this.model = model;
        this.optimizer = optimizer;
        this.carried = carried;
        this.err = err;
        this.metadata = new LinkedHashMap<>();
        settings.forEach((k, v) -> metadata.put(k, String.valueOf(v)));
    }

    Trainer.Result run(Trainer.Task task, Trainer.Settings settings, String metric) throws IOException {
        long firstStep = options.resume ? resume(settings.steps()) : 0;
        TrainingProgress progress = new TrainingProgress(err, metric);
        Trainer.Listener listener = new Trainer.Listener() {
            @Override
            public void stepped(Trainer.Progress p) {
                progress.stepped(p);
                if (options.checkpoint != null && p.step() % options.checkpointEvery == 0) {
                    save(p.step());
                }
            }

            @Override
            public void validated(Trainer.Progress p, Trainer.CurvePoint point) {
                progress.validated(p, point);
            }
        };
        Trainer.Result result = Trainer.train(task, optimizer, settings, firstStep, listener);
        progress.finish();
        if (options.checkpoint != null) {
            save(result.steps());
            err.println("checkpoint: " + options.checkpoint + " at step " + result.steps());
        }
        return result;
    }

    private long resume(long budget) throws IOException {
        if (options.checkpoint == null) {
            throw new ToolFailure("--resume needs --checkpoint FILE");
        }
        if (!Files.exists(options.checkpoint)) {
            throw new ToolFailure("--resume: no checkpoint at " + options.checkpoint);
        }
        Checkpoint saved = Checkpoint.load(options.checkpoint);
        Map<String, NdArray> weights = new LinkedHashMap<>(saved.model());
        carried.forEach((name, tensor) -> {
            NdArray array = weights.remove(name);
            if (array == null) {
                throw new ToolFailure("the checkpoint " + options.checkpoint + " lacks " + name
                        + "; was it written by another task?");
            }
            tensor.copyFrom(array.toDoubles());
        });
        model.loadStateDict(weights);
        optimizer.restore(model.parameters(), saved.optimizerSteps(), saved.optimizer());
        if (saved.step() >= budget) {
            throw new ToolFailure("the checkpoint is at step " + saved.step() + ", the budget is " + budget
                    + " steps: nothing left to train (raise --steps)");
        }
        err.println("resumed from " + options.checkpoint + " at step " + saved.step());
        return saved.step();
    }

    private void save(long step) {
        Map<String, NdArray> tensors = new LinkedHashMap<>(model.stateDict());
        carried.forEach((name, tensor) -> tensors.put(name, Checkpoint.hostCopy(tensor)));
        try {
            Checkpoint.save(options.checkpoint, tensors, optimizer, step, metadata);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write checkpoint " + options.checkpoint, e);
        }
    }
}
