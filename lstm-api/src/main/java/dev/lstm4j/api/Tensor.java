package dev.lstm4j.api;

import java.nio.DoubleBuffer;
import java.nio.FloatBuffer;

/**
 * A dense, row-major (C order) array owned by one {@link Backend}, in that backend's memory.
 *
 * <p>Closing frees the memory; closing twice is harmless; any other use after close throws
 * {@link IllegalStateException}. Host copies convert between {@code float} and {@code double} when the
 * Java array's type differs from {@link #dtype()}.
 */
public interface Tensor extends AutoCloseable {

    /** The backend that owns this tensor's memory. */
    Backend backend();

    DType dtype();

    /** A copy of the shape. */
    long[] shape();

    /** Size of dimension {@code dim}. */
    long dim(int dim);

    /** Number of dimensions. */
    int rank();

    /** Number of elements. */
    long size();

    boolean isClosed();

    /** Copies {@code src} into the whole tensor; its length must equal {@link #size()}. */
    void copyFrom(float[] src);

    /** Copies {@code src} into the whole tensor; its length must equal {@link #size()}. */
    void copyFrom(double[] src);

    /** Copies {@code length} elements from {@code src[srcOffset..]} to elements {@code offset..} of this tensor. */
    void copyFrom(long offset, float[] src, int srcOffset, int length);

    /** Copies {@code length} elements from {@code src[srcOffset..]} to elements {@code offset..} of this tensor. */
    void copyFrom(long offset, double[] src, int srcOffset, int length);

    /** Copies the buffer's remaining elements (which must equal {@link #size()}) into the tensor. */
    void copyFrom(FloatBuffer src);

    /** Copies the buffer's remaining elements (which must equal {@link #size()}) into the tensor. */
    void copyFrom(DoubleBuffer src);

    /** Copies {@code length} elements starting at element {@code offset} into {@code dst[dstOffset..]}. */
    void copyTo(long offset, float[] dst, int dstOffset, int length);

    /** Copies {@code length} elements starting at element {@code offset} into {@code dst[dstOffset..]}. */
    void copyTo(long offset, double[] dst, int dstOffset, int length);

    /** Copies the whole tensor into the buffer's remaining space, which must hold at least {@link #size()}. */
    void copyTo(FloatBuffer dst);

    /** Copies the whole tensor into the buffer's remaining space, which must hold at least {@link #size()}. */
    void copyTo(DoubleBuffer dst);

    /** The whole tensor as a new {@code float[]} (needs {@code size() <= Integer.MAX_VALUE - 8}). */
    float[] toFloatArray();

    /** The whole tensor as a new {@code double[]} (needs {@code size() <= Integer.MAX_VALUE - 8}). */
    double[] toDoubleArray();

    /** Sets every element to zero. */
    void fillZero();

    /**
     * A tensor of another shape with the same number of elements over this tensor's memory (no copy), like
     * PyTorch's {@code view} on a contiguous tensor: writes through either are seen by both. The view is
     * closed when this tensor is closed; closing the view frees nothing. Model layers use it to treat a
     * sequence {@code [T, B, H]} as the matrix {@code [T*B, H]}.
     *
     * @throws IllegalArgumentException if the shape has a negative dimension or another number of elements
     * @throws IllegalStateException    if this tensor is closed
     */
    Tensor reshape(long... shape);

    /** Frees the memory. Harmless when already closed. */
    @Override
    void close();
}
