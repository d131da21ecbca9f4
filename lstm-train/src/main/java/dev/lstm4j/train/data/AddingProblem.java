package dev.lstm4j.train.data;

import java.util.SplittableRandom;

/**
 * The adding problem (Hochreiter and Schmidhuber 1997, experiment 4, in the form later papers use): each
 * step carries a value drawn uniformly from [0, 1) and a marker; exactly two steps are marked, one in the
 * first half of the sequence and one in the second, and the target is the sum of the two marked values.
 * The sum of two independent uniform values has variance 1/6, so always predicting the mean 1 scores an
 * MSE of about 0.167; a model must carry the first marked value across up to {@code steps} steps to do
 * better.
 */
public final class AddingProblem {
    /** Value and marker. */
    public static final int FEATURES = 2;
    /** The MSE of predicting the mean. */
    public static final double MEAN_PREDICTOR_MSE = 1.0 / 6;

    private final int steps;

    public AddingProblem(int steps) {
        if (steps < 2) {
            throw new IllegalArgumentException("the adding problem needs at least 2 steps, got " + steps);
        }
        this.steps = steps;
    }

    public int steps() {
        return steps;
    }

    /** A batch of {@code batch} sequences drawn from {@code random}. */
    public SequenceBatch batch(int batch, SplittableRandom random) {
        float[] x = new float[steps * batch * FEATURES];
        float[] y = new float[batch];
        int half = steps / 2;
        for (int b = 0; b < batch; b++) {
            int first = random.nextInt(half);
            int second = half + random.nextInt(steps - half);
            for (int t = 0; t < steps; t++) {
                int at = (t * batch + b) * FEATURES;
                x[at] = (float) random.nextDouble();
                if (t == first || t == second) {
                    x[at + 1] = 1;
                    y[b] += x[at];
                }
            }
        }
        int[] lengths = new int[batch];
        java.util.Arrays.fill(lengths, steps);
        return new SequenceBatch(x, steps, batch, FEATURES, lengths, y, 1);
    }
}
