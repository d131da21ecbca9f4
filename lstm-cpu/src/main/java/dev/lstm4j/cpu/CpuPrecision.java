package dev.lstm4j.cpu;

import dev.lstm4j.api.DropoutMask;
import dev.lstm4j.api.DType;
import org.bytedeco.openblas.global.openblas_full;
import org.bytedeco.openblas.global.openblas_nolapack;

/**
 * The dtype-specific primitives the LSTM driver needs: row-major GEMM through OpenBLAS, vector add,
 * transpose, and the fused cell. One instance per {@link CpuLstm}; not thread-safe (it reuses pointer views).
 */
abstract class CpuPrecision {

    static CpuPrecision of(DType dtype) {
        return dtype == DType.FLOAT32 ? new Float32() : new Float64();
    }

    abstract DType dtype();

    /**
     * {@code C = alpha * op(A) · op(B) + beta * C}, row-major; {@code op(A)} is {@code [m, k]},
     * {@code op(B)} is {@code [k, n]}, offsets in elements.
     */
    abstract void gemm(boolean transA, boolean transB, int m, int n, int k, double alpha,
                       NativeBuffer a, long aOffset, int lda, NativeBuffer b, long bOffset, int ldb,
                       double beta, NativeBuffer c, long cOffset, int ldc);

    /** {@code y[0, n) += x[0, n)}. */
    final void add(int n, NativeBuffer x, long xOffset, NativeBuffer y, long yOffset) {
        axpy(n, 1, x, xOffset, y, yOffset);
    }

    /** {@code y[0, n) += alpha * x[0, n)}, alpha rounded to the dtype. */
    abstract void axpy(int n, double alpha, NativeBuffer x, long xOffset, NativeBuffer y, long yOffset);

    /** {@code x[0, n) *= alpha}, alpha rounded to the dtype. */
    abstract void scale(int n, double alpha, NativeBuffer x, long offset);

    /** {@code sum x[0, n)²}, accumulated in double. */
    abstract double sumOfSquares(int n, NativeBuffer x, long offset);


    /** Writes the transpose of the row-major {@code [rows, cols]} matrix at {@code src} to {@code dst}. */
    abstract void transpose(int rows, int cols, NativeBuffer src, long srcOffset, NativeBuffer dst, long dstOffset);

    abstract LstmCell newCell(int batch, int hidden, double cellClip, boolean peephole);

    abstract GruCell newGruCell(int batch, int hidden);

    /** Copies {@code n} elements at {@code offset} of {@code src} into {@code dst}, converted to double. */
    abstract void read(NativeBuffer src, long offset, double[] dst, int n);

    /** Copies {@code n} doubles into {@code dst} at {@code offset}, converted to the dtype. */
    abstract void write(double[] src, int n, NativeBuffer dst, long offset);

    /**
     * {@code dst[e] = src[e] * m_e} for {@code e < n}, with {@code m_e} the {@link DropoutMask} factor of element
     * {@code e} of layer {@code layer}'s output: {@code 1 / (1 - p)} where kept, 0 where dropped. The same call
     * carries a gradient back through the dropout. {@code src} and {@code dst} may be the same buffer.
     */
    abstract void dropout(long n, NativeBuffer src, NativeBuffer dst, long seed, int layer, double p);

    /** Elements per chunk of {@link #dropout}, staged through a Java array. */
    static final int DROPOUT_CHUNK = 1 << 14;

    private static int trans(boolean t) {
        return t ? openblas_nolapack.CblasTrans : openblas_nolapack.CblasNoTrans;
    }

    private static final class Float32 extends CpuPrecision {
        private final Views.Floats a = new Views.Floats();
        private final Views.Floats b = new Views.Floats();
        private final Views.Floats c = new Views.Floats();
        private float[] staging = new float[0];   // reused by read and write: this instance is single-threaded

        private float[] scratch(int n) {
            if (staging.length < n) {
                staging = new float[n];
            }
            return staging;
        }

        @Override
        DType dtype() {
            return DType.FLOAT32;
        }

        @Override
        void gemm(boolean transA, boolean transB, int m, int n, int k, double alpha, NativeBuffer aBuf,
                  long aOffset, int lda, NativeBuffer bBuf, long bOffset, int ldb, double beta, NativeBuffer cBuf,
                  long cOffset, int ldc) {
            if (m == 0 || n == 0) {
                return;
            }
            openblas_nolapack.cblas_sgemm(openblas_nolapack.CblasRowMajor, trans(transA), trans(transB), m, n, k,
                    (float) alpha, a.at(aBuf, aOffset), lda, b.at(bBuf, bOffset), ldb, (float) beta,
                    c.at(cBuf, cOffset), ldc);
        }

        @Override
        void axpy(int n, double alpha, NativeBuffer x, long xOffset, NativeBuffer y, long yOffset) {
            openblas_nolapack.cblas_saxpy(n, (float) alpha, a.at(x, xOffset), 1, b.at(y, yOffset), 1);
        }

        @Override
        void scale(int n, double alpha, NativeBuffer x, long offset) {
            openblas_nolapack.cblas_sscal(n, (float) alpha, a.at(x, offset), 1);
        }

        @Override
        double sumOfSquares(int n, NativeBuffer x, long offset) {
            // dsdot: float products accumulated in double
            return openblas_nolapack.cblas_dsdot(n, a.at(x, offset), 1, b.at(x, offset), 1);
        }

        @Override
        void transpose(int rows, int cols, NativeBuffer src, long srcOffset, NativeBuffer dst, long dstOffset) {
            openblas_full.cblas_somatcopy(openblas_full.CblasRowMajor, openblas_full.CblasTrans, rows, cols, 1f,
                    a.at(src, srcOffset), cols, b.at(dst, dstOffset), rows);
        }

        @Override
        LstmCell newCell(int batch, int hidden, double cellClip, boolean peephole) {
            return new Float32LstmCell(batch, hidden, cellClip, peephole);
        }

        @Override
        GruCell newGruCell(int batch, int hidden) {
            return new Float32GruCell(batch, hidden);
        }

        @Override
        void read(NativeBuffer src, long offset, double[] dst, int n) {
            float[] tmp = scratch(n);
            a.at(src, offset).get(tmp, 0, n);
            for (int k = 0; k < n; k++) {
                dst[k] = tmp[k];
            }
        }

        @Override
        void write(double[] src, int n, NativeBuffer dst, long offset) {
            float[] tmp = scratch(n);
            for (int k = 0; k < n; k++) {
                tmp[k] = (float) src[k];
            }
            a.at(dst, offset).put(tmp, 0, n);
        }

        @Override
        void dropout(long n, NativeBuffer src, NativeBuffer dst, long seed, int layer, double p) {
            float scale = (float) DropoutMask.scale(p);
            float[] chunk = new float[(int) Math.min(n, DROPOUT_CHUNK)];
            for (long done = 0; done < n; done += chunk.length) {
                int len = (int) Math.min(chunk.length, n - done);
                a.at(src, done).get(chunk, 0, len);
                for (int k = 0; k < len; k++) {
                    chunk[k] = DropoutMask.keeps(seed, layer, done + k, p) ? chunk[k] * scale : 0f;
                }
                b.at(dst, done).put(chunk, 0, len);
            }
        }
    }

    private static final class Float64 extends CpuPrecision {
        private final Views.Doubles a = new Views.Doubles();
        private final Views.Doubles b = new Views.Doubles();
        private final Views.Doubles c = new Views.Doubles();

        @Override
        DType dtype() {
            return DType.FLOAT64;
        }

        @Override
        void gemm(boolean transA, boolean transB, int m, int n, int k, double alpha, NativeBuffer aBuf,
                  long aOffset, int lda, NativeBuffer bBuf, long bOffset, int ldb, double beta, NativeBuffer cBuf,
                  long cOffset, int ldc) {
            if (m == 0 || n == 0) {
                return;
            }
            openblas_nolapack.cblas_dgemm(openblas_nolapack.CblasRowMajor, trans(transA), trans(transB), m, n, k,
                    alpha, a.at(aBuf, aOffset), lda, b.at(bBuf, bOffset), ldb, beta, c.at(cBuf, cOffset), ldc);
        }

        @Override
        void axpy(int n, double alpha, NativeBuffer x, long xOffset, NativeBuffer y, long yOffset) {
            openblas_nolapack.cblas_daxpy(n, alpha, a.at(x, xOffset), 1, b.at(y, yOffset), 1);
        }

        @Override
        void scale(int n, double alpha, NativeBuffer x, long offset) {
            openblas_nolapack.cblas_dscal(n, alpha, a.at(x, offset), 1);
        }

        @Override
        double sumOfSquares(int n, NativeBuffer x, long offset) {
            return openblas_nolapack.cblas_ddot(n, a.at(x, offset), 1, b.at(x, offset), 1);
        }

        @Override
        void transpose(int rows, int cols, NativeBuffer src, long srcOffset, NativeBuffer dst, long dstOffset) {
            openblas_full.cblas_domatcopy(openblas_full.CblasRowMajor, openblas_full.CblasTrans, rows, cols, 1.0,
                    a.at(src, srcOffset), cols, b.at(dst, dstOffset), rows);
        }

        @Override
        LstmCell newCell(int batch, int hidden, double cellClip, boolean peephole) {
            return new Float64LstmCell(batch, hidden, cellClip, peephole);
        }

        @Override
        GruCell newGruCell(int batch, int hidden) {
            return new Float64GruCell(batch, hidden);
        }

        @Override
        void read(NativeBuffer src, long offset, double[] dst, int n) {
            a.at(src, offset).get(dst, 0, n);
        }

        @Override
        void write(double[] src, int n, NativeBuffer dst, long offset) {
            a.at(dst, offset).put(src, 0, n);
        }

        @Override
        void dropout(long n, NativeBuffer src, NativeBuffer dst, long seed, int layer, double p) {
            double scale = DropoutMask.scale(p);
            double[] chunk = new double[(int) Math.min(n, DROPOUT_CHUNK)];
            for (long done = 0; done < n; done += chunk.length) {
                int len = (int) Math.min(chunk.length, n - done);
                a.at(src, done).get(chunk, 0, len);
                for (int k = 0; k < len; k++) {
                    chunk[k] = DropoutMask.keeps(seed, layer, done + k, p) ? chunk[k] * scale : 0.0;
                }
                b.at(dst, done).put(chunk, 0, len);
            }
        }
    }
}
