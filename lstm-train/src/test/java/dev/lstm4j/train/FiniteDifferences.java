package dev.lstm4j.train;

import dev.lstm4j.api.Tensor;

import java.util.function.DoubleSupplier;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** Central differences of a scalar loss against elements of a FLOAT64 tensor. */
final class FiniteDifferences {
    private static final double STEP = 1e-6;

    private FiniteDifferences() {
    }

    /** Checks {@code analytic[k]} against the numerical gradient of {@code loss} for every {@code stride}-th element. */
    static void check(String what, Tensor value, double[] analytic, int stride, DoubleSupplier loss) {
        double[] one = new double[1];
        int checked = 0;
        for (int k = 0; k < value.size(); k += stride) {
            value.copyTo(k, one, 0, 1);
            double original = one[0];
            double plus = at(value, k, original + STEP, loss);
            double minus = at(value, k, original - STEP, loss);
            at(value, k, original, () -> 0);
            double numeric = (plus - minus) / (2 * STEP);
            assertEquals(numeric, analytic[k], 1e-6 + 1e-5 * Math.abs(numeric), what + "[" + k + "]");
            checked++;
        }
        assertEquals(true, checked > 0, what + ": no element checked");
    }

    private static double at(Tensor value, int k, double v, DoubleSupplier loss) {
        value.copyFrom(k, new double[] {v}, 0, 1);
        return loss.getAsDouble();
    }
}
