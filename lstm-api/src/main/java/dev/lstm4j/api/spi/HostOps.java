package dev.lstm4j.api.spi;

import dev.lstm4j.api.AdamUpdate;
import dev.lstm4j.api.SgdUpdate;

/**
 * The element-wise and optimizer arithmetic on host arrays, in double: what {@link dev.lstm4j.api.Backend}'s
 * default methods run (through host copies), and what backends that compute on the host apply chunk by chunk.
 */
public final class HostOps {
    private HostOps() {
    }

    /** {@code y[i] += alpha * x[i]}. */
    public static void axpy(double alpha, double[] x, double[] y, int n) {
        for (int i = 0; i < n; i++) {
            y[i] += alpha * x[i];
        }
    }

    /** {@code x[i] *= alpha}. */
    public static void scale(double alpha, double[] x, int n) {
        for (int i = 0; i < n; i++) {
            x[i] *= alpha;
        }
    }

    /** {@code sum x[i]²}. */
    public static double sumOfSquares(double[] x, int n) {
        double sum = 0;
        for (int i = 0; i < n; i++) {
            sum += x[i] * x[i];
        }
        return sum;
    }

    /** One Adam/AdamW step on {@code n} elements (see {@link AdamUpdate}). */
    public static void adam(double[] p, double[] g, double[] m, double[] v, int n, AdamUpdate u) {
        double c1 = u.biasCorrection1();
        double c2 = u.biasCorrection2();
        for (int i = 0; i < n; i++) {
            double grad = g[i];
            if (u.decoupled()) {
                p[i] *= 1 - u.lr() * u.weightDecay();
            } else {
                grad += u.weightDecay() * p[i];
            }
            m[i] = u.beta1() * m[i] + (1 - u.beta1()) * grad;
            v[i] = u.beta2() * v[i] + (1 - u.beta2()) * grad * grad;
            p[i] -= u.lr() * (m[i] / c1) / (Math.sqrt(v[i] / c2) + u.eps());
        }
    }

    /** One SGD step on {@code n} elements (see {@link SgdUpdate}). */
    public static void sgd(double[] p, double[] g, double[] b, int n, SgdUpdate u) {
        for (int i = 0; i < n; i++) {
            double grad = g[i] + u.weightDecay() * p[i];
            b[i] = u.momentum() * b[i] + grad;
            p[i] -= u.lr() * (u.nesterov() ? grad + u.momentum() * b[i] : b[i]);
        }
    }
}
