package dev.lstm4j.cuda;

import dev.lstm4j.api.DType;
import dev.lstm4j.api.ParameterLayout;
import dev.lstm4j.api.Parameters;
import dev.lstm4j.api.RnnSpec;
import dev.lstm4j.api.SequenceLayout;
import dev.lstm4j.api.Tensor;
import dev.lstm4j.api.spi.RnnCallCheck.BatchShape;

import java.util.ArrayList;
import java.util.List;

/**
 * What the forward and backward planners share: the stack's sizes for one call, the packed parameters' device
 * address, element-offset arithmetic, and the command list being built. A planner only appends commands; the
 * caller runs the finished list once, as one replayable unit.
 */
abstract class StackPlan {
    /**
     * Up to this hidden size the per-step recurrent GEMMs run in lstm4j's own kernel instead of cuBLAS: there
     * cuBLAS's heuristics pick kernels that took 7 us (forward) and 56 us (backward) per step at B = 16, H = 128
     * on an H200, several times the work (GraphDiagnostics); from H = 256 on, cuBLAS measured 6-10 us.
     */
    static final int SMALL_HIDDEN = 128;

    final RnnSpec spec;
    final ParameterLayout layout;
    final DType dtype;
    final Kernels kernels;
    final long params;      // packed parameters, ParameterLayout order
    final BatchShape shape;
    final int seqLen;       // T
    final int batch;        // B
    final int hidden;       // H
    final int dirs;         // D
    final int gateWidth;    // G = 4H
    final int outWidth;     // D*H
    final boolean batchFirst;
    final List<Command> work = new ArrayList<>();

    StackPlan(CudaLstm lstm, Parameters params, BatchShape shape) {
        this.spec = lstm.spec();
        this.layout = lstm.layout();
        this.dtype = lstm.dtype();
        this.kernels = lstm.kernels();
        this.params = CudaBackend.tensor(params.packed()).address();
        this.shape = shape;
        this.seqLen = shape.seqLen();
        this.batch = shape.batch();
        this.hidden = spec.hiddenSize();
        this.dirs = spec.directions();
        this.gateWidth = spec.gateRows();
        this.outWidth = spec.outputSize();
        this.batchFirst = spec.layout() == SequenceLayout.BATCH_FIRST;
    }

    /** The address {@code elements} elements after {@code base}; a null base (0) stays null. */
    final long at(long base, long elements) {
        return base == 0 ? 0 : base + elements * dtype.byteSize();
    }

    /** Bytes of {@code elements} elements. */
    final long bytes(long elements) {
        return elements * dtype.byteSize();
    }

    /** Row-major GEMM on addresses (see {@link Command.Gemm}). */
    final void gemm(boolean transA, boolean transB, int m, int n, int k, long a, int lda, long b, int ldb,
                    double beta, long c, int ldc) {
        work.add(new Command.Gemm(dtype, transA, transB, m, n, k, 1.0, a, lda, b, ldb, beta, c, ldc));
    }

    /**
     * The per-step {@code C[m, n] += A[m, k] · B[k, n]} (row-major, unit alpha and beta): lstm4j's kernel at small
     * H, cuBLAS otherwise.
     */
    final void stepGemm(int m, int n, int k, long a, int lda, long b, int ldb, long c, int ldc) {
        if (hidden <= SMALL_HIDDEN) {
            work.add(kernels.gemmAccumulate(m, n, k, a, lda, b, ldb, c, ldc));
        } else {
            gemm(false, false, m, n, k, a, lda, b, ldb, 1, c, ldc);
        }
    }

    /** The time step processed {@code s}-th by direction {@code d}: forward walks up, reverse walks down. */
    final int step(int d, int s) {
        return d == 0 ? s : seqLen - 1 - s;
    }

    /** The step before {@code t} in direction {@code d}'s processing order. */
    final int previous(int d, int t) {
        return d == 0 ? t - 1 : t + 1;
    }

    /** Copies a {@code [rows, cols, width]} sequence to {@code [cols, rows, width]} (batch-first <-> time-major). */
    final void swapLeading(long rows, long cols, long width, long src, long dst) {
        work.add(kernels.swapLeading(rows, cols, width, src, dst));
    }

    static long addressOrNull(Tensor t) {
        return t == null ? 0 : CudaBackend.tensor(t).address();
    }
}
