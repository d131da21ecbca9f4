package dev.lstm4j.train;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * The training loop: a {@link Task}'s forward and backward, global-norm clipping, an optimizer step at the
 * scheduled rate, and validation every so often, until a step budget, a time limit or a target validation
 * value is reached. A task draws its data as a function of the step number, so that a run resumed
 * from a checkpoint sees the same data as one that never stopped; on a deterministic backend (the CPU) the
 * two are bit-identical.
 */
public final class Trainer {

    /** What is trained: a model with its data. */
    public interface Task {
        /** The parameters the optimizer updates. */
        List<Parameter> parameters();

        /** Forward and backward of training step {@code step} (from 0), leaving the gradients; the loss and tokens. */
        StepLoss step(long step);

        /** The validation metric (lower is better), e.g. the test-set MSE or bits per character. */
        double validate();
    }

    /** The loss of one step and the number of tokens (sequence steps) it trained on. */
    public record StepLoss(double loss, long tokens) {
    }

    /**
     * @param steps          the step budget
     * @param learningRate   the schedule, by step from 0
     * @param clipNorm       the global gradient norm limit, or 0 for none
     * @param validateEvery  validate every this many steps (and after the last)
     * @param target         stop after the first validation at or below it; 0 to train the whole budget
     * @param timeLimitNanos stop after the step that passes it; 0 for none
     */
    public record Settings(long steps, LearningRate learningRate, double clipNorm, long validateEvery, double target,
                           long timeLimitNanos) {
        public Settings {
            Objects.requireNonNull(learningRate, "learningRate");
            if (steps < 1 || validateEvery < 1 || clipNorm < 0 || target < 0 || timeLimitNanos < 0) {
                throw new IllegalArgumentException("steps and validateEvery must be >= 1, clipNorm, target and "
                        + "the time limit >= 0; got " + steps + ", " + validateEvery + ", " + clipNorm + ", "
                        + target + ", " + timeLimitNanos);
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

    /** A point of the curves: training loss (mean since the previous point) and the validation metric at a step. */
    public record CurvePoint(long step, double trainingLoss, double validation, long elapsedNanos) {
    }

    /** Why the loop ended. */
    public enum Stop { TARGET_REACHED, STEP_BUDGET, TIME_LIMIT }

    public record Result(Stop stop, long steps, long tokens, long elapsedNanos, double validation,
                         List<CurvePoint> curve) {
    }

    /** Told of every step and validation; the default does nothing. */
    public interface Listener {
        default void stepped(Progress progress) {
        }

        default void validated(Progress progress, CurvePoint point) {
        }
    }

    private Trainer() {
    }

    /** Trains from step 0. */
    public static Result train(Task task, Optimizer optimizer, Settings settings, Listener listener) {
        return train(task, optimizer, settings, 0, listener);
    }

    /**
     * Trains steps {@code firstStep} to {@code settings.steps() - 1} (a resumed run starts at its checkpoint's
     * step); step {@code s} runs {@code task.step(s)} at rate {@code learningRate().at(s)}.
     */
    public static Result train(Task task, Optimizer optimizer, Settings settings, long firstStep, Listener listener) {
        if (firstStep < 0 || firstStep >= settings.steps()) {
            throw new IllegalArgumentException("the first step must be in [0, " + settings.steps() + "), got "
                    + firstStep);
        }
        long start = System.nanoTime();
        List<CurvePoint> curve = new ArrayList<>();
        long tokens = 0;
        double lossSum = 0;
        int lossCount = 0;
        double validation = Double.NaN;
        for (long step = firstStep; step < settings.steps(); step++) {
            StepLoss stepLoss = task.step(step);
            double loss = stepLoss.loss();
            if (!Double.isFinite(loss)) {
                throw new IllegalStateException("the training loss became " + loss + " at step " + (step + 1)
                        + "; lower the learning rate or clip the gradients");
            }
            double norm = settings.clipNorm() > 0
                    ? GradientClipping.clipGlobalNorm(task.parameters(), settings.clipNorm())
                    : GradientClipping.globalNorm(task.parameters());
            double lr = settings.learningRate().at(step);
            optimizer.step(task.parameters(), lr);
            tokens += stepLoss.tokens();
            lossSum += loss;
            lossCount++;
            long elapsed = System.nanoTime() - start;
            Progress progress = new Progress(step + 1, settings.steps(), loss, lr, norm, tokens, elapsed,
                    step + 1 - firstStep);
            listener.stepped(progress);
            boolean last = step + 1 == settings.steps();
            boolean outOfTime = settings.timeLimitNanos() > 0 && elapsed >= settings.timeLimitNanos();
            if ((step + 1) % settings.validateEvery() == 0 || last || outOfTime) {
                validation = task.validate();
                CurvePoint point = new CurvePoint(step + 1, lossSum / lossCount, validation,
                        System.nanoTime() - start);
                curve.add(point);
                listener.validated(progress, point);
                lossSum = 0;
                lossCount = 0;
                if (settings.target() > 0 && validation <= settings.target()) {
                    return new Result(Stop.TARGET_REACHED, step + 1, tokens, System.nanoTime() - start,
                            validation, List.copyOf(curve));
                }
            }
            if (outOfTime && !last) {
                return new Result(Stop.TIME_LIMIT, step + 1, tokens, System.nanoTime() - start, validation,
                        List.copyOf(curve));
            }
        }
        return new Result(Stop.STEP_BUDGET, settings.steps(), tokens, System.nanoTime() - start, validation,
                List.copyOf(curve));
    }
}
