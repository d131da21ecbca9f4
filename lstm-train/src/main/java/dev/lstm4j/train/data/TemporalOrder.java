package dev.lstm4j.train.data;

import java.util.Arrays;
import java.util.SplittableRandom;

/**
 * The temporal-order problem (Hochreiter and Schmidhuber 1997, experiment 6a): a sequence of random
 * distractor symbols {@code a, b, c, d} between a start symbol {@code B} and an end symbol {@code E} holds
 * two relevant symbols, each {@code X} or {@code Y}, the first at a step in the sequence's second tenth and
 * the second in its sixth tenth. The class is their order: {@code XX, XY, YX, YY} (0 to 3). Inputs are one-hot
 * over the 8 symbols; guessing scores 25%.
 */
public final class TemporalOrder {
    /** One-hot over a, b, c, d, X, Y, B, E. */
    public static final int FEATURES = 8;
    public static final int CLASSES = 4;
    private static final int X = 4;
    private static final int Y = 5;
    private static final int START = 6;
    private static final int END = 7;

    private final int steps;

    public TemporalOrder(int steps) {
        if (steps < 10) {
            throw new IllegalArgumentException("the temporal-order problem needs at least 10 steps, got " + steps);
        }
        this.steps = steps;
    }

    public int steps() {
        return steps;
    }

    /** A batch of {@code batch} sequences with their classes, drawn from {@code random}. */
    public SequenceBatch batch(int batch, SplittableRandom random) {
        float[] x = new float[steps * batch * FEATURES];
        float[] labels = new float[batch];
        int tenth = steps / 10;
        for (int b = 0; b < batch; b++) {
            int first = tenth + random.nextInt(tenth);
            int second = 5 * tenth + random.nextInt(tenth);
            boolean firstIsY = random.nextBoolean();
            boolean secondIsY = random.nextBoolean();
            for (int t = 0; t < steps; t++) {
                int symbol;
                if (t == 0) {
                    symbol = START;
                } else if (t == steps - 1) {
                    symbol = END;
                } else if (t == first) {
                    symbol = firstIsY ? Y : X;
                } else if (t == second) {
                    symbol = secondIsY ? Y : X;
                } else {
                    symbol = random.nextInt(4);
                }
                x[(t * batch + b) * FEATURES + symbol] = 1;
            }
            labels[b] = (firstIsY ? 2 : 0) + (secondIsY ? 1 : 0);
        }
        int[] lengths = new int[batch];
        Arrays.fill(lengths, steps);
        return new SequenceBatch(x, steps, batch, FEATURES, lengths, labels, 1);
    }
}
