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
        // the update's fields as locals and the weight-decay choice outside the loop, so that the JIT can
        // vectorize the loop; the arithmetic is the same expression for every element either way
        double c1 = u.biasCorrection1();
        double c2 = u.biasCorrection2();
        double lr = u.lr();
        double beta1 = u.beta1();
        double beta2 = u.beta2();
        double eps = u.eps();
        double decay = u.weightDecay();
        if (u.decoupled()) {
            double shrink = 1 - lr * decay;
            for (int i = 0; i < n; i++) {
                p[i] *= shrink;
            }
            decay = 0;
        }
        for (int i = 0; i < n; i++) {
            double grad = g[i] + decay * p[i];
            m[i] = beta1 * m[i] + (1 - beta1) * grad;
            v[i] = beta2 * v[i] + (1 - beta2) * grad * grad;
            p[i] -= lr * (m[i] / c1) / (Math.sqrt(v[i] / c2) + eps);
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

    /** {@code m[r, k] += vec[k]} for an {@code [rows, cols]} row-major {@code m}. */
    public static void addRowVector(double[] m, double[] vec, int rows, int cols) {
        for (int r = 0; r < rows; r++) {
            for (int k = 0; k < cols; k++) {
                m[r * cols + k] += vec[k];
            }
        }
    }

    /** {@code out[k] = beta * out[k] + sum_r m[r, k]}. */
    public static void sumRows(double[] m, double[] out, int rows, int cols, double beta) {
        for (int k = 0; k < cols; k++) {
            out[k] = beta == 0 ? 0 : beta * out[k];
        }
        for (int r = 0; r < rows; r++) {
            for (int k = 0; k < cols; k++) {
                out[k] += m[r * cols + k];
            }
        }
    }

    /** Mean squared error over {@code n} elements; {@code dPred = 2 (pred - target) / n}. */
    public static double mse(double[] pred, double[] target, double[] dPred, int n) {
        double sum = 0;
        for (int i = 0; i < n; i++) {
            double d = pred[i] - target[i];
            sum += d * d;
            dPred[i] = 2 * d / n;
        }
        return sum / n;
    }

    /**
     * Softmax cross-entropy, the mean over rows whose target is not negative (negative = padding, masked out), of
     * {@code -log softmax(logits[r])[target[r]]}; {@code dLogits[r] = (softmax - onehot) / count}, zero on masked
     * rows. Returns 0 (and zero gradients) when every row is masked.
     */
    public static double softmaxCrossEntropy(double[] logits, int[] targets, double[] dLogits, int rows, int cols) {
        int count = unmasked(targets, 0, rows);
        double sum = softmaxCrossEntropyRows(logits, targets, 0, dLogits, rows, cols, count);
        return count == 0 ? 0 : sum / count;
    }

    /** How many of {@code targets[from, from + rows)} are not negative. */
    public static int unmasked(int[] targets, int from, int rows) {
        int count = 0;
        for (int r = from; r < from + rows; r++) {
            count += targets[r] >= 0 ? 1 : 0;
        }
        return count;
    }

    /**
     * The rows of {@link #softmaxCrossEntropy} for a block of {@code rows} rows whose targets start at
     * {@code targets[from]}, with the gradient divided by {@code count}, the unmasked rows of the whole batch
     * (0: every row is masked, all gradients zero). Returns the block's loss summed over its rows, so that a
     * caller working block by block adds the sums and divides once.
     */
    public static double softmaxCrossEntropyRows(double[] logits, int[] targets, int from, double[] dLogits,
                                                 int rows, int cols, int count) {
        double loss = 0;
        for (int r = 0; r < rows; r++) {
            int base = r * cols;
            int target = targets[from + r];
            if (target < 0 || count == 0) {
                java.util.Arrays.fill(dLogits, base, base + cols, 0.0);
                continue;
            }
            double max = Double.NEGATIVE_INFINITY;
            for (int k = 0; k < cols; k++) {
                max = Math.max(max, logits[base + k]);
            }
            // one exp per element: the shifted exponentials wait in dLogits until their sum is known
            double sum = 0;
            for (int k = 0; k < cols; k++) {
                double e = Math.exp(logits[base + k] - max);
                dLogits[base + k] = e;
                sum += e;
            }
            loss += Math.log(sum) + max - logits[base + target];
            double perRow = 1.0 / (sum * count);
            for (int k = 0; k < cols; k++) {
                dLogits[base + k] *= perRow;
            }
            dLogits[base + target] -= 1.0 / count;
        }
        return loss;
    }
}
