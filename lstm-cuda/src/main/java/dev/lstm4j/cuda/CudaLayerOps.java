package dev.lstm4j.cuda;

import dev.lstm4j.api.DType;
import dev.lstm4j.api.Tensor;
import dev.lstm4j.api.spi.OpsCheck;

import java.util.List;

/**
 * The layer operations of training on the device: bias add and row sums as rank-1 and row-vector GEMMs
 * against a vector of ones; row gather as one kernel over an uploaded index; row scatter-add as one kernel
 * over the rows grouped by destination on the host ({@link RowSegments}), so that repeated rows add in index
 * order without atomics and the result is the same on every run; the mean squared error from a copy, an
 * axpy, the deterministic sum of squares and a scale; softmax cross-entropy by a kernel with one thread per
 * row whose per-row losses the host adds in row order.
 */
final class CudaLayerOps {
    private CudaLayerOps() {
    }

    static void addRowVector(CudaBackend backend, Tensor matrix, Tensor vector) {
        long[] shape = OpsCheck.addRowVector(backend, matrix, vector);
        int rows = blasSize("addRowVector", shape[0]);
        int cols = blasSize("addRowVector", shape[1]);
        DType dtype = matrix.dtype();
        try (DeviceBuffer ones = backend.buffer(Math.max(1, rows) * (long) dtype.byteSize(), "ones for addRowVector")) {
            // matrix[rows, cols] += ones[rows, 1] · vector[1, cols]
            backend.run(List.of(new Kernels(dtype).fill(rows, 1.0, ones.address()),
                    new Command.Gemm(dtype, false, false, rows, cols, 1, 1.0, ones.address(), 1,
                            CudaBackend.tensor(vector).address(), Math.max(1, cols), 1.0,
                            CudaBackend.tensor(matrix).address(), Math.max(1, cols))), false);
        }
    }

    static void sumRows(CudaBackend backend, Tensor matrix, Tensor out, double beta) {
        long[] shape = OpsCheck.sumRows(backend, matrix, out, beta);
        int rows = blasSize("sumRows", shape[0]);
        int cols = blasSize("sumRows", shape[1]);
        DType dtype = matrix.dtype();
        try (DeviceBuffer ones = backend.buffer(Math.max(1, rows) * (long) dtype.byteSize(), "ones for sumRows")) {
            // out[1, cols] = beta * out + ones[1, rows] · matrix[rows, cols]
            backend.run(List.of(new Kernels(dtype).fill(rows, 1.0, ones.address()),
                    new Command.Gemm(dtype, false, false, 1, cols, rows, 1.0, ones.address(), Math.max(1, rows),
                            CudaBackend.tensor(matrix).address(), Math.max(1, cols), beta,
                            CudaBackend.tensor(out).address(), Math.max(1, cols))), false);
        }
    }

    static void gatherRows(CudaBackend backend, Tensor src, int[] rows, Tensor dst) {
        long width = OpsCheck.gatherRows(backend, src, rows, dst)[1];
        if (rows.length == 0 || width == 0) {
            return;
        }
        try (DeviceBuffer index = backend.buffer(4L * rows.length, "row indices of gatherRows")) {
            backend.context().write(index.address(), rows, 0, rows.length);
            backend.run(List.of(new Kernels(src.dtype()).gatherRows(rows.length, width, index.address(),
                    CudaBackend.tensor(src).address(), CudaBackend.tensor(dst).address())), false);
        }
    }

    static void scatterAddRows(CudaBackend backend, Tensor src, int[] rows, Tensor dst) {
        long width = OpsCheck.scatterAddRows(backend, src, rows, dst)[1];
        if (rows.length == 0 || width == 0) {
            return;
        }
        RowSegments groups = RowSegments.of(rows, Math.toIntExact(dst.dim(0)));
        int[] packed = groups.packed();
        try (DeviceBuffer ints = backend.buffer(4L * packed.length, "row groups of scatterAddRows")) {
            backend.context().write(ints.address(), packed, 0, packed.length);
            backend.run(List.of(new Kernels(src.dtype()).segmentAddRows(groups.segments(), width, ints.address(),
                    ints.address() + 4L * groups.destOffset(), ints.address() + 4L * groups.orderOffset(),
                    CudaBackend.tensor(src).address(), CudaBackend.tensor(dst).address())), false);
        }
    }

    static double mseLoss(CudaBackend backend, Tensor pred, Tensor target, Tensor dPred) {
        OpsCheck.mseLoss(backend, pred, target, dPred);
        long n = pred.size();
        if (n == 0) {
            return Double.NaN;
        }
        Kernels kernels = new Kernels(pred.dtype());
        long d = CudaBackend.tensor(dPred).address();
        try (DeviceBuffer partial = backend.buffer(8L * Kernels.SUM_THREADS, "partial sums of the squared error")) {
            backend.run(List.of(
                    new Command.Copy(d, CudaBackend.tensor(pred).address(), n * pred.dtype().byteSize()),
                    kernels.axpy(n, -1.0, CudaBackend.tensor(target).address(), d),
                    kernels.sumSquares(n, d, partial.address()),
                    kernels.scale(n, 2.0 / n, d)), false);
            return backend.sumOfPartials(partial) / n;
        }
    }

    static double softmaxCrossEntropy(CudaBackend backend, Tensor logits, int[] targets, Tensor dLogits) {
        long[] shape = OpsCheck.softmaxCrossEntropy(backend, logits, targets, dLogits);
        int rows = targets.length;
        int counted = 0;
        for (int t : targets) {
            counted += t >= 0 ? 1 : 0;
        }
        if (rows == 0) {
            return 0;
        }
        try (DeviceBuffer deviceTargets = backend.buffer(4L * rows, "cross-entropy targets");
             DeviceBuffer rowLoss = backend.buffer(8L * rows, "cross-entropy row losses")) {
            backend.context().write(deviceTargets.address(), targets, 0, rows);
            backend.run(List.of(new Kernels(logits.dtype()).softmaxCrossEntropy(rows, blasSize("softmaxCrossEntropy",
                    shape[1]), deviceTargets.address(), CudaBackend.tensor(logits).address(),
                    CudaBackend.tensor(dLogits).address(), rowLoss.address(), counted == 0 ? 0 : 1.0 / counted)), false);
            double[] losses = new double[rows];
            backend.context().read(rowLoss.address(), losses, 0, rows);
            double total = 0;
            for (double l : losses) {
                total += l;
            }
            return counted == 0 ? 0 : total / counted;
        }
    }

    private static int blasSize(String op, long size) {
        if (size > Integer.MAX_VALUE) {
            throw new IllegalArgumentException(op + ": " + size + " exceeds " + Integer.MAX_VALUE
                    + ", the largest size cuBLAS takes");
        }
        return (int) size;
    }
}
