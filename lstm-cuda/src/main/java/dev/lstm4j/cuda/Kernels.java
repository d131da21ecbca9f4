package dev.lstm4j.cuda;

import dev.lstm4j.api.DType;
import dev.lstm4j.cuda.KernelArg.F32;
import dev.lstm4j.cuda.KernelArg.F64;
import dev.lstm4j.cuda.KernelArg.I32;
import dev.lstm4j.cuda.KernelArg.I64;
import dev.lstm4j.cuda.KernelArg.Ptr;

import java.util.List;

/**
 * Launch commands for the kernels of {@code kernels/lstm_pointwise.cu}: entry-point names per dtype, grid sizes,
 * and the argument lists in the order of the C signatures (documented there).
 */
final class Kernels {
    /** The kernel source, a class-path resource beside this class. */
    static final String SOURCE = "kernels/lstm_pointwise.cu";
    /** Kernel names without the dtype suffix. */
    static final List<String> NAMES = List.of("lstm_forward_step", "lstm_backward_step", "lstm_peephole_gradient", "gru_forward_step",
            "gru_backward_step", "lstm_keep_inactive", "lstm_projection_grad", "lstm_swap_leading",
            "lstm_transpose", "lstm_gemm_accumulate", "lstm_zero_padding", "lstm_gather_last", "lstm_dropout", "lstm_axpy", "lstm_scale", "lstm_sum_squares", "lstm_adam", "lstm_sgd", "lstm_softmax_xent",
            "lstm_fill");
    /** Every unmangled entry point the source exports. */
    static final List<String> ENTRY_POINTS = NAMES.stream()
            .flatMap(n -> java.util.stream.Stream.of(n + "_f32", n + "_f64")).toList();

    /** Threads per block of the per-step kernels (one thread per hidden unit, one block row per sequence). */
    static final int STEP_BLOCK = 128;
    /** Threads per block of the element-wise kernels. */
    static final int FLAT_BLOCK = 256;

    private final DType dtype;
    private final String suffix;

    Kernels(DType dtype) {
        this.dtype = dtype;
        this.suffix = dtype == DType.FLOAT32 ? "_f32" : "_f64";
    }

    /** The fused LSTM forward step; pointers may be 0 where the source says so. */
    Command forwardStep(int batch, int hidden, int t, long lengths, long gates, long biasIh, long biasHh, long peep,
                        long hPrev, int hPrevStride, long cPrev, long hOut, int hOutStride, long cOut, boolean keep,
                        double clip) {
        return step("lstm_forward_step", batch, hidden, List.of(new I32(batch), new I32(hidden), new I32(t),
                new Ptr(lengths), new Ptr(gates), new Ptr(biasIh), new Ptr(biasHh), new Ptr(peep), new Ptr(hPrev),
                new I32(hPrevStride), new Ptr(cPrev), new Ptr(hOut), new I32(hOutStride), new Ptr(cOut),
                new I32(keep ? 1 : 0), real(clip)));
    }

    /** The fused LSTM backward step. */
    Command backwardStep(int batch, int hidden, int t, long lengths, long gates, long cCur, long cPrev, long peep,
                         long dh, long dc, long dy, int dyStride, double clip) {
        return step("lstm_backward_step", batch, hidden, List.of(new I32(batch), new I32(hidden), new I32(t),
                new Ptr(lengths), new Ptr(gates), new Ptr(cCur), new Ptr(cPrev), new Ptr(peep), new Ptr(dh),
                new Ptr(dc), new Ptr(dy), new I32(dyStride), real(clip)));
    }

    /** The fused GRU forward step (see the kernel source); {@code sOut} may be 0 (inference). */
    Command gruForwardStep(int batch, int hidden, int t, long lengths, long gates, long recurrent, long biasIh,
                           long biasHh, long hPrev, int hPrevStride, long hOut, int hOutStride, long sOut, boolean keep) {
        return step("gru_forward_step", batch, hidden, List.of(new I32(batch), new I32(hidden), new I32(t),
                new Ptr(lengths), new Ptr(gates), new Ptr(recurrent), new Ptr(biasIh), new Ptr(biasHh), new Ptr(hPrev),
                new I32(hPrevStride), new Ptr(hOut), new I32(hOutStride), new Ptr(sOut), new I32(keep ? 1 : 0)));
    }

    /** The fused GRU backward step. */
    Command gruBackwardStep(int batch, int hidden, int t, long lengths, long gates, long hiddenGrads, long s,
                            long hPrev, int hPrevStride, long h0, boolean reverse, long dh, long dy, int dyStride) {
        return step("gru_backward_step", batch, hidden, List.of(new I32(batch), new I32(hidden), new I32(t),
                new Ptr(lengths), new Ptr(gates), new Ptr(hiddenGrads), new Ptr(s), new Ptr(hPrev),
                new I32(hPrevStride), new Ptr(h0), new I32(reverse ? 1 : 0), new Ptr(dh), new Ptr(dy),
                new I32(dyStride)));
    }

    /** Projection: rows not running at step t keep their h (see the kernel source). */
    Command keepInactive(int batch, int width, int t, long lengths, long hPrev, int hPrevStride, long out,
                         int outStride) {
        return flat("lstm_keep_inactive", (long) batch * width, List.of(new I32(batch), new I32(width), new I32(t),
                new Ptr(lengths), new Ptr(hPrev), new I32(hPrevStride), new Ptr(out), new I32(outStride)));
    }

    /** Projection backward: the gradient at h_t to {@code dhAt} and {@code kept}; running rows' dh zeroed. */
    Command projectionGrad(int batch, int width, int t, long lengths, long dh, long dy, int dyStride, long dhAt,
                           long kept) {
        return flat("lstm_projection_grad", (long) batch * width, List.of(new I32(batch), new I32(width), new I32(t),
                new Ptr(lengths), new Ptr(dh), new Ptr(dy), new I32(dyStride), new Ptr(dhAt), new Ptr(kept)));
    }

    /** Adds one direction's peephole weight gradients {@code [3H]} into {@code grad} (see the kernel source). */
    Command peepholeGradient(int seqLen, int batch, int hidden, boolean reverse, long dA, long cells, long c0,
                             double clip, long grad) {
        return flat("lstm_peephole_gradient", 3L * hidden, List.of(new I32(seqLen), new I32(batch), new I32(hidden),
                new I32(reverse ? 1 : 0), new Ptr(dA), new Ptr(cells), new Ptr(c0), real(clip), new Ptr(grad)));
    }

    /** {@code out[j, i, :] = in[i, j, :]} for {@code in} of shape {@code [rows, cols, width]}. */
    Command swapLeading(long rows, long cols, long width, long in, long out) {
        return flat("lstm_swap_leading", rows * cols * width, List.of(new I64(rows), new I64(cols), new I64(width),
                new Ptr(in), new Ptr(out)));
    }

    /** {@code out = in^T} for a row-major {@code in [rows, cols]}, by 32 x 32 tiles. */
    Command transpose(int rows, int cols, long in, long out) {
        return new Command.Launch("lstm_transpose" + suffix, blocks(cols, 32), blocks(rows, 32), 256,
                List.of(new I32(rows), new I32(cols), new Ptr(in), new Ptr(out)));
    }

    /**
     * {@code C[m, n] += A[m, k] · B[k, n]}, all row-major with the given row strides: the per-step recurrent
     * GEMMs at small H (see {@link StackPlan#SMALL_HIDDEN}).
     */
    Command gemmAccumulate(int m, int n, int k, long a, int lda, long b, int ldb, long c, int ldc) {
        return new Command.Launch("lstm_gemm_accumulate" + suffix, blocks(n, 32), m, 256, List.of(new I32(n),
                new I32(k), new Ptr(a), new I32(lda), new Ptr(b), new I32(ldb), new Ptr(c), new I32(ldc)));
    }

    /** Zeroes the padding {@code y[t, b, :]}, {@code t >= lengths[b]}, of a time-major {@code [T, B, width]} y. */
    Command zeroPadding(long seqLen, long batch, long width, long lengths, long y) {
        return flat("lstm_zero_padding", seqLen * batch * width, List.of(new I64(seqLen), new I64(batch),
                new I64(width), new Ptr(lengths), new Ptr(y)));
    }

    /** {@code dst[b, :] = src[lengths[b] - 1, b, :]} for a time-major {@code [T, B, width]} src. */
    Command gatherLast(long batch, long width, long lengths, long src, long dst) {
        return flat("lstm_gather_last", batch * width, List.of(new I64(batch), new I64(width), new Ptr(lengths),
                new Ptr(src), new Ptr(dst)));
    }

    /**
     * {@code out[e] = in[e] * m_e} for {@code e < n}, with {@link dev.lstm4j.api.DropoutMask}'s factor of element
     * {@code e} of layer {@code layer}'s output; the seed is read from {@code seedWords} (two ints, low first).
     */
    Command dropout(long n, long seedWords, int layer, double p, long in, long out) {
        return flat("lstm_dropout", n, List.of(new I64(n), new Ptr(seedWords), new I32(layer), new F64(p),
                real(dev.lstm4j.api.DropoutMask.scale(p)), new Ptr(in), new Ptr(out)));
    }

    /** Threads of {@link #sumSquares}: each writes one partial sum, which the host adds. */
    static final int SUM_THREADS = 1 << 14;

    /** {@code y += alpha * x}. */
    /** {@code dst[i, :] = src[index[i], :]} for {@code rows} rows of {@code width}; {@code index} holds int32s. */
    Command gatherRows(long rows, long width, long index, long src, long dst) {
        return flat("lstm_gather_rows", rows * width, List.of(new I64(rows), new I64(width), new Ptr(index),
                new Ptr(src), new Ptr(dst)));
    }

    /**
     * Adds source rows into destination rows by segment: segment {@code s} adds rows {@code order[starts[s]..
     * starts[s + 1])} of {@code src}, in that order, into row {@code dest[s]} of {@code dst} (int32 arrays).
     */
    Command segmentAddRows(long segments, long width, long starts, long dest, long order, long src, long dst) {
        return flat("lstm_segment_add_rows", segments * width, List.of(new I64(segments), new I64(width),
                new Ptr(starts), new Ptr(dest), new Ptr(order), new Ptr(src), new Ptr(dst)));
    }

    Command axpy(long n, double alpha, long x, long y) {
        return flat("lstm_axpy", n, List.of(new I64(n), new F64(alpha), new Ptr(x), new Ptr(y)));
    }

    /** {@code x *= alpha}. */
    Command scale(long n, double alpha, long x) {
        return flat("lstm_scale", n, List.of(new I64(n), new F64(alpha), new Ptr(x)));
    }

    /** {@link #SUM_THREADS} partial sums of squares (double) into {@code partial}. */
    Command sumSquares(long n, long x, long partial) {
        return flat("lstm_sum_squares", SUM_THREADS, List.of(new I64(n), new Ptr(x), new Ptr(partial),
                new I32(SUM_THREADS)));
    }

    /** One Adam/AdamW step (see {@link dev.lstm4j.api.AdamUpdate}). */
    Command adam(long n, long p, long g, long m, long v, dev.lstm4j.api.AdamUpdate u) {
        return flat("lstm_adam", n, List.of(new I64(n), new Ptr(p), new Ptr(g), new Ptr(m), new Ptr(v), new F64(u.lr()),
                new F64(u.beta1()), new F64(u.beta2()), new F64(u.eps()), new F64(u.weightDecay()),
                new I32(u.decoupled() ? 1 : 0), new F64(u.biasCorrection1()), new F64(u.biasCorrection2())));
    }

    /** One SGD step (see {@link dev.lstm4j.api.SgdUpdate}). */
    Command sgd(long n, long p, long g, long b, dev.lstm4j.api.SgdUpdate u) {
        return flat("lstm_sgd", n, List.of(new I64(n), new Ptr(p), new Ptr(g), new Ptr(b), new F64(u.lr()),
                new F64(u.momentum()), new F64(u.weightDecay()), new I32(u.nesterov() ? 1 : 0)));
    }

    /**
     * Softmax cross-entropy of {@code logits [rows, cols]} against {@code targets} (device ints, negative =
     * masked): each row's loss into {@code rowLoss} (doubles), the gradient times {@code scale} into {@code grad}.
     */
    Command softmaxCrossEntropy(long rows, int cols, long targets, long logits, long grad, long rowLoss, double scale) {
        return flat("lstm_softmax_xent", rows, List.of(new I64(rows), new I32(cols), new Ptr(targets), new Ptr(logits),
                new Ptr(grad), new Ptr(rowLoss), new F64(scale)));
    }

    /** {@code out[0, n) = value}. */
    Command fill(long n, double value, long out) {
        return flat("lstm_fill", n, List.of(new I64(n), real(value), new Ptr(out)));
    }

    private KernelArg real(double v) {
        return dtype == DType.FLOAT32 ? new F32((float) v) : new F64(v);
    }

    private Command step(String name, int batch, int hidden, List<KernelArg> args) {
        return new Command.Launch(name + suffix, blocks(hidden, STEP_BLOCK), batch, STEP_BLOCK, args);
    }

    private Command flat(String name, long elements, List<KernelArg> args) {
        return new Command.Launch(name + suffix, blocks(elements, FLAT_BLOCK), 1, FLAT_BLOCK, args);
    }

    /** Blocks of {@code block} threads covering {@code n} elements (at least one, so empty work still launches validly). */
    static int blocks(long n, int block) {
        long blocks = Math.max(1, (n + block - 1) / block);
        if (blocks > Integer.MAX_VALUE) {
            throw new IllegalArgumentException(n + " elements exceed one kernel launch's grid");
        }
        return (int) blocks;
    }
}
