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
