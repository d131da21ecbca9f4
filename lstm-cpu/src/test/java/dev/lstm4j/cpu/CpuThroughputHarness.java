package dev.lstm4j.cpu;

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
 * Throwaway throughput harness for issue 2 (the real benchmarks belong to lstm-bench): single-layer LSTM
 * inference and training step on the standard configs, beside the GEMMs alone and sgemm 2048^3, in one JVM.
 * Run: {@code java -cp ... dev.lstm4j.cpu.CpuThroughputHarness [threads] [config...]}.
 */
public final class CpuThroughputHarness {
    record Config(String name, int seqLen, int batch, int input, int hidden) {
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

    public static void main(String[] args) {
        int threads = args.length > 0 ? Integer.parseInt(args[0]) : 1;
        OpenBlas.require();
        OpenBlas.setThreads(threads);
        System.out.printf(Locale.ROOT, "%s, core %s, threads %d, OPENBLAS_CORETYPE=%s, fastmath %s, java %s%n",
                OpenBlas.config(), OpenBlas.coreName(), OpenBlas.threads(), System.getenv("OPENBLAS_CORETYPE"),
                FastMath.ENABLED, System.getProperty("java.version"));
        CpuBackend backend = new CpuBackend();
        double ceiling = sgemmCeiling(backend);
        System.out.printf(Locale.ROOT, "sgemm 2048^3: %.1f GFLOP/s%n", ceiling);
        System.out.printf(Locale.ROOT, "%-7s %-5s %10s %9s %8s | %10s %9s %8s | %s%n", "config", "mode", "median ms",
                "GFLOP/s", "of sgemm", "gemms ms", "GFLOP/s", "of sgemm", "lstm/gemms");
        for (Config c : CONFIGS) {
            if (args.length > 1 && !Arrays.asList(args).subList(1, args.length).contains(c.name())) {
                continue;
            }
            run(backend, c, ceiling);
        }
    }

    private static double sgemmCeiling(CpuBackend backend) {
        int n = 2048;
        CpuPrecision p = CpuPrecision.of(DType.FLOAT32);
        try (WorkspacePool pool = new WorkspacePool(backend, DType.FLOAT32); Allocations a = new Allocations(pool)) {
            NativeBuffer x = a.allocate((long) n * n, "a");
            NativeBuffer y = a.allocate((long) n * n, "b");
            NativeBuffer z = a.allocate((long) n * n, "c");
            zero(x, y, z);
            double ms = median(5, () -> p.gemm(false, true, n, n, n, 1, x, 0, n, y, 0, n, 0, z, 0, n));
            return 2.0 * n * n * n / (ms * 1e6);
        }
    }

    private static void run(CpuBackend backend, Config c, double ceiling) {
        RnnSpec spec = RnnSpec.lstm(c.input(), c.hidden()).build();
        int reps = c.forwardFlops() > 2e10 ? 5 : 11;
        try (Rnn rnn = backend.rnn(spec, DType.FLOAT32);
             Parameters w = rnn.initParameters(1);
             Parameters grads = rnn.newParameters();
             Tensor x = backend.tensor(random(c.seqLen() * c.batch() * c.input()), c.seqLen(), c.batch(), c.input());
             Tensor dy = backend.tensor(random(c.seqLen() * c.batch() * c.hidden()), c.seqLen(), c.batch(), c.hidden())) {
            RnnInputs in = RnnInputs.of(x);
            double inf = median(reps, () -> {
                try (RnnOutputs o = rnn.forwardInference(w, in)) {
                    o.y();
                }
            });
            double train = median(reps, () -> {
                try (TrainingForward f = rnn.forwardTraining(w, in);
                     InputGradients g = rnn.backwardData(f.reserve(), OutputGradients.ofOutput(dy))) {
                    rnn.backwardWeights(f.reserve(), grads);
                }
            });
            double[] gemms = gemmOnly(backend, c, reps);
            report(c, "infer", inf, c.forwardFlops(), gemms[0], ceiling);
            report(c, "train", train, 3 * c.forwardFlops(), gemms[1], ceiling);
        }
    }

    /** Milliseconds of exactly the GEMMs a single-layer LSTM needs: {forward, forward + backward}. */
    private static double[] gemmOnly(CpuBackend backend, Config c, int reps) {
        CpuPrecision p = CpuPrecision.of(DType.FLOAT32);
        int t = c.seqLen();
        int b = c.batch();
        int i = c.input();
        int h = c.hidden();
        int g = 4 * h;
        int rows = t * b;
        try (WorkspacePool pool = new WorkspacePool(backend, DType.FLOAT32); Allocations a = new Allocations(pool)) {
            NativeBuffer x = a.allocate((long) rows * i, "x");
            NativeBuffer wIh = a.allocate((long) g * i, "wIh");
            NativeBuffer wHh = a.allocate((long) g * h, "wHh");
            NativeBuffer gates = a.allocate((long) rows * g, "gates");
            NativeBuffer hs = a.allocate((long) rows * h, "h");
            NativeBuffer dx = a.allocate((long) rows * i, "dx");
            NativeBuffer dh = a.allocate((long) b * h, "dh");
            NativeBuffer dW = a.allocate((long) g * (i + h), "dW");
            zero(x, wIh, wHh, gates, hs, dx, dh, dW);
            Runnable forward = () -> {
                p.gemm(false, true, rows, g, i, 1, x, 0, i, wIh, 0, i, 0, gates, 0, g);
                for (int s = 1; s < t; s++) {
                    p.gemm(false, true, b, g, h, 1, hs, (long) (s - 1) * b * h, h, wHh, 0, h, 1, gates,
                            (long) s * b * g, g);
                }
            };
            Runnable backward = () -> {
                for (int s = t - 1; s >= 0; s--) {
                    p.gemm(false, false, b, h, g, 1, gates, (long) s * b * g, g, wHh, 0, h, 1, dh, 0, h);
                }
                p.gemm(false, false, rows, i, g, 1, gates, 0, g, wIh, 0, i, 0, dx, 0, i);
                p.gemm(true, false, g, i, rows, 1, gates, 0, g, x, 0, i, 1, dW, 0, i);
                p.gemm(true, false, g, h, rows - b, 1, gates, (long) b * g, g, hs, 0, h, 1, dW, (long) g * i, h);
            };
            double fwd = median(reps, forward);
            double both = median(reps, () -> {
                forward.run();
                backward.run();
            });
            return new double[] {fwd, both};
        }
    }

    /** Workspace memory comes uninitialised; garbage could hold denormals, which slow the FPU down. */
    private static void zero(NativeBuffer... buffers) {
        for (NativeBuffer b : buffers) {
            b.zero(0, b.elements());
        }
    }

    private static void report(Config c, String mode, double ms, double flops, double gemmMs, double ceiling) {
        double rate = flops / (ms * 1e6);
        double gemmRate = flops / (gemmMs * 1e6);
        System.out.printf(Locale.ROOT, "%-7s %-5s %10.2f %9.1f %7.0f%% | %10.2f %9.1f %7.0f%% | %.0f%%%n", c.name(),
                mode, ms, rate, 100 * rate / ceiling, gemmMs, gemmRate, 100 * gemmRate / ceiling, 100 * gemmMs / ms);
    }

    private static float[] random(int n) {
        SplittableRandom r = new SplittableRandom(3);
        float[] a = new float[n];
        for (int k = 0; k < n; k++) {
            a[k] = (float) r.nextDouble(-1, 1);
        }
        return a;
    }

    private static double median(int reps, Runnable body) {
        // Warm up for at least 2 s and 5 runs, so that C2 has compiled (and vectorised) the cell loops.
        long warmUntil = System.nanoTime() + 2_000_000_000L;
        for (int w = 0; w < 5 || System.nanoTime() < warmUntil; w++) {
            body.run();
        }
        double[] ms = new double[reps];
        for (int r = 0; r < reps; r++) {
            long t0 = System.nanoTime();
            body.run();
            ms[r] = (System.nanoTime() - t0) / 1e6;
        }
        Arrays.sort(ms);
        return ms[reps / 2];
    }
}
