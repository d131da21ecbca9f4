package dev.lstm4j.api.spi;

import dev.lstm4j.api.Backend;
import dev.lstm4j.api.DType;
import dev.lstm4j.api.Shapes;
import dev.lstm4j.api.Tensor;

import java.nio.DoubleBuffer;
import java.nio.FloatBuffer;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Validation and dtype conversion shared by every backend's tensors. A backend implements the raw copies
 * in the tensor's own dtype, {@link #zero()} and {@link #release()}; this class guarantees they are only
 * called on an open tensor with in-range arguments.
 */
public abstract class AbstractTensor implements Tensor {
    private static final int CONVERSION_CHUNK = 1 << 14;

    private final Backend backend;
    private final DType dtype;
    private final long[] shape;   // never exposed: shape() returns a copy
    private final long size;
    private final AtomicBoolean closed = new AtomicBoolean();
    private final AbstractTensor memoryOwner;   // this, or the tensor whose memory this view shares

    protected AbstractTensor(Backend backend, DType dtype, long[] shape) {
        this.backend = Objects.requireNonNull(backend, "backend");
        this.dtype = Objects.requireNonNull(dtype, "dtype");
        this.shape = shape.clone();
        this.size = Shapes.size(this.shape);
        this.memoryOwner = this;
    }

    /** For {@link #view}: a tensor of {@code shape} over {@code owner}'s memory. */
    protected AbstractTensor(AbstractTensor owner, long[] shape) {
        this.backend = owner.backend;
        this.dtype = owner.dtype;
        this.shape = shape.clone();
        this.size = Shapes.size(this.shape);
        this.memoryOwner = owner.memoryOwner;
    }

    /**
     * A tensor of this class with {@code shape} over the same memory, built with the owner-taking constructor;
     * {@link #release()} is never called on it. The shape is already checked.
     */
    protected abstract AbstractTensor view(long[] shape);

    /** Writes {@code src[srcOffset, srcOffset+length)} to elements {@code [offset, offset+length)}; FLOAT32 only. */
    protected abstract void writeFloats(long offset, float[] src, int srcOffset, int length);

    /** Reads elements {@code [offset, offset+length)} into {@code dst[dstOffset..]}; FLOAT32 only. */
    protected abstract void readFloats(long offset, float[] dst, int dstOffset, int length);

    /** Writes {@code src[srcOffset, srcOffset+length)} to elements {@code [offset, offset+length)}; FLOAT64 only. */
    protected abstract void writeDoubles(long offset, double[] src, int srcOffset, int length);

    /** Reads elements {@code [offset, offset+length)} into {@code dst[dstOffset..]}; FLOAT64 only. */
    protected abstract void readDoubles(long offset, double[] dst, int dstOffset, int length);

    /** Sets all elements to zero. */
    protected abstract void zero();

    /** Frees the memory; called exactly once. */
    protected abstract void release();

    @Override
    public final Backend backend() {
        return backend;
    }

    @Override
    public final DType dtype() {
        return dtype;
    }

    @Override
    public final long[] shape() {
        return shape.clone();
    }

    @Override
    public final long dim(int dim) {
        Objects.checkIndex(dim, shape.length);
        return shape[dim];
    }

    @Override
    public final int rank() {
        return shape.length;
    }

    @Override
    public final long size() {
        return size;
    }

    @Override
    public final boolean isClosed() {
        return closed.get() || memoryOwner.closed.get();
    }

    /** Throws {@link IllegalStateException} if closed; backends call it before touching the memory. */
    public final void requireOpen() {
        if (isClosed()) {
            throw new IllegalStateException("tensor " + describe() + " is closed");
        }
    }

    /** {@code "FLOAT32[2, 3] on cpu"}, for messages. */
    public final String describe() {
        return dtype + Shapes.format(shape) + " on " + backend.name();
    }

    @Override
    public final void close() {
        if (closed.compareAndSet(false, true) && memoryOwner == this) {
            release();
        }
    }

    @Override
    public final Tensor reshape(long... newShape) {
        requireOpen();
        Objects.requireNonNull(newShape, "shape");
        for (long d : newShape) {
            if (d < 0) {
                throw new IllegalArgumentException("reshape: dimensions must be >= 0, got " + Shapes.format(newShape));
            }
        }
        if (Shapes.size(newShape) != size) {
            throw new IllegalArgumentException("reshape: " + describe() + " has " + size
                    + " elements, shape " + Shapes.format(newShape) + " has " + Shapes.size(newShape));
        }
        return view(newShape);
    }

    @Override
    public final void copyFrom(float[] src) {
        requireWholeLength(src.length);
        copyFrom(0, src, 0, src.length);
    }

    @Override
    public final void copyFrom(double[] src) {
        requireWholeLength(src.length);
        copyFrom(0, src, 0, src.length);
    }

    @Override
    public final void copyFrom(long offset, float[] src, int srcOffset, int length) {
        checkRange(offset, src.length, srcOffset, length);
        if (dtype == DType.FLOAT32) {
            writeFloats(offset, src, srcOffset, length);
            return;
        }
        double[] tmp = new double[Math.min(length, CONVERSION_CHUNK)];
        for (int done = 0; done < length; done += tmp.length) {
            int n = Math.min(tmp.length, length - done);
            for (int k = 0; k < n; k++) {
                tmp[k] = src[srcOffset + done + k];
            }
            writeDoubles(offset + done, tmp, 0, n);
        }
    }

    @Override
    public final void copyFrom(long offset, double[] src, int srcOffset, int length) {
        checkRange(offset, src.length, srcOffset, length);
        if (dtype == DType.FLOAT64) {
            writeDoubles(offset, src, srcOffset, length);
            return;
        }
        float[] tmp = new float[Math.min(length, CONVERSION_CHUNK)];
        for (int done = 0; done < length; done += tmp.length) {
            int n = Math.min(tmp.length, length - done);
            for (int k = 0; k < n; k++) {
                tmp[k] = (float) src[srcOffset + done + k];
            }
            writeFloats(offset + done, tmp, 0, n);
        }
    }

    @Override
    public final void copyTo(long offset, float[] dst, int dstOffset, int length) {
        checkRange(offset, dst.length, dstOffset, length);
        if (dtype == DType.FLOAT32) {
            readFloats(offset, dst, dstOffset, length);
            return;
        }
        double[] tmp = new double[Math.min(length, CONVERSION_CHUNK)];
        for (int done = 0; done < length; done += tmp.length) {
            int n = Math.min(tmp.length, length - done);
            readDoubles(offset + done, tmp, 0, n);
            for (int k = 0; k < n; k++) {
                dst[dstOffset + done + k] = (float) tmp[k];
            }
        }
    }

    @Override
    public final void copyTo(long offset, double[] dst, int dstOffset, int length) {
        checkRange(offset, dst.length, dstOffset, length);
        if (dtype == DType.FLOAT64) {
            readDoubles(offset, dst, dstOffset, length);
            return;
        }
        float[] tmp = new float[Math.min(length, CONVERSION_CHUNK)];
        for (int done = 0; done < length; done += tmp.length) {
            int n = Math.min(tmp.length, length - done);
            readFloats(offset + done, tmp, 0, n);
            for (int k = 0; k < n; k++) {
                dst[dstOffset + done + k] = tmp[k];
            }
        }
    }

    @Override
    public final void copyFrom(FloatBuffer src) {
        requireWholeLength(src.remaining());
        float[] tmp = new float[(int) Math.min(size, CONVERSION_CHUNK)];
        for (long done = 0; done < size; done += tmp.length) {
            int n = (int) Math.min(tmp.length, size - done);
            src.get(tmp, 0, n);
            copyFrom(done, tmp, 0, n);
        }
    }

    @Override
    public final void copyFrom(DoubleBuffer src) {
        requireWholeLength(src.remaining());
        double[] tmp = new double[(int) Math.min(size, CONVERSION_CHUNK)];
        for (long done = 0; done < size; done += tmp.length) {
            int n = (int) Math.min(tmp.length, size - done);
            src.get(tmp, 0, n);
            copyFrom(done, tmp, 0, n);
        }
    }

    @Override
    public final void copyTo(FloatBuffer dst) {
        requireOpen();
        if (dst.remaining() < size) {
            throw new IllegalArgumentException("destination buffer has " + dst.remaining()
                    + " elements remaining, tensor " + describe() + " needs " + size);
        }
        float[] tmp = new float[(int) Math.min(size, CONVERSION_CHUNK)];
        for (long done = 0; done < size; done += tmp.length) {
            int n = (int) Math.min(tmp.length, size - done);
            copyTo(done, tmp, 0, n);
            dst.put(tmp, 0, n);
        }
    }

    @Override
    public final void copyTo(DoubleBuffer dst) {
        requireOpen();
        if (dst.remaining() < size) {
            throw new IllegalArgumentException("destination buffer has " + dst.remaining()
                    + " elements remaining, tensor " + describe() + " needs " + size);
        }
        double[] tmp = new double[(int) Math.min(size, CONVERSION_CHUNK)];
        for (long done = 0; done < size; done += tmp.length) {
            int n = (int) Math.min(tmp.length, size - done);
            copyTo(done, tmp, 0, n);
            dst.put(tmp, 0, n);
        }
    }

    @Override
    public final float[] toFloatArray() {
        float[] out = new float[arrayLength()];
        copyTo(0, out, 0, out.length);
        return out;
    }

    @Override
    public final double[] toDoubleArray() {
        double[] out = new double[arrayLength()];
        copyTo(0, out, 0, out.length);
        return out;
    }

    @Override
    public final void fillZero() {
        requireOpen();
        zero();
    }

    @Override
    public String toString() {
        return (isClosed() ? "closed " : "") + describe();
    }

    private int arrayLength() {
        requireOpen();
        if (size > Integer.MAX_VALUE - 8) {
            throw new IllegalStateException("tensor " + describe() + " has " + size
                    + " elements, more than a Java array holds; copy it in ranges instead");
        }
        return (int) size;
    }

    private void requireWholeLength(long length) {
        requireOpen();
        if (length != size) {
            throw new IllegalArgumentException("source has " + length + " elements, tensor " + describe()
                    + " has " + size);
        }
    }

    private void checkRange(long offset, int arrayLength, int arrayOffset, int length) {
        requireOpen();
        if (length < 0 || arrayOffset < 0 || arrayOffset > arrayLength - length) {
            throw new IndexOutOfBoundsException("array range [" + arrayOffset + ", " + arrayOffset + " + "
                    + length + ") is outside an array of length " + arrayLength);
        }
        if (offset < 0 || offset > size - length) {
            throw new IndexOutOfBoundsException("tensor range [" + offset + ", " + offset + " + " + length
                    + ") is outside tensor " + describe() + " of " + size + " elements");
        }
    }
}
