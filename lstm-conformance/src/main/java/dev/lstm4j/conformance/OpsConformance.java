package dev.lstm4j.conformance;

import dev.lstm4j.api.AdamUpdate;
import dev.lstm4j.api.DType;
import dev.lstm4j.api.SgdUpdate;
import dev.lstm4j.api.Tensor;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import static dev.lstm4j.conformance.Checks.assertThrowsMentioning;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/**
 * The backend's element-wise and optimizer operations for training against the formulas of PyTorch's
 * {@code torch.optim} written out here once more, in fp64: {@code axpy}, {@code scale}, {@code sumOfSquares},
 * Adam, AdamW and SGD with momentum, plain and Nesterov. Sizes are odd and large enough to cross any block of a
 * GPU kernel; optimizers run several steps, so that the moments and bias corrections are exercised.
 */
public abstract class OpsConformance extends ConformanceSuite {
    private static final int[] SIZES = {1, 37, 70_001};

    private double tolerance(DType dtype) {
        return dtype == DType.FLOAT64 ? 1e-13 : 2e-6;
    }

    private Tensor tensor(DType dtype, double[] values) {
        return backend().tensor(dtype, HostArrays.representable(values, dtype), values.length);
    }

    private void assertClose(String what, double[] expected, Tensor actual, DType dtype) {
        Checks.assertClose(what, expected, actual, new Tolerance(tolerance(dtype), tolerance(dtype)));
    }

    @ParameterizedTest
    @EnumSource(DType.class)
    void axpyScaleAndSumOfSquaresMatch(DType dtype) {
        assumeSupported(dtype);
        for (int n : SIZES) {
            double[] x = HostArrays.representable(HostArrays.uniform(n, 1), dtype);
            double[] y = HostArrays.representable(HostArrays.uniform(n, 2), dtype);
            try (Tensor tx = tensor(dtype, x); Tensor ty = tensor(dtype, y)) {
                backend().axpy(-0.75, tx, ty);
                double[] expected = new double[n];
                double squares = 0;
                for (int i = 0; i < n; i++) {
                    expected[i] = y[i] - 0.75 * x[i];
                    squares += x[i] * x[i];
                }
                assertClose("axpy, n = " + n, expected, ty, dtype);
                assertEquals(squares, backend().sumOfSquares(tx), tolerance(dtype) * Math.max(1, squares) * 10,
                        "sumOfSquares, n = " + n);
                backend().scale(2.5, tx);
                for (int i = 0; i < n; i++) {
                    expected[i] = 2.5 * x[i];
                }
                assertClose("scale, n = " + n, expected, tx, dtype);
            }
        }
    }

    /** The first Adam step worked by hand: m = 0.05, v = 0.00025, so p moves by lr * 0.5 / (0.5 + eps). */
    @Test
    void adamFirstStepByHand() {
        DType dtype = anySupportedDType();
        try (Tensor p = tensor(dtype, new double[] {1.0}); Tensor g = tensor(dtype, new double[] {0.5});
             Tensor m = backend().allocate(dtype, 1); Tensor v = backend().allocate(dtype, 1)) {
            backend().adam(p, g, m, v, AdamUpdate.of(0.1, 1));
            assertEquals(1.0 - 0.1 * 0.5 / (0.5 + 1e-8), p.toDoubleArray()[0], tolerance(dtype));
            assertEquals(0.05, m.toDoubleArray()[0], tolerance(dtype));
            assertEquals(0.00025, v.toDoubleArray()[0], tolerance(dtype));
        }
    }

    @ParameterizedTest
    @EnumSource(DType.class)
    void adamAndAdamWMatchTheirFormulasOverSeveralSteps(DType dtype) {
        assumeSupported(dtype);
        for (boolean decoupled : new boolean[] {false, true}) {
            for (int n : SIZES) {
                double[] p = HostArrays.representable(HostArrays.uniform(n, 3), dtype);
                double[] m = new double[n];
                double[] v = new double[n];
                try (Tensor tp = tensor(dtype, p); Tensor tg = backend().allocate(dtype, n);
                     Tensor tm = backend().allocate(dtype, n); Tensor tv = backend().allocate(dtype, n)) {
                    for (int step = 1; step <= 3; step++) {
                        double[] g = HostArrays.representable(HostArrays.uniform(n, 10 + step), dtype);
                        tg.copyFrom(g);
                        AdamUpdate u = new AdamUpdate(0.01, 0.8, 0.95, 1e-6, 0.1, decoupled, step);
                        backend().adam(tp, tg, tm, tv, u);
                        for (int i = 0; i < n; i++) {
                            double grad = decoupled ? g[i] : g[i] + 0.1 * p[i];
                            if (decoupled) {
                                p[i] = p[i] * (1 - 0.01 * 0.1);
                            }
                            m[i] = 0.8 * m[i] + 0.2 * grad;
                            v[i] = 0.95 * v[i] + 0.05 * grad * grad;
                            double mHat = m[i] / (1 - Math.pow(0.8, step));
                            double vHat = v[i] / (1 - Math.pow(0.95, step));
                            p[i] = p[i] - 0.01 * mHat / (Math.sqrt(vHat) + 1e-6);
                        }
                        String what = (decoupled ? "AdamW" : "Adam") + " step " + step + ", n = " + n;
                        assertClose(what + " param", p, tp, dtype);
                        assertClose(what + " m", m, tm, dtype);
                        assertClose(what + " v", v, tv, dtype);
                    }
                }
            }
        }
    }

    @ParameterizedTest
    @EnumSource(DType.class)
    void sgdWithMomentumPlainAndNesterovMatchTheFormulaOverSeveralSteps(DType dtype) {
        assumeSupported(dtype);
        for (boolean nesterov : new boolean[] {false, true}) {
            for (int n : SIZES) {
                double[] p = HostArrays.representable(HostArrays.uniform(n, 4), dtype);
                double[] b = new double[n];
                try (Tensor tp = tensor(dtype, p); Tensor tg = backend().allocate(dtype, n);
                     Tensor tb = backend().allocate(dtype, n)) {
                    for (int step = 1; step <= 3; step++) {
                        double[] g = HostArrays.representable(HostArrays.uniform(n, 20 + step), dtype);
                        tg.copyFrom(g);
                        backend().sgd(tp, tg, tb, new SgdUpdate(0.05, 0.9, 0.01, nesterov));
                        for (int i = 0; i < n; i++) {
                            double grad = g[i] + 0.01 * p[i];
                            b[i] = 0.9 * b[i] + grad;
                            p[i] -= 0.05 * (nesterov ? grad + 0.9 * b[i] : b[i]);
                        }
                        String what = (nesterov ? "Nesterov " : "") + "SGD step " + step + ", n = " + n;
                        assertClose(what + " param", p, tp, dtype);
                        assertClose(what + " momentum", b, tb, dtype);
                    }
                }
            }
        }
    }

    private Tensor matrix(DType dtype, double[] values, long rows, long cols) {
        return backend().tensor(dtype, HostArrays.representable(values, dtype), rows, cols);
    }

    @ParameterizedTest
    @EnumSource(DType.class)
    void biasAddAndColumnSumsMatch(DType dtype) {
        assumeSupported(dtype);
        int n = 37;
        int k = 13;
        double[] m = HostArrays.representable(HostArrays.uniform(n * k, 31), dtype);
        double[] bias = HostArrays.representable(HostArrays.uniform(k, 32), dtype);
        double[] out = HostArrays.representable(HostArrays.uniform(k, 33), dtype);
        try (Tensor tm = matrix(dtype, m, n, k); Tensor tb = tensor(dtype, bias); Tensor to = tensor(dtype, out)) {
            backend().sumRows(tm, to, 0.5);
            double[] sums = new double[k];
            for (int c = 0; c < k; c++) {
                sums[c] = 0.5 * out[c];
                for (int r = 0; r < n; r++) {
                    sums[c] += m[r * k + c];
                }
            }
            assertClose("sumRows", sums, to, dtype);
            backend().addRowVector(tm, tb);
            double[] added = new double[n * k];
            for (int e = 0; e < n * k; e++) {
                added[e] = m[e] + bias[e % k];
            }
            assertClose("addRowVector", added, tm, dtype);
        }
    }

    /** Gather and scatter-add of rows, an index repeated (an embedding's token seen twice). */
    @ParameterizedTest
    @EnumSource(DType.class)
    void gatherAndScatterAddRowsMatch(DType dtype) {
        assumeSupported(dtype);
        int rows = 11;
        int k = 7;
        int[] index = {3, 0, 3, 10, 5, 3};
        double[] table = HostArrays.representable(HostArrays.uniform(rows * k, 34), dtype);
        double[] grads = HostArrays.representable(HostArrays.uniform(index.length * k, 35), dtype);
        try (Tensor tt = matrix(dtype, table, rows, k); Tensor picked = backend().allocate(dtype, index.length, k);
             Tensor tg = matrix(dtype, grads, index.length, k)) {
            backend().gatherRows(tt, index, picked);
            double[] expected = new double[index.length * k];
            for (int i = 0; i < index.length; i++) {
                System.arraycopy(table, index[i] * k, expected, i * k, k);
            }
            assertClose("gatherRows", expected, picked, dtype);
            backend().scatterAddRows(tg, index, tt);
            double[] sum = table.clone();
            for (int i = 0; i < index.length; i++) {
                for (int c = 0; c < k; c++) {
                    sum[index[i] * k + c] += grads[i * k + c];
                }
            }
            assertClose("scatterAddRows", sum, tt, dtype);
        }
    }

    @ParameterizedTest
    @EnumSource(DType.class)
    void mseLossAndItsGradientMatch(DType dtype) {
        assumeSupported(dtype);
        int n = 37;
        double[] pred = HostArrays.representable(HostArrays.uniform(n, 36), dtype);
        double[] target = HostArrays.representable(HostArrays.uniform(n, 37), dtype);
        try (Tensor tp = tensor(dtype, pred); Tensor tt = tensor(dtype, target); Tensor td = backend().allocate(dtype, n)) {
            double loss = backend().mseLoss(tp, tt, td);
            double sum = 0;
            double[] grad = new double[n];
            for (int i = 0; i < n; i++) {
                sum += (pred[i] - target[i]) * (pred[i] - target[i]);
                grad[i] = 2 * (pred[i] - target[i]) / n;
            }
            assertEquals(sum / n, loss, tolerance(dtype) * 10);
            assertClose("dPred", grad, td, dtype);
        }
    }

    /** Softmax cross-entropy with masked rows: loss by log-sum-exp, gradient checked by central differences. */
    @ParameterizedTest
    @EnumSource(DType.class)
    void softmaxCrossEntropyMatchesAndMasksPadding(DType dtype) {
        assumeSupported(dtype);
        int n = 9;
        int k = 5;
        int[] targets = {0, 4, -1, 2, 2, -1, 1, 3, 0};
        double[] logits = HostArrays.representable(HostArrays.uniform(n * k, 38), dtype);
        for (int e = 0; e < logits.length; e++) {
            logits[e] = HostArrays.representable(new double[] {logits[e] * 4}, dtype)[0];
        }
        try (Tensor tl = matrix(dtype, logits, n, k); Tensor td = backend().allocate(dtype, n, k)) {
            double loss = backend().softmaxCrossEntropy(tl, targets, td);
            assertEquals(crossEntropy(logits, targets, n, k), loss, tolerance(dtype) * 10);
            double[] grad = td.toDoubleArray();
            double h = 1e-6;
            for (int e = 0; e < n * k; e++) {
                double[] up = logits.clone();
                double[] down = logits.clone();
                up[e] += h;
                down[e] -= h;
                double numeric = (crossEntropy(up, targets, n, k) - crossEntropy(down, targets, n, k)) / (2 * h);
                assertEquals(numeric, grad[e], dtype == DType.FLOAT64 ? 1e-8 : 1e-6, "dLogits[" + e + "]");
            }
            int[] none = new int[n];
            java.util.Arrays.fill(none, -1);
            assertEquals(0.0, backend().softmaxCrossEntropy(tl, none, td), 0.0, "every row masked");
            assertEquals(0.0, backend().sumOfSquares(td), 0.0, "no gradient when every row is masked");
        }
    }

    /**
     * Sizes that backends may process in blocks (tens of thousands of elements), with a trailing run of masked
     * rows long enough to fill a whole block: the losses, their gradients and the row sums must not depend on
     * how the work is cut.
     */
    @ParameterizedTest
    @EnumSource(DType.class)
    void lossesAndRowSumsOverManyBlocksMatch(DType dtype) {
        assumeSupported(dtype);
        int n = 900;
        int k = 40;
        int[] targets = new int[n];
        for (int r = 0; r < n; r++) {
            targets[r] = r >= 450 ? -1 : r % 7 == 3 ? -1 : (r * 13) % k;
        }
        double[] logits = HostArrays.representable(HostArrays.uniform(n * k, 40), dtype);
        double[] target = HostArrays.representable(HostArrays.uniform(n * k, 41), dtype);
        try (Tensor tl = matrix(dtype, logits, n, k); Tensor tt = matrix(dtype, target, n, k);
             Tensor td = backend().allocate(dtype, n, k); Tensor sums = backend().allocate(dtype, k)) {
            double loss = backend().softmaxCrossEntropy(tl, targets, td);
            assertEquals(crossEntropy(logits, targets, n, k), loss, tolerance(dtype) * 10);
            int count = 0;
            for (int t : targets) {
                count += t >= 0 ? 1 : 0;
            }
            double[] grad = new double[n * k];
            for (int r = 0; r < n; r++) {
                if (targets[r] < 0) {
                    continue;
                }
                double z = 0;
                for (int c = 0; c < k; c++) {
                    z += Math.exp(logits[r * k + c]);
                }
                for (int c = 0; c < k; c++) {
                    grad[r * k + c] = (Math.exp(logits[r * k + c]) / z - (c == targets[r] ? 1 : 0)) / count;
                }
            }
            assertClose("dLogits", grad, td, dtype);

            double mse = backend().mseLoss(tl, tt, td);
            double sum = 0;
            for (int e = 0; e < n * k; e++) {
                sum += (logits[e] - target[e]) * (logits[e] - target[e]);
                grad[e] = 2 * (logits[e] - target[e]) / (n * k);
            }
            assertEquals(sum / (n * k), mse, tolerance(dtype) * 10);
            assertClose("dPred", grad, td, dtype);

            backend().sumRows(tl, sums, 0);
            double[] columns = new double[k];
            for (int e = 0; e < n * k; e++) {
                columns[e % k] += logits[e];
            }
            assertClose("sumRows", columns, sums, dtype);
        }
    }

    /** The mean over unmasked rows of -log softmax(row)[target], from the definition. */
    private static double crossEntropy(double[] logits, int[] targets, int n, int k) {
        double sum = 0;
        int count = 0;
        for (int r = 0; r < n; r++) {
            if (targets[r] < 0) {
                continue;
            }
            double z = 0;
            for (int c = 0; c < k; c++) {
                z += Math.exp(logits[r * k + c]);
            }
            sum += -Math.log(Math.exp(logits[r * k + targets[r]]) / z);
            count++;
        }
        return sum / count;
    }

    @Test
    void rowIndicesOutOfRangeAreRejected() {
        DType dtype = anySupportedDType();
        try (Tensor table = backend().allocate(dtype, 4, 3); Tensor out = backend().allocate(dtype, 2, 3);
             Tensor logits = backend().allocate(dtype, 2, 3)) {
            assertThrowsMentioning(IndexOutOfBoundsException.class,
                    () -> backend().gatherRows(table, new int[] {1, 4}, out), "4", "[0, 4)");
            assertThrowsMentioning(IndexOutOfBoundsException.class,
                    () -> backend().scatterAddRows(out, new int[] {-1, 0}, table), "-1");
            assertThrowsMentioning(IndexOutOfBoundsException.class,
                    () -> backend().softmaxCrossEntropy(logits, new int[] {0, 3}, out), "3");
            assertThrowsMentioning(IllegalArgumentException.class,
                    () -> backend().softmaxCrossEntropy(logits, new int[] {0}, out), "one target per row");
        }
    }

    @Test
    void mismatchedOrAliasedOrClosedTensorsAreRejected() {
        DType dtype = anySupportedDType();
        try (Tensor a = backend().allocate(dtype, 4); Tensor b = backend().allocate(dtype, 5);
             Tensor c = backend().allocate(dtype, 4)) {
            assertThrowsMentioning(IllegalArgumentException.class, () -> backend().axpy(1, a, b), "[4]", "[5]");
            assertThrowsMentioning(IllegalArgumentException.class,
                    () -> backend().adam(a, c, c, a, AdamUpdate.of(0.1, 1)), "different tensors");
            assertThrowsMentioning(IllegalArgumentException.class, () -> backend().scale(Double.NaN, a), "alpha");
            Tensor closed = backend().allocate(dtype, 4);
            closed.close();
            assertThrows(IllegalStateException.class, () -> backend().sumOfSquares(closed));
            assertThrows(IllegalStateException.class, () -> backend().axpy(1, closed, a));
        }
        assertThrows(IllegalArgumentException.class, () -> new AdamUpdate(0.1, 1.0, 0.999, 1e-8, 0, false, 1));
        assertThrows(IllegalArgumentException.class, () -> new AdamUpdate(0.1, 0.9, 0.999, 1e-8, 0, false, 0));
        assertThrows(IllegalArgumentException.class, () -> new SgdUpdate(0.1, 0, 0, true));
    }
}
