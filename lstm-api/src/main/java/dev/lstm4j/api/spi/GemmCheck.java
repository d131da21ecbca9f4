package dev.lstm4j.api.spi;

import dev.lstm4j.api.Backend;
import dev.lstm4j.api.DType;
import dev.lstm4j.api.Shapes;
import dev.lstm4j.api.Tensor;

/**
 * The argument checks of {@link Backend#gemm}, which every backend runs before touching memory, so that a
 * bad call gets the same message everywhere: what was expected and what was given.
 *
 * <p>Checked, in this order: no tensor is null; none is closed ({@link IllegalStateException}); all belong
 * to the given backend instance; each is rank 2; A, B and C share one dtype, which the backend supports
 * ({@link UnsupportedOperationException} otherwise); the inner sizes of {@code op(A)} and {@code op(B)}
 * agree; C is {@code [m, n]}; C is not the same tensor as A or B; alpha and beta are finite in that dtype.
 * Everything else is an {@link IllegalArgumentException}.
 */
public final class GemmCheck {
    private GemmCheck() {
    }

    /** The sizes of a validated call: {@code op(A)} is {@code [m, k]}, {@code op(B)} is {@code [k, n]}. */
    public record Sizes(long m, long n, long k) {
    }

    /** Checks a {@link Backend#gemm} call on {@code backend} and returns its sizes. */
    public static Sizes check(Backend backend, boolean transA, boolean transB, double alpha, Tensor a, Tensor b,
                              double beta, Tensor c) {
        open("A", a);
        open("B", b);
        open("C", c);
        owned(backend, "A", a);
        owned(backend, "B", b);
        owned(backend, "C", c);
        matrix("A", a);
        matrix("B", b);
        matrix("C", c);
        DType dtype = a.dtype();
        if (b.dtype() != dtype || c.dtype() != dtype) {
            throw new IllegalArgumentException("gemm: A, B and C must share one dtype, got A " + a.dtype() + ", B "
                    + b.dtype() + ", C " + c.dtype());
        }
        if (!backend.supportedDTypes().contains(dtype)) {
            throw new UnsupportedOperationException("gemm: backend " + backend.name() + " does not compute in "
                    + dtype + " (supports " + backend.supportedDTypes() + ")");
        }
        long[] opA = op(a, transA);
        long[] opB = op(b, transB);
        if (opA[1] != opB[0]) {
            throw new IllegalArgumentException("gemm: op(A) is " + describeOp("A", opA, a, transA) + " but op(B) is "
                    + describeOp("B", opB, b, transB) + ": inner sizes " + opA[1] + " and " + opB[0] + " differ");
        }
        long m = opA[0];
        long k = opA[1];
        long n = opB[1];
        if (c.dim(0) != m || c.dim(1) != n) {
            throw new IllegalArgumentException("gemm: C must be [m, n] = " + Shapes.format(m, n) + " for op(A) "
                    + describeOp("A", opA, a, transA) + " and op(B) " + describeOp("B", opB, b, transB) + ", got "
                    + Shapes.format(c.shape()));
        }
        if (c == a || c == b) {
            throw new IllegalArgumentException("gemm: C is the same tensor as " + (c == a ? "A" : "B")
                    + "; BLAS overwrites C while it still reads A and B, so C must be a separate tensor");
        }
        scalar("alpha", alpha, dtype);
        scalar("beta", beta, dtype);
        return new Sizes(m, n, k);
    }

    private static void open(String name, Tensor t) {
        if (t == null) {
            throw new NullPointerException("gemm: " + name + " is null");
        }
        if (t.isClosed()) {
            throw new IllegalStateException("gemm: " + name + " (" + t.dtype() + Shapes.format(t.shape())
                    + ") is closed");
        }
    }

    private static void owned(Backend backend, String name, Tensor t) {
        if (t.backend() != backend) {
            throw new IllegalArgumentException("gemm: " + name + " belongs to backend " + t.backend().name()
                    + " (instance " + System.identityHashCode(t.backend()) + "), expected this " + backend.name()
                    + " backend (instance " + System.identityHashCode(backend) + "); copy it over first");
        }
    }

    private static void matrix(String name, Tensor t) {
        if (t.rank() != 2) {
            throw new IllegalArgumentException("gemm: " + name + " must be a matrix (rank 2), got rank " + t.rank()
                    + " shape " + Shapes.format(t.shape()));
        }
    }

    private static long[] op(Tensor t, boolean transpose) {
        return transpose ? new long[] {t.dim(1), t.dim(0)} : new long[] {t.dim(0), t.dim(1)};
    }

    /** {@code "[3, 5]"}, or {@code "[3, 5] (A [5, 3] transposed)"}. */
    private static String describeOp(String name, long[] op, Tensor t, boolean transposed) {
        String s = Shapes.format(op);
        return transposed ? s + " (" + name + " " + Shapes.format(t.shape()) + " transposed)" : s;
    }

    private static void scalar(String name, double value, DType dtype) {
        if (!Double.isFinite(value)) {
            throw new IllegalArgumentException("gemm: " + name + " must be finite, got " + value);
        }
        if (dtype == DType.FLOAT32 && Float.isInfinite((float) value)) {
            throw new IllegalArgumentException("gemm: " + name + " = " + value + " overflows FLOAT32 (largest "
                    + Float.MAX_VALUE + ")");
        }
    }
}
