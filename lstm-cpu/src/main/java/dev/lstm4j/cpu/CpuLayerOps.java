package dev.lstm4j.cpu;

import dev.lstm4j.api.spi.HostOps;

/**
 * The layer operations of training (bias add and sum, row gather and scatter-add, the losses) on native
 * memory: row copies and adds through the buffers and BLAS, reductions and losses a block of rows at a time
 * in double through HostOps' arithmetic, so that no whole tensor is copied to the heap. Arguments are
 * checked by the caller.
 */
final class CpuLayerOps {
    /** Elements staged per block of rows. */
    private static final int BLOCK = 1 << 14;

    private CpuLayerOps() {
    }

    static void addRowVector(CpuPrecision precision, NativeBuffer matrix, int rows, int cols, NativeBuffer vector) {
        for (int r = 0; r < rows; r++) {
            precision.add(cols, vector, 0, matrix, (long) r * cols);
        }
    }

    static void sumRows(CpuPrecision precision, NativeBuffer matrix, int rows, int cols, NativeBuffer out,
                        double beta) {
        double[] sum = new double[cols];
        double[] block = new double[blockRows(cols) * cols];
        for (int r = 0; r < rows; r += blockRows(cols)) {
            int n = Math.min(blockRows(cols), rows - r);
            precision.read(matrix, (long) r * cols, block, n * cols);
            for (int i = 0; i < n; i++) {
                for (int k = 0; k < cols; k++) {
                    sum[k] += block[i * cols + k];
                }
            }
        }
        double[] old = new double[cols];
        if (beta != 0) {
            precision.read(out, 0, old, cols);
        }
        for (int k = 0; k < cols; k++) {
            sum[k] += beta == 0 ? 0 : beta * old[k];
        }
        precision.write(sum, cols, out, 0);
    }

    static void gatherRows(NativeBuffer src, int[] rows, int cols, NativeBuffer dst) {
        for (int i = 0; i < rows.length; i++) {
            NativeBuffer.copy(src, (long) rows[i] * cols, dst, (long) i * cols, cols);
        }
    }

    static void scatterAddRows(CpuPrecision precision, NativeBuffer src, int[] rows, int cols, NativeBuffer dst) {
        for (int i = 0; i < rows.length; i++) {
            precision.add(cols, src, (long) i * cols, dst, (long) rows[i] * cols);
        }
    }

    static double mseLoss(CpuPrecision precision, NativeBuffer pred, NativeBuffer target, NativeBuffer dPred,
                          long size) {
        double sum = 0;
        int chunk = (int) Math.min(size, BLOCK);
        double[] p = new double[chunk];
        double[] t = new double[chunk];
        double[] d = new double[chunk];
        for (long done = 0; done < size; done += chunk) {
            int n = (int) Math.min(chunk, size - done);
            precision.read(pred, done, p, n);
            precision.read(target, done, t, n);
            // HostOps' mean and gradient over this chunk, rescaled from n to the whole size
            sum += HostOps.mse(p, t, d, n) * n;
            for (int k = 0; k < n; k++) {
                d[k] = d[k] * n / size;
            }
            precision.write(d, n, dPred, done);
        }
        return sum / size;
    }

    static double softmaxCrossEntropy(CpuPrecision precision, NativeBuffer logits, int[] targets, int rows, int cols,
                                      NativeBuffer dLogits) {
        int counted = HostOps.unmasked(targets, 0, rows);
        int per = blockRows(cols);
        double[] in = new double[per * cols];
        double[] d = new double[per * cols];
        double loss = 0;
        for (int r = 0; r < rows; r += per) {
            int n = Math.min(per, rows - r);
            precision.read(logits, (long) r * cols, in, n * cols);
            loss += HostOps.softmaxCrossEntropyRows(in, targets, r, d, n, cols, counted);
            precision.write(d, n * cols, dLogits, (long) r * cols);
        }
        return counted == 0 ? 0 : loss / counted;
    }

    private static int blockRows(int cols) {
        return Math.max(1, BLOCK / Math.max(1, cols));
    }
}
