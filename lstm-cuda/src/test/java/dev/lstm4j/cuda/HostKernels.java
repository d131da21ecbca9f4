package dev.lstm4j.cuda;

import dev.lstm4j.api.DType;

import java.util.List;

import static dev.lstm4j.cuda.HostDevice.i32;
import static dev.lstm4j.cuda.HostDevice.i64;
import static dev.lstm4j.cuda.HostDevice.ptr;
import static dev.lstm4j.cuda.HostDevice.real;

/**
 * One kernel launch interpreted on the host, element by element as the C source's threads would run it, after
 * checking that the launch's grid covers every element the kernel is asked to touch.
 */
final class HostKernels {
    private final HostDevice device;
    private final Command.Launch launch;
    private final List<KernelArg> a;
    private final DType dtype;
    private final int es;

    HostKernels(HostDevice device, Command.Launch launch) {
        this.device = device;
        this.launch = launch;
        this.a = launch.args();
        this.dtype = launch.kernel().endsWith("_f32") ? DType.FLOAT32 : DType.FLOAT64;
        this.es = dtype.byteSize();
    }

    void run() {
        String name = launch.kernel().substring(0, launch.kernel().length() - 4);
        switch (name) {
            case "lstm_forward_step" -> forwardStep();
            case "lstm_backward_step" -> backwardStep();
            case "lstm_peephole_gradient" -> peepholeGradient();
            case "gru_forward_step" -> gruForwardStep();
            case "lstm_keep_inactive" -> keepInactive();
            case "lstm_projection_grad" -> projectionGrad();
            case "gru_backward_step" -> gruBackwardStep();
            case "lstm_swap_leading" -> swapLeading();
            case "lstm_transpose" -> transpose();
            case "lstm_gemm_accumulate" -> gemmAccumulate();
            case "lstm_zero_padding" -> zeroPadding();
            case "lstm_gather_last" -> gatherLast();
            case "lstm_dropout" -> dropout();
            case "lstm_axpy" -> elementwise((i, v) -> v[1][i] += real(a, 1) * v[0][i], 2, 3);
            case "lstm_scale" -> elementwise((i, v) -> v[0][i] *= real(a, 1), 2);
            case "lstm_sum_squares" -> sumSquares();
            case "lstm_adam" -> adam();
            case "lstm_sgd" -> sgd();
            case "lstm_fill" -> fill();
            case "lstm_softmax_xent" -> softmaxXent();
            case "lstm_gather_rows" -> gatherRows();
            case "lstm_segment_add_rows" -> segmentAddRows();
            default -> throw new IllegalArgumentException("unknown kernel " + launch.kernel());
        }
    }

    private double get(long base, long element) {
        return device.get(dtype, base + element * es);
    }

    private void put(long base, long element, double v) {
        device.put(dtype, base + element * es, v);
    }

    private boolean active(long lengths, int b, int t) {
        return lengths == 0 || t < device.getInt(lengths + 4L * b);
    }

    private void requireStepGrid(int batch, int hidden) {
        if ((long) launch.gridX() * launch.blockX() < hidden || launch.gridY() < batch) {
            throw new IllegalStateException(launch.kernel() + ": grid does not cover B=" + batch + ", H=" + hidden);
        }
    }

    private void requireFlatGrid(long n) {
        if ((long) launch.gridX() * launch.blockX() < n || launch.gridY() != 1) {
            throw new IllegalStateException(launch.kernel() + ": grid does not cover " + n + " elements");
        }
    }

    private static double sigmoid(double x) {
        return 1 / (1 + Math.exp(-x));
    }

    private void forwardStep() {
        int batch = i32(a, 0);
        int hidden = i32(a, 1);
        int t = i32(a, 2);
        long lengths = ptr(a, 3);
        long gates = ptr(a, 4);
        long bIh = ptr(a, 5);
        long bHh = ptr(a, 6);
        long peep = ptr(a, 7);
        long hPrev = ptr(a, 8);
        int hPrevStride = i32(a, 9);
        long cPrev = ptr(a, 10);
        long hOut = ptr(a, 11);
        int hOutStride = i32(a, 12);
        long cOut = ptr(a, 13);
        boolean keep = i32(a, 14) != 0;
        double clip = real(a, 15);
        requireStepGrid(batch, hidden);
        for (int b = 0; b < batch; b++) {
            long row = (long) b * 4 * hidden;
            for (int j = 0; j < hidden; j++) {
                long s = (long) b * hidden + j;
                double stored = cPrev != 0 ? get(cPrev, s) : 0;
                double cp = clamp(stored, clip);
                if (!active(lengths, b, t)) {
                    put(cOut, s, stored);
                    put(hOut, (long) b * hOutStride + j, hPrev != 0 ? get(hPrev, (long) b * hPrevStride + j) : 0);
                    if (keep) {
                        for (int g = 0; g < 4; g++) {
                            put(gates, row + (long) g * hidden + j, 0);
                        }
                    }
                    continue;
                }
                double[] act = new double[4];
                for (int g = 0; g < 4; g++) {
                    long k = (long) g * hidden + j;
                    act[g] = get(gates, row + k) + (bIh != 0 ? get(bIh, k) : 0) + (bHh != 0 ? get(bHh, k) : 0);
                }
                if (peep != 0) {
                    act[0] += get(peep, j) * cp;
                    act[1] += get(peep, hidden + j) * cp;
                }
                act[0] = sigmoid(act[0]);
                act[1] = sigmoid(act[1]);
                act[2] = Math.tanh(act[2]);
                double c = act[1] * cp + act[0] * act[2];
                double cRead = clamp(c, clip);
                act[3] = sigmoid(act[3] + (peep != 0 ? get(peep, 2L * hidden + j) * cRead : 0));
                put(cOut, s, c);
                put(hOut, (long) b * hOutStride + j, act[3] * Math.tanh(cRead));
                if (keep) {
                    for (int g = 0; g < 4; g++) {
                        put(gates, row + (long) g * hidden + j, act[g]);
                    }
                }
            }
        }
    }

    private void backwardStep() {
        int batch = i32(a, 0);
        int hidden = i32(a, 1);
        int t = i32(a, 2);
        long lengths = ptr(a, 3);
        long gates = ptr(a, 4);
        long cCur = ptr(a, 5);
        long cPrev = ptr(a, 6);
        long peep = ptr(a, 7);
        long dh = ptr(a, 8);
        long dc = ptr(a, 9);
        long dy = ptr(a, 10);
        int dyStride = i32(a, 11);
        double clip = real(a, 12);
        requireStepGrid(batch, hidden);
        for (int b = 0; b < batch; b++) {
            long row = (long) b * 4 * hidden;
            for (int j = 0; j < hidden; j++) {
                long s = (long) b * hidden + j;
                if (!active(lengths, b, t)) {
                    for (int g = 0; g < 4; g++) {
                        put(gates, row + (long) g * hidden + j, 0);
                    }
                    continue;
                }
                double i = get(gates, row + j);
                double f = get(gates, row + hidden + j);
                double g = get(gates, row + 2L * hidden + j);
                double o = get(gates, row + 3L * hidden + j);
                double c = get(cCur, s);
                double stored = cPrev != 0 ? get(cPrev, s) : 0;
                boolean free = clip <= 0 || Math.abs(c) <= clip;
                boolean prevFree = clip <= 0 || Math.abs(stored) <= clip;
                double cp = clamp(stored, clip);
                double tc = Math.tanh(clamp(c, clip));
                double h = get(dh, s) + (dy != 0 ? get(dy, (long) b * dyStride + j) : 0);
                double daO = h * tc * o * (1 - o);
                double d = get(dc, s) + (free ? h * o * (1 - tc * tc) + (peep != 0 ? daO * get(peep, 2L * hidden + j) : 0)
                        : 0);
                double daI = d * g * i * (1 - i);
                double daF = d * cp * f * (1 - f);
                put(gates, row + j, daI);
                put(gates, row + hidden + j, daF);
                put(gates, row + 2L * hidden + j, d * i * (1 - g * g));
                put(gates, row + 3L * hidden + j, daO);
                double carried = d * f + (peep != 0 ? daI * get(peep, j) + daF * get(peep, hidden + j) : 0);
                put(dc, s, prevFree ? carried : 0);
                put(dh, s, 0);
            }
        }
    }

    private void keepInactive() {
        int batch = i32(a, 0);
        int width = i32(a, 1);
        int t = i32(a, 2);
        long lengths = ptr(a, 3);
        long hPrev = ptr(a, 4);
        int hPrevStride = i32(a, 5);
        long out = ptr(a, 6);
        int outStride = i32(a, 7);
        requireFlatGrid((long) batch * width);
        for (int b = 0; b < batch; b++) {
            if (!active(lengths, b, t)) {
                for (int j = 0; j < width; j++) {
                    put(out, (long) b * outStride + j, hPrev != 0 ? get(hPrev, (long) b * hPrevStride + j) : 0);
                }
            }
        }
    }

    private void projectionGrad() {
        int batch = i32(a, 0);
        int width = i32(a, 1);
        int t = i32(a, 2);
        long lengths = ptr(a, 3);
        long dh = ptr(a, 4);
        long dy = ptr(a, 5);
        int dyStride = i32(a, 6);
        long dhAt = ptr(a, 7);
        long kept = ptr(a, 8);
        requireFlatGrid((long) batch * width);
        for (int b = 0; b < batch; b++) {
            boolean running = active(lengths, b, t);
            for (int j = 0; j < width; j++) {
                long e = (long) b * width + j;
                double v = get(dh, e) + (running && dy != 0 ? get(dy, (long) b * dyStride + j) : 0);
                put(dhAt, e, v);
                put(kept, e, running ? v : 0);
                if (running) {
                    put(dh, e, 0);
                }
            }
        }
    }

    private void gruForwardStep() {
        int batch = i32(a, 0);
        int hidden = i32(a, 1);
        int t = i32(a, 2);
        long lengths = ptr(a, 3);
        long gates = ptr(a, 4);
        long recurrent = ptr(a, 5);
        long bIh = ptr(a, 6);
        long bHh = ptr(a, 7);
        long hPrev = ptr(a, 8);
        int hPrevStride = i32(a, 9);
        long hOut = ptr(a, 10);
        int hOutStride = i32(a, 11);
        long sOut = ptr(a, 12);
        boolean keep = i32(a, 13) != 0;
        requireStepGrid(batch, hidden);
        for (int b = 0; b < batch; b++) {
            long row = (long) b * 3 * hidden;
            for (int j = 0; j < hidden; j++) {
                double hp = hPrev != 0 ? get(hPrev, (long) b * hPrevStride + j) : 0;
                if (!active(lengths, b, t)) {
                    put(hOut, (long) b * hOutStride + j, hp);
                    if (keep) {
                        for (int q = 0; q < 3; q++) {
                            put(gates, row + (long) q * hidden + j, 0);
                        }
                    }
                    if (sOut != 0) {
                        put(sOut, (long) b * hidden + j, 0);
                    }
                    continue;
                }
                double[] bi = new double[3];
                double[] bh = new double[3];
                for (int q = 0; q < 3; q++) {
                    bi[q] = bIh != 0 ? get(bIh, (long) q * hidden + j) : 0;
                    bh[q] = bHh != 0 ? get(bHh, (long) q * hidden + j) : 0;
                }
                double r = sigmoid(get(gates, row + j) + bi[0] + get(recurrent, row + j) + bh[0]);
                double z = sigmoid(get(gates, row + hidden + j) + bi[1] + get(recurrent, row + hidden + j) + bh[1]);
                double sv = get(recurrent, row + 2L * hidden + j) + bh[2];
                double n = Math.tanh(get(gates, row + 2L * hidden + j) + bi[2] + r * sv);
                put(hOut, (long) b * hOutStride + j, (1 - z) * n + z * hp);
                if (keep) {
                    put(gates, row + j, r);
                    put(gates, row + hidden + j, z);
                    put(gates, row + 2L * hidden + j, n);
                }
                if (sOut != 0) {
                    put(sOut, (long) b * hidden + j, sv);
                }
            }
        }
    }

    private void gruBackwardStep() {
        int batch = i32(a, 0);
        int hidden = i32(a, 1);
        int t = i32(a, 2);
        long lengths = ptr(a, 3);
        long gates = ptr(a, 4);
        long hiddenGrads = ptr(a, 5);
        long sIn = ptr(a, 6);
        long hPrev = ptr(a, 7);
        int hPrevStride = i32(a, 8);
        long h0 = ptr(a, 9);
        boolean reverse = i32(a, 10) != 0;
        long dh = ptr(a, 11);
        long dy = ptr(a, 12);
        int dyStride = i32(a, 13);
        requireStepGrid(batch, hidden);
        for (int b = 0; b < batch; b++) {
            long row = (long) b * 3 * hidden;
            if (!active(lengths, b, t)) {
                for (int q = 0; q < 3 * hidden; q++) {
                    put(gates, row + q, 0);
                    put(hiddenGrads, row + q, 0);
                }
                continue;
            }
            boolean first = reverse && lengths != 0 && t == device.getInt(lengths + 4L * b) - 1;
            for (int j = 0; j < hidden; j++) {
                long at = (long) b * hidden + j;
                double hp = first ? (h0 != 0 ? get(h0, at) : 0) : (hPrev != 0 ? get(hPrev, (long) b * hPrevStride + j) : 0);
                double r = get(gates, row + j);
                double z = get(gates, row + hidden + j);
                double n = get(gates, row + 2L * hidden + j);
                double d = get(dh, at) + (dy != 0 ? get(dy, (long) b * dyStride + j) : 0);
                double dN = d * (1 - z) * (1 - n * n);
                double dR = dN * get(sIn, at) * r * (1 - r);
                double dZ = d * (hp - n) * z * (1 - z);
                put(gates, row + j, dR);
                put(gates, row + hidden + j, dZ);
                put(gates, row + 2L * hidden + j, dN);
                put(hiddenGrads, row + j, dR);
                put(hiddenGrads, row + hidden + j, dZ);
                put(hiddenGrads, row + 2L * hidden + j, dN * r);
                put(dh, at, d * z);
            }
        }
    }

    private void peepholeGradient() {
        int seqLen = i32(a, 0);
        int batch = i32(a, 1);
        int hidden = i32(a, 2);
        boolean reverse = i32(a, 3) != 0;
        long dA = ptr(a, 4);
        long cells = ptr(a, 5);
        long c0 = ptr(a, 6);
        double clip = real(a, 7);
        long grad = ptr(a, 8);
        requireFlatGrid(3L * hidden);
        for (int q = 0; q < 3; q++) {
            int column = (q == 2 ? 3 : q) * hidden;
            for (int j = 0; j < hidden; j++) {
                double sum = 0;
                for (int t = 0; t < seqLen; t++) {
                    int before = reverse ? t + 1 : t - 1;
                    for (int b = 0; b < batch; b++) {
                        double c;
                        if (q == 2) {
                            c = get(cells, ((long) t * batch + b) * hidden + j);
                        } else if (before >= 0 && before < seqLen) {
                            c = get(cells, ((long) before * batch + b) * hidden + j);
                        } else {
                            c = c0 != 0 ? get(c0, (long) b * hidden + j) : 0;
                        }
                        sum += get(dA, ((long) t * batch + b) * 4 * hidden + column + j) * clamp(c, clip);
                    }
                }
                long at = (long) q * hidden + j;
                put(grad, at, get(grad, at) + sum);
            }
        }
    }

    private void swapLeading() {
        long rows = i64(a, 0);
        long cols = i64(a, 1);
        long width = i64(a, 2);
        long in = ptr(a, 3);
        long out = ptr(a, 4);
        requireFlatGrid(rows * cols * width);
        for (long i = 0; i < rows; i++) {
            for (long j = 0; j < cols; j++) {
                for (long k = 0; k < width; k++) {
                    put(out, (j * rows + i) * width + k, get(in, (i * cols + j) * width + k));
                }
            }
        }
    }

    private void transpose() {
        int rows = i32(a, 0);
        int cols = i32(a, 1);
        long in = ptr(a, 2);
        long out = ptr(a, 3);
        if ((long) launch.gridX() * 32 < cols || (long) launch.gridY() * 32 < rows || launch.blockX() != 256) {
            throw new IllegalStateException(launch.kernel() + ": grid does not tile [" + rows + ", " + cols + "]");
        }
        for (long r = 0; r < rows; r++) {
            for (long c = 0; c < cols; c++) {
                put(out, c * rows + r, get(in, r * cols + c));
            }
        }
    }

    private void gemmAccumulate() {
        int n = i32(a, 0);
        int k = i32(a, 1);
        long ma = ptr(a, 2);
        int lda = i32(a, 3);
        long mb = ptr(a, 4);
        int ldb = i32(a, 5);
        long mc = ptr(a, 6);
        int ldc = i32(a, 7);
        int m = launch.gridY();
        if ((long) launch.gridX() * 32 < n || launch.blockX() != 256) {
            throw new IllegalStateException(launch.kernel() + ": grid does not cover n = " + n);
        }
        for (long i = 0; i < m; i++) {
            for (long j = 0; j < n; j++) {
                double sum = 0;
                for (long p = 0; p < k; p++) {
                    sum += get(ma, i * lda + p) * get(mb, p * ldb + j);
                }
                put(mc, i * ldc + j, get(mc, i * ldc + j) + sum);
            }
        }
    }

    private void zeroPadding() {
        long seqLen = i64(a, 0);
        long batch = i64(a, 1);
        long width = i64(a, 2);
        long lengths = ptr(a, 3);
        long y = ptr(a, 4);
        requireFlatGrid(seqLen * batch * width);
        for (long t = 0; t < seqLen; t++) {
            for (int b = 0; b < batch; b++) {
                if (!active(lengths, b, (int) t)) {
                    for (long k = 0; k < width; k++) {
                        put(y, (t * batch + b) * width + k, 0);
                    }
                }
            }
        }
    }

    private void gatherLast() {
        long batch = i64(a, 0);
        long width = i64(a, 1);
        long lengths = ptr(a, 2);
        long src = ptr(a, 3);
        long dst = ptr(a, 4);
        requireFlatGrid(batch * width);
        for (int b = 0; b < batch; b++) {
            long last = device.getInt(lengths + 4L * b) - 1;
            for (long k = 0; k < width; k++) {
                put(dst, b * width + k, get(src, (last * batch + b) * width + k));
            }
        }
    }

    private static double clamp(double c, double clip) {
        return clip > 0 ? Math.max(-clip, Math.min(clip, c)) : c;
    }

    private void dropout() {
        long n = i64(a, 0);
        long seedWords = ptr(a, 1);
        int layer = i32(a, 2);
        double p = real(a, 3);
        double scale = real(a, 4);
        long in = ptr(a, 5);
        long out = ptr(a, 6);
        requireFlatGrid(n);
        long seed = (Integer.toUnsignedLong(device.getInt(seedWords + 4)) << 32)
                | Integer.toUnsignedLong(device.getInt(seedWords));
        for (long e = 0; e < n; e++) {
            put(out, e, dev.lstm4j.api.DropoutMask.keeps(seed, layer, e, p) ? get(in, e) * scale : 0);
        }
    }

    /** What an element-wise kernel does to element {@code i} of its arrays. */
    private interface ElementOp {
        void apply(int i, double[][] arrays);
    }

    /** Runs {@code op} over the n = arg 0 elements of the pointer arguments at {@code pointerArgs}, written back. */
    private void elementwise(ElementOp op, int... pointerArgs) {
        long n = i64(a, 0);
        requireFlatGrid(n);
        double[][] arrays = new double[pointerArgs.length][(int) n];
        for (int k = 0; k < pointerArgs.length; k++) {
            for (int i = 0; i < n; i++) {
                arrays[k][i] = get(ptr(a, pointerArgs[k]), i);
            }
        }
        for (int i = 0; i < n; i++) {
            op.apply(i, arrays);
        }
        for (int k = 0; k < pointerArgs.length; k++) {
            for (int i = 0; i < n; i++) {
                put(ptr(a, pointerArgs[k]), i, arrays[k][i]);
            }
        }
    }

    private void gatherRows() {
        long rows = i64(a, 0);
        long width = i64(a, 1);
        long index = ptr(a, 2);
        long src = ptr(a, 3);
        long dst = ptr(a, 4);
        requireFlatGrid(rows * width);
        for (long i = 0; i < rows; i++) {
            long from = device.getInt(index + 4L * i);
            for (long k = 0; k < width; k++) {
                put(dst, i * width + k, get(src, from * width + k));
            }
        }
    }

    private void segmentAddRows() {
        long segments = i64(a, 0);
        long width = i64(a, 1);
        long starts = ptr(a, 2);
        long dest = ptr(a, 3);
        long order = ptr(a, 4);
        long src = ptr(a, 5);
        long dst = ptr(a, 6);
        requireFlatGrid(segments * width);
        for (long s = 0; s < segments; s++) {
            long row = device.getInt(dest + 4L * s);
            for (long k = 0; k < width; k++) {
                double sum = get(dst, row * width + k);
                for (int j = device.getInt(starts + 4L * s); j < device.getInt(starts + 4L * (s + 1)); j++) {
                    sum = round(sum + get(src, (long) device.getInt(order + 4L * j) * width + k));
                }
                put(dst, row * width + k, sum);
            }
        }
    }

    /** {@code v} rounded to the launch's dtype, as each addition in R is on the device. */
    private double round(double v) {
        return dtype == DType.FLOAT32 ? (float) v : v;
    }

    private void softmaxXent() {
        long rows = i64(a, 0);
        int cols = i32(a, 1);
        long targets = ptr(a, 2);
        long logits = ptr(a, 3);
        long grad = ptr(a, 4);
        long rowLoss = ptr(a, 5);
        double scale = real(a, 6);
        requireFlatGrid(rows);
        for (long r = 0; r < rows; r++) {
            int t = device.getInt(targets + 4L * r);
            if (t < 0) {
                for (int k = 0; k < cols; k++) {
                    put(grad, r * cols + k, 0);
                }
                device.put(DType.FLOAT64, rowLoss + 8L * r, 0);
                continue;
            }
            double max = Double.NEGATIVE_INFINITY;
            for (int k = 0; k < cols; k++) {
                max = Math.max(max, get(logits, r * cols + k));
            }
            double sum = 0;
            for (int k = 0; k < cols; k++) {
                sum += Math.exp(get(logits, r * cols + k) - max);
            }
            device.put(DType.FLOAT64, rowLoss + 8L * r, Math.log(sum) + max - get(logits, r * cols + t));
            for (int k = 0; k < cols; k++) {
                put(grad, r * cols + k, (Math.exp(get(logits, r * cols + k) - max) / sum - (k == t ? 1 : 0)) * scale);
            }
        }
    }

    private void sumSquares() {
        long n = i64(a, 0);
        long x = ptr(a, 1);
        long partial = ptr(a, 2);
        int threads = i32(a, 3);
        requireFlatGrid(threads);
        for (int tid = 0; tid < threads; tid++) {
            double sum = 0;
            for (long i = tid; i < n; i += threads) {
                double v = get(x, i);
                sum += v * v;
            }
            device.put(DType.FLOAT64, partial + 8L * tid, sum);
        }
    }

    private void adam() {
        dev.lstm4j.api.AdamUpdate u = new dev.lstm4j.api.AdamUpdate(real(a, 5), real(a, 6), real(a, 7), real(a, 8),
                real(a, 9), i32(a, 10) != 0, 1);
        double c1 = real(a, 11);
        double c2 = real(a, 12);
        elementwise((i, v) -> {
            double grad = v[1][i];
            if (u.decoupled()) {
                v[0][i] *= 1 - u.lr() * u.weightDecay();
            } else {
                grad += u.weightDecay() * v[0][i];
            }
            v[2][i] = u.beta1() * v[2][i] + (1 - u.beta1()) * grad;
            v[3][i] = u.beta2() * v[3][i] + (1 - u.beta2()) * grad * grad;
            v[0][i] -= u.lr() * (v[2][i] / c1) / (Math.sqrt(v[3][i] / c2) + u.eps());
        }, 1, 2, 3, 4);
    }

    private void sgd() {
        dev.lstm4j.api.SgdUpdate u = new dev.lstm4j.api.SgdUpdate(real(a, 4), real(a, 5), real(a, 6), i32(a, 7) != 0);
        elementwise((i, v) -> {
            double grad = v[1][i] + u.weightDecay() * v[0][i];
            v[2][i] = u.momentum() * v[2][i] + grad;
            v[0][i] -= u.lr() * (u.nesterov() ? grad + u.momentum() * v[2][i] : v[2][i]);
        }, 1, 2, 3);
    }

    private void fill() {
        long n = i64(a, 0);
        double value = real(a, 1);
        long out = ptr(a, 2);
        requireFlatGrid(n);
        for (long e = 0; e < n; e++) {
            put(out, e, value);
        }
    }
}
