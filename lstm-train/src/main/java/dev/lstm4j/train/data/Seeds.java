package dev.lstm4j.train.data;

import java.util.SplittableRandom;

/** Random streams derived from a run's seed, so that data depends on the step number and nothing else. */
public final class Seeds {
    private Seeds() {
    }

    /** The random stream of training step {@code step} of a run seeded with {@code seed}. */
    public static SplittableRandom forStep(long seed, long step) {
        // SplittableRandom mixes its seed, so distinct (seed, step) pairs give unrelated streams
        return new SplittableRandom(seed * 0x9E3779B97F4A7C15L + step);
    }
}
