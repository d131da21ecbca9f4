package dev.lstm4j.bench;

import dev.lstm4j.api.Backend;
import dev.lstm4j.api.Backends;
import dev.lstm4j.api.DType;
import dev.lstm4j.api.InputGradients;
import dev.lstm4j.api.OutputGradients;
import dev.lstm4j.api.Parameters;
import dev.lstm4j.api.Rnn;
import dev.lstm4j.api.RnnInputs;
import dev.lstm4j.api.RnnOutputs;
import dev.lstm4j.api.RnnSpec;
import dev.lstm4j.api.Tensor;
import dev.lstm4j.api.TrainingForward;

import java.util.Arrays;
import java.util.Locale;
import java.util.SplittableRandom;

/**
 * The README's first command: shows which backends were found and why, then times LSTM inference and a
 * training step (forward + BPTT) on the selected backend for the standard configurations.
 *
 * <p>Arguments: optional config names ({@code small medium large xl}); default small, medium, large.
 */
public final class Demo {
    record Config(String name, int seqLen, int batch, int input, int hidden) {
        /** Forward GEMM FLOPs of one layer and direction: 2 * T * B * 4H * (I + H). */
        double forwardFlops() {
            return 2.0 * seqLen * batch * 4.0 * hidden * (input + hidden);
        }
    }

    private static final Config[] CONFIGS = {
        new Config("small", 25, 16, 128, 128),
        new Config("medium", 50, 32, 256, 256),
        new Config("large", 100, 64, 512, 512),
        new Config("xl", 100, 128, 1024, 1024),
    };

    private Demo() {
    }

    public static void main(String[] args) {
        System.out.println("lstm4j backends found:");
        System.out.print(Backends.discover().describe());
        try (Backend backend = Backends.select()) {
            System.out.println("selected: " + backend.description());
            System.out.printf(Locale.ROOT, "%-7s %-16s %12s %10s %12s %10s%n", "config", "(T, B, I, H)",
                    "infer ms", "GFLOP/s", "train ms", "GFLOP/s");
            for (Config c : CONFIGS) {
                boolean wanted = args.length == 0 ? !c.name().equals("xl") : Arrays.asList(args).contains(c.name());
                if (wanted) {
                    run(backend, c);
                }
            }
            if (backend.liveBytes() != 0) {
                throw new IllegalStateException("demo leaked " + backend.liveBytes() + " native bytes");
            }
        }
    }

    private static void run(Backend backend, Config c) {
        RnnSpec spec = RnnSpec.lstm(c.input(), c.hidden()).build();
        try (Rnn lstm = backend.rnn(spec, DType.FLOAT32);
             Parameters weights = lstm.initParameters(42);
             Parameters grads = lstm.newParameters();
             Tensor x = backend.tensor(random(c.seqLen() * c.batch() * c.input()), c.seqLen(), c.batch(), c.input());
             Tensor dy = backend.tensor(random(c.seqLen() * c.batch() * c.hidden()), c.seqLen(), c.batch(), c.hidden())) {
            RnnInputs in = RnnInputs.of(x);
            double inferMs = medianMillis(() -> {
                try (RnnOutputs out = lstm.forwardInference(weights, in)) {
                    out.hn();
                }
            });
            double trainMs = medianMillis(() -> {
                try (TrainingForward fwd = lstm.forwardTraining(weights, in);
                     InputGradients g = lstm.backwardData(fwd.reserve(), OutputGradients.ofOutput(dy))) {
                    lstm.backwardWeights(fwd.reserve(), grads);
                }
            });
            System.out.printf(Locale.ROOT, "%-7s %-16s %12.2f %10.1f %12.2f %10.1f%n", c.name(),
                    "(" + c.seqLen() + ", " + c.batch() + ", " + c.input() + ", " + c.hidden() + ")", inferMs,
                    c.forwardFlops() / (inferMs * 1e6), trainMs, 3 * c.forwardFlops() / (trainMs * 1e6));
        }
    }

    private static float[] random(int n) {
        SplittableRandom r = new SplittableRandom(7);
        float[] a = new float[n];
        for (int k = 0; k < n; k++) {
            a[k] = (float) r.nextDouble(-1, 1);
        }
        return a;
    }

    private static double medianMillis(Runnable body) {
        // Warm up for at least 1 s and 3 runs: JIT compilation (C2 vectorises the cell loops) and first
        // touch of native memory would otherwise dominate the small configurations.
        long warmUntil = System.nanoTime() + 1_000_000_000L;
        for (int w = 0; w < 3 || System.nanoTime() < warmUntil; w++) {
            body.run();
        }
        double[] ms = new double[7];
        for (int r = 0; r < ms.length; r++) {
            long t0 = System.nanoTime();
            body.run();
            ms[r] = (System.nanoTime() - t0) / 1e6;
        }
        Arrays.sort(ms);
        return ms[ms.length / 2];
    }
}
