package dev.lstm4j.train;

/**
 * A learning-rate schedule: the rate for step {@code step}, counted from 0. Schedules compose:
 * {@code LearningRate.cosine(3e-3, 10_000, 0).withWarmup(500)}.
 */
@FunctionalInterface
public interface LearningRate {

    double at(long step);

    static LearningRate constant(double lr) {
        requirePositive("lr", lr);
        return step -> lr;
    }

    /** {@code lr * gamma^(step / every)}, as PyTorch's {@code StepLR}. */
    static LearningRate step(double lr, long every, double gamma) {
        requirePositive("lr", lr);
        requirePositive("gamma", gamma);
        if (every < 1) {
            throw new IllegalArgumentException("every must be >= 1, got " + every);
        }
        return step -> lr * Math.pow(gamma, step / every);
    }

    /**
     * Cosine annealing from {@code lr} down to {@code minLr} over {@code totalSteps}, then {@code minLr}, as
     * PyTorch's {@code CosineAnnealingLR} without restarts.
     */
    static LearningRate cosine(double lr, long totalSteps, double minLr) {
        requirePositive("lr", lr);
        if (totalSteps < 1 || !(minLr >= 0 && minLr <= lr)) {
            throw new IllegalArgumentException("cosine schedule needs totalSteps >= 1 and 0 <= minLr <= lr, got "
                    + totalSteps + " and " + minLr);
        }
        return step -> minLr + (lr - minLr) * (1 + Math.cos(Math.PI * Math.min(step, totalSteps) / totalSteps)) / 2;
    }

    /**
     * Linear warm-up over the first {@code steps} steps (rate {@code at(0) * (step + 1) / steps}), then this
     * schedule, started from its step 0.
     */
    default LearningRate withWarmup(long steps) {
        if (steps < 0) {
            throw new IllegalArgumentException("warm-up steps must be >= 0, got " + steps);
        }
        LearningRate after = this;
        return step -> step < steps ? after.at(0) * (step + 1) / steps : after.at(step - steps);
    }

    private static void requirePositive(String name, double value) {
        if (!(value > 0) || Double.isInfinite(value)) {
            throw new IllegalArgumentException(name + " must be > 0 and finite, got " + value);
        }
    }
}
