package dev.lstm4j.train;

import dev.lstm4j.train.data.SequenceBatch;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.function.LongFunction;

/**
 * The training loop of a {@link SequenceRegressor}: forward and backward, global-norm clipping, an optimizer
 * step at the scheduled rate, and validation every so often, until a step budget, a time limit or a target
 * validation error is reached. Batches come from a function of the step number, so that a run resumed
 * from a checkpoint sees the same data as one that never stopped; on a deterministic backend (the CPU) the
 * two are bit-identical.
 */
public final class RegressionTrainer {

    /**
     * @param steps          the step budget
     * @param learningRate   the schedule, by step from 0
     * @param clipNorm       the global gradient norm limit, or 0 for none
     * @param validateEvery  validate every this many steps (and after the last)
     * @param targetMse      stop after the first validation at or below it; 0 to train the whole budget
     * @param timeLimitNanos stop after the step that passes it; 0 for none
     */
    public record Settings(long steps, LearningRate learningRate, double clipNorm, long validateEvery, double targetMse,
                           long timeLimitNanos) {
        public Settings {
            Objects.requireNonNull(learningRate, "learningRate");
            if (steps < 1 || validateEvery < 1 || clipNorm < 0 || targetMse < 0 || timeLimitNanos < 0) {
                throw new IllegalArgumentException("steps and validateEvery must be >= 1, clipNorm, targetMse and "
                        + "the time limit >= 0; got " + steps + ", " + validateEvery + ", " + clipNorm + ", "
                        + targetMse + ", " + timeLimitNanos);
            }
        }
    }

    /**
     * Where the loop stands after step {@code step} (counted from 1); {@code tokens} counts the sequence steps
     * seen in this run (batch x length) and {@code stepsThisRun} the steps since it started or resumed.
     */
    public record Progress(long step, long totalSteps, double loss, double learningRate, double gradientNorm,
                           long tokens, long elapsedNanos, long stepsThisRun) {
        public double stepsPerSecond() {
            return stepsThisRun / (elapsedNanos / 1e9);
        }

        public double tokensPerSecond() {
            return tokens / (elapsedNanos / 1e9);
        }
    }

    /** A point of the curves: training loss (mean since the previous point) and validation MSE at a step. */
    public record CurvePoint(long step, double trainingLoss, double validationMse, long elapsedNanos) {
    }

    /** Why the loop ended. */
    public enum Stop { TARGET_REACHED, STEP_BUDGET, TIME_LIMIT }

    public record Result(Stop stop, long steps, long tokens, long elapsedNanos, double validationMse,
                         List<CurvePoint> curve) {
    }

    /** Told of every step and validation; the default does nothing. */
    public interface Listener {
        default void stepped(Progress progress) {
        }

        default void validated(Progress progress, CurvePoint point) {
        }
    }

    private RegressionTrainer() {
    }

    /** Trains from step 0. */
    public static Result train(SequenceRegressor model, Optimizer optimizer, LongFunction<SequenceBatch> batches,
                               SequenceBatch validation, Settings settings, Listener listener) {
        return train(model, optimizer, batches, validation, settings, 0, listener);
    }

    /**
     * Trains steps {@code firstStep} to {@code settings.steps() - 1} (a resumed run starts at its checkpoint's
     * step); step {@code s} trains on {@code batches.apply(s)} at rate {@code learningRate().at(s)}.
     */
    public static Result train(SequenceRegressor model, Optimizer optimizer, LongFunction<SequenceBatch> batches,
                               SequenceBatch validation, Settings settings, long firstStep, Listener listener) {
        if (firstStep < 0 || firstStep >= settings.steps()) {
            throw new IllegalArgumentException("the first step must be in [0, " + settings.steps() + "), got "
                    + firstStep);
        }
        long start = System.nanoTime();
        List<CurvePoint> curve = new ArrayList<>();
        long tokens = 0;
        double lossSum = 0;
        int lossCount = 0;
        double validationMse = Double.NaN;
        for (long step = firstStep; step < settings.steps(); step++) {
            SequenceBatch batch = batches.apply(step);
            double loss = model.trainStep(batch);
            if (!Double.isFinite(loss)) {
                throw new IllegalStateException("the training loss became " + loss + " at step " + (step + 1)
                        + "; lower the learning rate or clip the gradients");
            }
            double norm = settings.clipNorm() > 0
                    ? GradientClipping.clipGlobalNorm(model.parameters(), settings.clipNorm())
                    : GradientClipping.globalNorm(model.parameters());
            double lr = settings.learningRate().at(step);
            optimizer.step(model.parameters(), lr);
            for (int len : batch.lengths()) {
                tokens += len;
            }
            lossSum += loss;
            lossCount++;
            long elapsed = System.nanoTime() - start;
            Progress progress = new Progress(step + 1, settings.steps(), loss, lr, norm, tokens, elapsed,
                    step + 1 - firstStep);
            listener.stepped(progress);
            boolean last = step + 1 == settings.steps();
            boolean outOfTime = settings.timeLimitNanos() > 0 && elapsed >= settings.timeLimitNanos();
            if ((step + 1) % settings.validateEvery() == 0 || last || outOfTime) {
                validationMse = model.evaluate(validation);
                CurvePoint point = new CurvePoint(step + 1, lossSum / lossCount, validationMse,
                        System.nanoTime() - start);
                curve.add(point);
                listener.validated(progress, point);
                lossSum = 0;
                lossCount = 0;
                if (settings.targetMse() > 0 && validationMse <= settings.targetMse()) {
                    return new Result(Stop.TARGET_REACHED, step + 1, tokens, System.nanoTime() - start,
                            validationMse, List.copyOf(curve));
                }
            }
            if (outOfTime && !last) {
                return new Result(Stop.TIME_LIMIT, step + 1, tokens, System.nanoTime() - start, validationMse,
                        List.copyOf(curve));
            }
        }
        return new Result(Stop.STEP_BUDGET, settings.steps(), tokens, System.nanoTime() - start, validationMse,
                List.copyOf(curve));
    }
}
