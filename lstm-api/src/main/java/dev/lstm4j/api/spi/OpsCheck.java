package dev.lstm4j.api.spi;

import dev.lstm4j.api.Backend;
import dev.lstm4j.api.Shapes;
import dev.lstm4j.api.Tensor;

import java.util.Arrays;

/**
 * The argument checks of the training operations of {@link Backend} (element-wise, optimizer and layer
 * operations): every tensor open, owned by the backend, in a dtype it computes in, of the shapes the operation
 * needs; the tensors distinct where one is written. Backends that override an operation call its check.
 */
public final class OpsCheck {
    private OpsCheck() {
    }

    /** Checks {@code tensors} (named by {@code names}) for operation {@code op} on {@code backend}. */
    public static void sameShape(Backend backend, String op, String[] names, Tensor... tensors) {
        for (int i = 0; i < tensors.length; i++) {
            Tensor t = tensors[i];
            if (t == null) {
                throw new NullPointerException(op + ": " + names[i] + " is null");
            }
            if (t.isClosed()) {
                throw new IllegalStateException(op + ": " + names[i] + " is closed");
            }
            if (t.backend() != backend) {
                throw new IllegalArgumentException(op + ": " + names[i] + " belongs to backend " + t.backend().name()
                        + ", not this " + backend.name() + " backend; copy it over first");
            }
            if (!backend.supportedDTypes().contains(t.dtype())) {
                throw new UnsupportedOperationException(op + ": backend " + backend.name() + " does not compute in "
                        + t.dtype());
            }
            if (i > 0) {
                if (t.dtype() != tensors[0].dtype() || !Arrays.equals(t.shape(), tensors[0].shape())) {
                    throw new IllegalArgumentException(op + ": " + names[i] + " must be " + tensors[0].dtype()
                            + Shapes.format(tensors[0].shape()) + " like " + names[0] + ", got " + t.dtype()
                            + Shapes.format(t.shape()));
                }
                for (int j = 0; j < i; j++) {
                    if (t == tensors[j]) {
                        throw new IllegalArgumentException(op + ": " + names[i] + " and " + names[j]
                                + " must be different tensors");
                    }
                }
            }
        }
    }

    /** {@code value} is finite, else an {@link IllegalArgumentException} naming it. */
    public static void finite(String op, String name, double value) {
        if (!Double.isFinite(value)) {
            throw new IllegalArgumentException(op + ": " + name + " must be finite, got " + value);
        }
    }

    /** An open, owned tensor of a supported dtype and rank 2; returns its {@code [rows, cols]}. */
    public static long[] matrix(Backend backend, String op, String name, Tensor t) {
        sameShape(backend, op, new String[] {name}, t);
        if (t.rank() != 2) {
            throw new IllegalArgumentException(op + ": " + name + " must be a matrix (rank 2), got "
                    + Shapes.format(t.shape()));
        }
        return t.shape();
    }

    /** {@code t} is open, owned, rank 1 of {@code length} elements and of {@code dtype}'s tensor's dtype. */
    public static void vector(Backend backend, String op, String name, Tensor t, long length, Tensor like) {
        sameShape(backend, op, new String[] {name}, t);
        if (t.rank() != 1 || t.dim(0) != length || t.dtype() != like.dtype()) {
            throw new IllegalArgumentException(op + ": " + name + " must be " + like.dtype() + "[" + length + "], got "
                    + t.dtype() + Shapes.format(t.shape()));
        }
    }

    /** Every row index in {@code [0, bound)} (or negative where {@code masked} allows it). */
    public static void rows(String op, int[] rows, long bound, boolean masked) {
        if (rows == null) {
            throw new NullPointerException(op + ": row indices are null");
        }
        for (int i = 0; i < rows.length; i++) {
            if (rows[i] >= bound || (rows[i] < 0 && !masked)) {
                throw new IndexOutOfBoundsException(op + ": index " + i + " is " + rows[i] + ", outside [0, " + bound
                        + (masked ? ") (negative = masked)" : ")"));
            }
        }
    }

    /** The checks of {@link Backend#addRowVector}; returns the matrix's shape. */
    public static long[] addRowVector(Backend backend, Tensor matrix, Tensor vector) {
        long[] shape = matrix(backend, "addRowVector", "matrix", matrix);
        vector(backend, "addRowVector", "vector", vector, shape[1], matrix);
        return shape;
    }

    /** The checks of {@link Backend#sumRows}; returns the matrix's shape. */
    public static long[] sumRows(Backend backend, Tensor matrix, Tensor out, double beta) {
        long[] shape = matrix(backend, "sumRows", "matrix", matrix);
        vector(backend, "sumRows", "out", out, shape[1], matrix);
        finite("sumRows", "beta", beta);
        return shape;
    }

    /** The checks of {@link Backend#gatherRows}; returns the source's shape. */
    public static long[] gatherRows(Backend backend, Tensor src, int[] rows, Tensor dst) {
        long[] s = matrix(backend, "gatherRows", "src", src);
        long[] d = matrix(backend, "gatherRows", "dst", dst);
        rows("gatherRows", rows, s[0], false);
        if (d[0] != rows.length || d[1] != s[1] || dst.dtype() != src.dtype() || dst == src) {
            throw new IllegalArgumentException("gatherRows: dst must be a separate " + src.dtype() + "["
                    + rows.length + ", " + s[1] + "], got " + dst.dtype() + Shapes.format(d));
        }
        return s;
    }

    /** The checks of {@link Backend#scatterAddRows}; returns the destination's shape. */
    public static long[] scatterAddRows(Backend backend, Tensor src, int[] rows, Tensor dst) {
        long[] s = matrix(backend, "scatterAddRows", "src", src);
        long[] d = matrix(backend, "scatterAddRows", "dst", dst);
        rows("scatterAddRows", rows, d[0], false);
        if (s[0] != rows.length || d[1] != s[1] || dst.dtype() != src.dtype() || dst == src) {
            throw new IllegalArgumentException("scatterAddRows: src must be a separate " + dst.dtype() + "["
                    + rows.length + ", " + d[1] + "], got " + src.dtype() + Shapes.format(s));
        }
        return d;
    }

    /** The checks of {@link Backend#mseLoss}. */
    public static void mseLoss(Backend backend, Tensor pred, Tensor target, Tensor dPred) {
        sameShape(backend, "mseLoss", new String[] {"pred", "target", "dPred"}, pred, target, dPred);
    }

    /** The checks of {@link Backend#softmaxCrossEntropy}; returns the logits' shape. */
    public static long[] softmaxCrossEntropy(Backend backend, Tensor logits, int[] targets, Tensor dLogits) {
        long[] shape = matrix(backend, "softmaxCrossEntropy", "logits", logits);
        sameShape(backend, "softmaxCrossEntropy", new String[] {"logits", "dLogits"}, logits, dLogits);
        if (targets == null || targets.length != shape[0]) {
            throw new IllegalArgumentException("softmaxCrossEntropy: one target per row needed (" + shape[0]
                    + "), got " + (targets == null ? "null" : targets.length));
        }
        rows("softmaxCrossEntropy", targets, shape[1], true);
        return shape;
    }
}
