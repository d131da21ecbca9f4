package dev.lstm4j.api;

import dev.lstm4j.api.spi.HostOps;
import dev.lstm4j.api.spi.OpsCheck;

import java.util.Map;
import java.util.Set;

/**
 * A compute engine (CPU through OpenBLAS, CUDA, ...) that owns tensors and runs recurrent stacks.
 *
 * <p>Obtain one through {@link Backends#select()}. Every tensor a backend returns is owned by the caller,
 * who closes it. {@link #liveBytes()} counts this instance's native memory still allocated, which is how
 * tests prove that nothing leaks.
 */
public interface Backend extends AutoCloseable {

    /** Short name used for selection, e.g. {@code cpu}. */
    String name();

    /** One line for diagnostics: BLAS vendor, threads, device. */
    String description();

    /** The dtypes this backend computes in. */
    Set<DType> supportedDTypes();

    /** A new zero-filled tensor. */
    Tensor allocate(DType dtype, long... shape);

    /**
     * A new tensor whose contents are unspecified (zeros, or whatever the memory held before), as PyTorch's
     * {@code torch.empty}: for a result that an operation overwrites whole, such as the output of a
     * {@link #gemm} with {@code beta = 0}, of {@link #gatherRows} or a loss's gradient, where zeroing first
     * would cost a pass over memory for nothing. The default is {@link #allocate}.
     */
    default Tensor empty(DType dtype, long... shape) {
        return allocate(dtype, shape);
    }

    /** A new FLOAT32 tensor holding {@code data}, whose length must equal the shape's size. */
    default Tensor tensor(float[] data, long... shape) {
        return tensor(DType.FLOAT32, data, shape);
    }

    /** A new FLOAT64 tensor holding {@code data}, whose length must equal the shape's size. */
    default Tensor tensor(double[] data, long... shape) {
        return tensor(DType.FLOAT64, data, shape);
    }

    /** A new tensor of {@code dtype} holding {@code data} (converted), whose length must equal the shape's size. */
    default Tensor tensor(DType dtype, float[] data, long... shape) {
        requireLength(data.length, shape);
        Tensor t = empty(dtype, shape);
        t.copyFrom(data);
        return t;
    }

    /** A new tensor of {@code dtype} holding {@code data} (converted), whose length must equal the shape's size. */
    default Tensor tensor(DType dtype, double[] data, long... shape) {
        requireLength(data.length, shape);
        Tensor t = empty(dtype, shape);
        t.copyFrom(data);
        return t;
    }

    private static void requireLength(int length, long[] shape) {
        long size = Shapes.size(shape);
        if (length != size) {
            throw new IllegalArgumentException("data has " + length + " elements, shape " + Shapes.format(shape)
                    + " needs " + size);
        }
    }

    /**
     * The operations for one stack description in one dtype. The returned object may cache workspaces
     * between calls; close it when done.
     *
     * @throws UnsupportedOperationException if the cell type or dtype is not implemented by this backend
     */
    Rnn rnn(RnnSpec spec, DType dtype);

    /**
     * {@code C = alpha * op(A) · op(B) + beta * C} for rank-2 tensors of one dtype owned by this backend, where
     * {@code op(X)} is {@code X} or its transpose: {@code op(A)} is {@code [m, k]}, {@code op(B)} is
     * {@code [k, n]}, {@code C} is {@code [m, n]}. Runs the backend's own GEMM (OpenBLAS, cuBLAS): benchmarks
     * use it as the hardware ceiling, and model layers (dense heads) build on it.
     *
     * <p>BLAS semantics: with {@code beta == 0} the old contents of {@code C} are not read, so NaN or infinity
     * there does not reach the result; with {@code k == 0} the result is {@code beta * C}. {@code A} and
     * {@code B} may be the same tensor; {@code C} must be neither. Argument checks are those of
     * {@link dev.lstm4j.api.spi.GemmCheck}.
     *
     * @throws IllegalArgumentException for shapes that do not multiply, mixed dtypes, a tensor of another
     *                                  backend, {@code C} aliasing an operand, or a non-finite alpha or beta
     * @throws IllegalStateException    if a tensor is closed
     */
    void gemm(boolean transA, boolean transB, double alpha, Tensor a, Tensor b, double beta, Tensor c);

    /*
     * Element-wise and optimizer operations, for training. The defaults go through host copies in double
     * (correct, slow); the cpu and cuda backends run them on their own memory. Checks: those of OpsCheck.
     */

    /** {@code y += alpha * x} element-wise, for tensors of one shape and dtype (training: gradient sums). */
    default void axpy(double alpha, Tensor x, Tensor y) {
        OpsCheck.sameShape(this, "axpy", new String[] {"x", "y"}, x, y);
        OpsCheck.finite("axpy", "alpha", alpha);
        double[] hy = y.toDoubleArray();
        HostOps.axpy(alpha, x.toDoubleArray(), hy, hy.length);
        y.copyFrom(hy);
    }

    /** {@code x *= alpha} element-wise (training: gradient clipping by global norm). */
    default void scale(double alpha, Tensor x) {
        OpsCheck.sameShape(this, "scale", new String[] {"x"}, x);
        OpsCheck.finite("scale", "alpha", alpha);
        double[] hx = x.toDoubleArray();
        HostOps.scale(alpha, hx, hx.length);
        x.copyFrom(hx);
    }

    /**
     * The sum of the squares of every element, accumulated in double whatever the dtype (training: the global
     * gradient norm). Waits for the result.
     */
    default double sumOfSquares(Tensor x) {
        OpsCheck.sameShape(this, "sumOfSquares", new String[] {"x"}, x);
        double[] hx = x.toDoubleArray();
        return HostOps.sumOfSquares(hx, hx.length);
    }

    /** One Adam or AdamW step on {@code param} in place, with moment tensors {@code m} and {@code v} (zeros at first). */
    default void adam(Tensor param, Tensor grad, Tensor m, Tensor v, AdamUpdate update) {
        OpsCheck.sameShape(this, "adam", new String[] {"param", "grad", "m", "v"}, param, grad, m, v);
        java.util.Objects.requireNonNull(update, "update");
        double[] p = param.toDoubleArray();
        double[] hm = m.toDoubleArray();
        double[] hv = v.toDoubleArray();
        HostOps.adam(p, grad.toDoubleArray(), hm, hv, p.length, update);
        param.copyFrom(p);
        m.copyFrom(hm);
        v.copyFrom(hv);
    }

    /** One SGD step on {@code param} in place, with the momentum buffer {@code velocity} (zeros at first). */
    default void sgd(Tensor param, Tensor grad, Tensor velocity, SgdUpdate update) {
        OpsCheck.sameShape(this, "sgd", new String[] {"param", "grad", "velocity"}, param, grad, velocity);
        java.util.Objects.requireNonNull(update, "update");
        double[] p = param.toDoubleArray();
        double[] b = velocity.toDoubleArray();
        HostOps.sgd(p, grad.toDoubleArray(), b, p.length, update);
        param.copyFrom(p);
        velocity.copyFrom(b);
    }

    /** {@code matrix[r, :] += vector} for a {@code [N, K]} matrix and a {@code [K]} vector (a dense layer's bias). */
    default void addRowVector(Tensor matrix, Tensor vector) {
        long[] shape = OpsCheck.addRowVector(this, matrix, vector);
        double[] m = matrix.toDoubleArray();
        HostOps.addRowVector(m, vector.toDoubleArray(), (int) shape[0], (int) shape[1]);
        matrix.copyFrom(m);
    }

    /** {@code out = beta * out + sum of matrix's rows}, {@code out} of {@code [K]} (a bias gradient). */
    default void sumRows(Tensor matrix, Tensor out, double beta) {
        long[] shape = OpsCheck.sumRows(this, matrix, out, beta);
        double[] o = out.toDoubleArray();
        HostOps.sumRows(matrix.toDoubleArray(), o, (int) shape[0], (int) shape[1], beta);
        out.copyFrom(o);
    }

    /** {@code dst[i, :] = src[rows[i], :]} (an embedding lookup; picking each sequence's last step). */
    default void gatherRows(Tensor src, int[] rows, Tensor dst) {
        long width = OpsCheck.gatherRows(this, src, rows, dst)[1];
        double[] row = new double[(int) width];
        for (int i = 0; i < rows.length; i++) {
            src.copyTo(rows[i] * width, row, 0, row.length);
            dst.copyFrom(i * width, row, 0, row.length);
        }
    }

    /** {@code dst[rows[i], :] += src[i, :]}, rows may repeat (an embedding's gradient). */
    default void scatterAddRows(Tensor src, int[] rows, Tensor dst) {
        long width = OpsCheck.scatterAddRows(this, src, rows, dst)[1];
        double[] out = dst.toDoubleArray();
        double[] in = src.toDoubleArray();
        for (int i = 0; i < rows.length; i++) {
            for (int k = 0; k < width; k++) {
                out[(int) (rows[i] * width + k)] += in[(int) (i * width + k)];
            }
        }
        dst.copyFrom(out);
    }

    /** Mean squared error over all elements; writes {@code dPred = 2 (pred - target) / n}. Waits for the result. */
    default double mseLoss(Tensor pred, Tensor target, Tensor dPred) {
        OpsCheck.mseLoss(this, pred, target, dPred);
        double[] d = new double[(int) pred.size()];
        double loss = HostOps.mse(pred.toDoubleArray(), target.toDoubleArray(), d, d.length);
        dPred.copyFrom(d);
        return loss;
    }

    /**
     * Softmax cross-entropy of {@code logits [N, K]} against class indices {@code targets} ({@code N} of them, a
     * negative target masks its row out: padding), the mean over unmasked rows; writes the gradient
     * {@code dLogits}. Waits for the result.
     */
    default double softmaxCrossEntropy(Tensor logits, int[] targets, Tensor dLogits) {
        long[] shape = OpsCheck.softmaxCrossEntropy(this, logits, targets, dLogits);
        double[] d = new double[(int) logits.size()];
        double loss = HostOps.softmaxCrossEntropy(logits.toDoubleArray(), targets, d, (int) shape[0], (int) shape[1]);
        dLogits.copyFrom(d);
        return loss;
    }

    /**
     * Waits until all work queued on this backend has finished; synchronous backends return at once.
     * Benchmarks call it before reading the clock.
     */
    default void synchronize() {
    }

    /**
     * Facts for provenance records and {@code lstm info}, under stable keys (such as {@code blas},
     * {@code blas.core}, {@code blas.threads}); always includes {@code description}. Values are read when
     * called, so a setting changed since (the BLAS thread count) shows its current value.
     */
    default Map<String, String> properties() {
        return Map.of("description", description());
    }

    /** Native bytes currently held by tensors, parameters, reserves and workspaces of this instance. */
    long liveBytes();

    /** Releases the backend's own resources. Tensors it handed out stay valid until closed. */
    @Override
    void close();
}
