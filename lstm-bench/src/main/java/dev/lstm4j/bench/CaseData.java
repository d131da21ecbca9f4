package dev.lstm4j.bench;

import dev.lstm4j.api.io.NdArray;
import dev.lstm4j.peer.StackShape;

import java.util.SplittableRandom;

/**
 * The inputs of one benchmark case, generated from a seed so that every engine gets the same numbers:
 * x {@code [T, B, I]} and the upstream gradient dy {@code [T, B, D*H]}, uniform in [-1, 1). Weights come from
 * {@link dev.lstm4j.api.Parameters#initUniform} with {@link #WEIGHT_SEED}.
 */
record CaseData(float[] x, float[] dy) {
    static final long WEIGHT_SEED = 42;
    private static final long INPUT_SEED = 7;

    static CaseData generate(StackShape s) {
        SplittableRandom random = new SplittableRandom(INPUT_SEED);
        return new CaseData(uniform(random, (long) s.seqLen() * s.batch() * s.inputSize()),
                uniform(random, (long) s.seqLen() * s.batch() * s.directions() * s.hiddenSize()));
    }

    NdArray xArray(StackShape s) {
        return NdArray.of(x, s.seqLen(), s.batch(), s.inputSize());
    }

    NdArray dyArray(StackShape s) {
        return NdArray.of(dy, s.seqLen(), s.batch(), (long) s.directions() * s.hiddenSize());
    }

    /** {@code n} floats uniform in [-1, 1). */
    static float[] uniform(SplittableRandom random, long n) {
        if (n > NdArray.MAX_ELEMENTS) {
            throw new IllegalArgumentException("benchmark input of " + n + " elements is too large to stage");
        }
        float[] a = new float[(int) n];
        for (int k = 0; k < a.length; k++) {
            a[k] = (float) random.nextDouble(-1, 1);
        }
        return a;
    }
}
