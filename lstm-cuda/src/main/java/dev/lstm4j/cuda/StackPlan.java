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
     * Up to this hidden size, and {@link #SMALL_STEP} elements of state, the per-step recurrent GEMMs run in
     * lstm4j's own kernel instead of cuBLAS. Measured per step on an H200 (GraphDiagnostics, forward / backward):
     * B=16 H=128 own 3.3 / 4.5 us, cuBLAS 6.0 / 55 us (its heuristics pick a poor kernel there); B=64 H=128
     * 3.7 / 4.4 against 5.4 / 7.1; B=32 H=256 5.4 / 6.5 against 6.5 / 6.5; but B=256 H=128 8.5 / 8.0 against
     * 5.0 / 6.7, and B=16 H=512 10.0 / 11.3 against 7.2 / 7.9, where cuBLAS wins.
     */
    static final int SMALL_HIDDEN = 256;
    /** See {@link #SMALL_HIDDEN}: the largest B * H the own kernel takes. */
    static final int SMALL_STEP = 8192;

    final RnnSpec spec;
    final ParameterLayout layout;
    final DType dtype;
    final Kernels kernels;
    final long params;      // packed parameters, ParameterLayout order
    final BatchShape shape;
    final int seqLen;       // T
    final int batch;        // B
    final int hidden;       // H
    final int state;        // h's features: P with projection, else H
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
        this.state = spec.stateSize();
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
     * The per-step {@code C[m, n] += A[m, k] · B[k, n]} (row-major, unit alpha and beta): lstm4j's kernel for
     * small steps, cuBLAS otherwise (see {@link #SMALL_HIDDEN}).
     */
    final void stepGemm(int m, int n, int k, long a, int lda, long b, int ldb, long c, int ldc) {
        if (hidden <= SMALL_HIDDEN && (long) batch * hidden <= SMALL_STEP) {
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
