package dev.lstm4j.cuda;

import dev.lstm4j.api.Backend;
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

/**
 * A diagnostic to run by hand on a GPU machine (not a test): per shape and option set, the median wall time of
 * an inference call and of a training step, and how many graphs were captured and replayed. Arguments: none.
 */
public final class GraphDiagnostics {

    private GraphDiagnostics() {
    }

    public static void main(String[] args) {
        stepParts();
        if (args.length > 0 && args[0].equals("--parts-only")) {
            return;
        }
        int[][] shapes = {{25, 16, 128}, {50, 32, 256}, {100, 64, 512}};
        for (int[] s : shapes) {
            for (CudaOptions options : new CudaOptions[] {new CudaOptions(false, true), new CudaOptions(false, false),
                    new CudaOptions(false, true, true)}) {
                try (Backend b = GpuBackends.create(options)) {
                    measure(b, options, s[0], s[1], s[2]);
                }
            }
        }
    }

    private static void measure(Backend b, CudaOptions options, int t, int batch, int h) {
        RnnSpec spec = RnnSpec.lstm(h, h).build();
        try (Rnn rnn = b.rnn(spec, DType.FLOAT32); Parameters w = rnn.initParameters(1);
             Parameters g = rnn.newParameters(); Tensor x = b.allocate(DType.FLOAT32, t, batch, h);
             Tensor dy = b.allocate(DType.FLOAT32, t, batch, h)) {
            double[] infer = new double[60];
            for (int k = 0; k < infer.length; k++) {
                long start = System.nanoTime();
                try (RnnOutputs out = rnn.forwardInference(w, RnnInputs.of(x))) {
                    b.synchronize();
                }
                infer[k] = (System.nanoTime() - start) / 1e6;
            }
            String afterInference = b.properties().get("graphs.captured") + "/" + b.properties().get("graphs.replayed");
            double[] train = new double[60];
            for (int k = 0; k < train.length; k++) {
                long start = System.nanoTime();
                try (TrainingForward f = rnn.forwardTraining(w, RnnInputs.of(x));
                     InputGradients ig = rnn.backwardData(f.reserve(), OutputGradients.ofOutput(dy))) {
                    rnn.backwardWeights(f.reserve(), g);
                    b.synchronize();
                }
                train[k] = (System.nanoTime() - start) / 1e6;
            }
            System.out.printf(Locale.ROOT, "T=%d B=%d H=%d %-9s graphs %-5s inference %.3f ms (first %.1f) train %.3f "
                            + "ms (first %.1f); captured/replayed after inference %s, after training %s/%s%n",
                    t, batch, h, options.rnnName(), options.graphs(), median(infer), infer[0], median(train), train[0],
                    afterInference, b.properties().get("graphs.captured"), b.properties().get("graphs.replayed"));
        }
    }

    /** 25 per-step GEMMs alone (two operand layouts) and 25 pointwise steps alone, replayed as graphs. */
    private static void stepParts() {
        int[][] sizes = {{16, 128}, {64, 128}, {256, 128}, {16, 64}, {16, 256}, {32, 256}, {16, 512}, {64, 512}};
        try (CudaBackend b = (CudaBackend) GpuBackends.create(new CudaOptions(false, true))) {
            for (int[] size : sizes) {
                int batch = size[0];
                int h = size[1];
                int g = 4 * h;
                try (DeviceBuffer w = b.buffer(4L * g * h, "w"); DeviceBuffer hs = b.buffer(4L * batch * h, "h");
                     DeviceBuffer gates = b.buffer(4L * 25 * batch * g, "gates");
                     DeviceBuffer c = b.buffer(4L * 26 * batch * h, "c"); DeviceBuffer y = b.buffer(4L * 26 * batch * h, "y")) {
                    b.run(java.util.List.of(new Command.Zero(w.address(), w.bytes()), new Command.Zero(hs.address(),
                            hs.bytes()), new Command.Zero(gates.address(), gates.bytes()),
                            new Command.Zero(c.address(), c.bytes()), new Command.Zero(y.address(), y.bytes())), false);
                    java.util.List<Command> tn = new java.util.ArrayList<>();
                    java.util.List<Command> nn = new java.util.ArrayList<>();
                    java.util.List<Command> pointwise = new java.util.ArrayList<>();
                    Kernels k = new Kernels(DType.FLOAT32);
                    for (int t = 0; t < 25; t++) {
                        long gt = gates.address() + 4L * t * batch * g;
                        tn.add(new Command.Gemm(DType.FLOAT32, false, true, batch, g, h, 1, hs.address(), h, w.address(), h,
                                1, gt, g));
                        nn.add(new Command.Gemm(DType.FLOAT32, false, false, batch, g, h, 1, hs.address(), h, w.address(),
                                g, 1, gt, g));
                        pointwise.add(k.forwardStep(batch, h, t, 0, gt, 0, 0, 0, y.address() + 4L * t * batch * h, h,
                                c.address() + 4L * t * batch * h, y.address() + 4L * (t + 1) * batch * h, h,
                                c.address() + 4L * (t + 1) * batch * h, false, 0));
                    }
                    java.util.List<Command> backNn = new java.util.ArrayList<>();
                    java.util.List<Command> backNt = new java.util.ArrayList<>();
                    java.util.List<Command> backPointwise = new java.util.ArrayList<>();
                    for (int t = 24; t >= 0; t--) {
                        long gt = gates.address() + 4L * t * batch * g;
                        backNn.add(new Command.Gemm(DType.FLOAT32, false, false, batch, h, g, 1, gt, g, w.address(), h,
                                1, hs.address(), h));
                        backNt.add(new Command.Gemm(DType.FLOAT32, false, true, batch, h, g, 1, gt, g, w.address(), g,
                                1, hs.address(), h));
                        backPointwise.add(k.backwardStep(batch, h, t, 0, gt, c.address() + 4L * (t + 1) * batch * h,
                                c.address() + 4L * t * batch * h, 0, hs.address(), y.address(), 0, h, 0));
                    }
                    java.util.List<Command> ownForward = new java.util.ArrayList<>();
                    java.util.List<Command> ownBackward = new java.util.ArrayList<>();
                    for (int t = 0; t < 25; t++) {
                        long gt = gates.address() + 4L * t * batch * g;
                        ownForward.add(k.gemmAccumulate(batch, g, h, hs.address(), h, w.address(), g, gt, g));
                        ownBackward.add(k.gemmAccumulate(batch, h, g, gt, g, w.address(), h, hs.address(), h));
                    }
                    System.out.printf(Locale.ROOT, "B=%d H=%d: lstm4j step GEMM kernel, 25 forward %.1f us, 25 backward "
                            + "%.1f us%n", batch, h, time(b, ownForward), time(b, ownBackward));
                    java.util.List<Command> weights = java.util.List.of(
                            new Command.Gemm(DType.FLOAT32, true, false, g, h, 25 * batch, 1, gates.address(), g,
                                    c.address(), h, 1, w.address(), h),
                            new Command.Gemm(DType.FLOAT32, false, false, 1, g, 25 * batch, 1, c.address(), 25 * batch,
                                    gates.address(), g, 1, y.address(), g));
                    System.out.printf(Locale.ROOT, "B=%d H=%d: 25 GEMMs h.W^T %.1f us, 25 GEMMs h.W %.1f us, "
                                    + "25 pointwise steps %.1f us; backward: 25 GEMMs dA.W %.1f us, 25 GEMMs dA.(W^T)^T "
                                    + "%.1f us, 25 pointwise %.1f us, dW_hh + bias GEMMs %.1f us%n", batch, h,
                            time(b, tn), time(b, nn), time(b, pointwise), time(b, backNn), time(b, backNt),
                            time(b, backPointwise), time(b, weights));
                }
            }
        }
    }

    private static double time(CudaBackend b, java.util.List<Command> list) {
        double[] t = new double[40];
        for (int i = 0; i < t.length; i++) {
            long start = System.nanoTime();
            b.run(list, true);
            b.synchronize();
            t[i] = (System.nanoTime() - start) / 1e3;
        }
        return median(t);
    }

    private static double median(double[] v) {
        double[] s = v.clone();
        Arrays.sort(s, 10, s.length);
        return s[10 + (s.length - 10) / 2];
    }
}
