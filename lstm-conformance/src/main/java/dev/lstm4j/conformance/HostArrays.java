package dev.lstm4j.conformance;

import dev.lstm4j.api.DType;

import java.util.SplittableRandom;

/** Plain {@code double[]} helpers shared by the reference and the suites: random data, layouts, slices. */
public final class HostArrays {
    private HostArrays() {
    }

    /** {@code n} values drawn uniformly from {@code [-1, 1)}, reproducibly from {@code seed}. */
    public static double[] uniform(int n, long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        double[] a = new double[n];
        for (int k = 0; k < n; k++) {
            a[k] = random.nextDouble(-1.0, 1.0);
        }
        return a;
    }

    /**
     * The values {@code dtype} can hold: FLOAT32 rounds every element to the nearest float, so that the
     * fp64 reference computes on exactly the numbers a FLOAT32 backend sees.
     */
    public static double[] representable(double[] a, DType dtype) {
        double[] out = a.clone();
        if (dtype == DType.FLOAT32) {
            for (int k = 0; k < out.length; k++) {
                out[k] = (float) out[k];
            }
        }
        return out;
    }

    /** Swaps the first two axes of a row-major {@code [d0, d1, d2]} array: {@code [T, B, F] <-> [B, T, F]}. */
    public static double[] swapFirstTwoAxes(double[] a, int d0, int d1, int d2) {
        double[] out = new double[a.length];
        for (int i = 0; i < d0; i++) {
            for (int j = 0; j < d1; j++) {
                System.arraycopy(a, (i * d1 + j) * d2, out, (j * d0 + i) * d2, d2);
            }
        }
        return out;
    }

    /** Steps {@code [from, to)} of a time-major {@code [T, B, F]} array: {@code [to - from, B, F]}. */
    public static double[] timeSlice(double[] a, int batch, int features, int from, int to) {
        double[] out = new double[(to - from) * batch * features];
        System.arraycopy(a, from * batch * features, out, 0, out.length);
        return out;
    }

    /** Time-major {@code [T1, B, F]} followed by {@code [T2, B, F]}: {@code [T1 + T2, B, F]}. */
    public static double[] concatTime(double[] first, double[] second) {
        double[] out = new double[first.length + second.length];
        System.arraycopy(first, 0, out, 0, first.length);
        System.arraycopy(second, 0, out, first.length, second.length);
        return out;
    }

    /**
     * Sequence {@code b}'s first {@code steps} steps of a time-major {@code [T, B, F]} array, as a batch of one:
     * {@code [steps, 1, F]}.
     */
    public static double[] sequence(double[] a, int batch, int features, int b, int steps) {
        double[] out = new double[steps * features];
        for (int t = 0; t < steps; t++) {
            System.arraycopy(a, (t * batch + b) * features, out, t * features, features);
        }
        return out;
    }

    /** Column {@code b} of a {@code [N, B, F]} array (a state or a time-major sequence): {@code [N, 1, F]}. */
    public static double[] batchColumn(double[] a, int n, int batch, int features, int b) {
        return sequence(a, batch, features, b, n);
    }

    /** Element-wise sum; {@code a} and {@code b} must have the same length. */
    public static double[] add(double[] a, double[] b) {
        if (a.length != b.length) {
            throw new IllegalArgumentException("lengths differ: " + a.length + " and " + b.length);
        }
        double[] out = new double[a.length];
        for (int k = 0; k < a.length; k++) {
            out[k] = a[k] + b[k];
        }
        return out;
    }

    /** {@code sum(a[k] * b[k])}; a null {@code a} or {@code b} counts as zeros. */
    public static double dot(double[] a, double[] b) {
        if (a == null || b == null) {
            return 0.0;
        }
        if (a.length != b.length) {
            throw new IllegalArgumentException("lengths differ: " + a.length + " and " + b.length);
        }
        double s = 0.0;
        for (int k = 0; k < a.length; k++) {
            s += a[k] * b[k];
        }
        return s;
    }

    /** Largest absolute value, 0 for an empty array. */
    public static double maxAbs(double[] a) {
        double m = 0.0;
        for (double v : a) {
            m = Math.max(m, Math.abs(v));
        }
        return m;
    }
}
