package dev.lstm4j.api.io;

import java.lang.reflect.Array;
import java.util.Arrays;
import java.util.Objects;

/**
 * An n-dimensional array on the Java heap, row-major (C order), as NPY and safetensors files hold them.
 * Rank 0 (a scalar, shape {@code []}) has one element.
 *
 * <p>Immutable: the factories and accessors copy, so an array read from a file cannot change under
 * whoever else holds it.
 */
public final class NdArray {
    /** Most elements a Java array can hold on common JVMs. */
    public static final int MAX_ELEMENTS = Integer.MAX_VALUE - 8;

    private final ArrayDType dtype;
    private final long[] shape;
    private final Object data;   // float[] | double[] | int[] | long[] matching dtype, length = product of shape

    private NdArray(ArrayDType dtype, long[] shape, Object data) {
        this.dtype = dtype;
        this.shape = shape;
        this.data = data;
    }

    public static NdArray of(float[] data, long... shape) {
        return checked(ArrayDType.FLOAT32, shape, data.clone(), data.length);
    }

    public static NdArray of(double[] data, long... shape) {
        return checked(ArrayDType.FLOAT64, shape, data.clone(), data.length);
    }

    public static NdArray of(int[] data, long... shape) {
        return checked(ArrayDType.INT32, shape, data.clone(), data.length);
    }

    public static NdArray of(long[] data, long... shape) {
        return checked(ArrayDType.INT64, shape, data.clone(), data.length);
    }

    /** Takes ownership of {@code data} without copying; for readers that just allocated it. */
    static NdArray wrap(ArrayDType dtype, long[] shape, Object data) {
        return checked(dtype, shape, data, Array.getLength(data));
    }

    private static NdArray checked(ArrayDType dtype, long[] shape, Object data, int length) {
        long[] copy = Objects.requireNonNull(shape, "shape").clone();
        long size = elementCount(copy);
        if (size != length) {
            throw new IllegalArgumentException("shape " + Arrays.toString(copy) + " needs " + size
                    + " elements, got " + length);
        }
        return new NdArray(dtype, copy, data);
    }

    /** Product of the dimensions, or -1 when a dimension is negative or the product overflows a long. */
    static long elementCountOrMinusOne(long[] shape) {
        long n = 1;
        for (long d : shape) {
            if (d < 0) {
                return -1;
            }
            if (d != 0 && n > Long.MAX_VALUE / d) {
                return -1;
            }
            n *= d;
        }
        return n;
    }

    private static long elementCount(long[] shape) {
        long n = elementCountOrMinusOne(shape);
        if (n < 0) {
            throw new IllegalArgumentException("shape " + Arrays.toString(shape)
                    + " has a negative dimension or more than " + Long.MAX_VALUE + " elements");
        }
        return n;
    }

    public ArrayDType dtype() {
        return dtype;
    }

    /** A copy of the shape; empty for a scalar. */
    public long[] shape() {
        return shape.clone();
    }

    public int rank() {
        return shape.length;
    }

    /** Number of elements. */
    public int size() {
        return Array.getLength(data);
    }

    /** A copy of the elements; only for FLOAT32 arrays. */
    public float[] floats() {
        return ((float[]) require(ArrayDType.FLOAT32, "floats()")).clone();
    }

    /** A copy of the elements; only for FLOAT64 arrays. */
    public double[] doubles() {
        return ((double[]) require(ArrayDType.FLOAT64, "doubles()")).clone();
    }

    /** A copy of the elements; only for INT32 arrays. */
    public int[] ints() {
        return ((int[]) require(ArrayDType.INT32, "ints()")).clone();
    }

    /** A copy of the elements; only for INT64 arrays. */
    public long[] longs() {
        return ((long[]) require(ArrayDType.INT64, "longs()")).clone();
    }

    /** The elements of any dtype as doubles (INT64 values beyond 2^53 round). */
    public double[] toDoubles() {
        double[] out = new double[size()];
        switch (dtype) {
            case FLOAT32 -> {
                float[] a = (float[]) data;
                for (int k = 0; k < out.length; k++) {
                    out[k] = a[k];
                }
            }
            case FLOAT64 -> System.arraycopy(data, 0, out, 0, out.length);
            case INT32 -> Arrays.setAll(out, k -> ((int[]) data)[k]);
            case INT64 -> Arrays.setAll(out, k -> ((long[]) data)[k]);
        }
        return out;
    }

    /** The elements of any dtype as floats, rounded to nearest. */
    public float[] toFloats() {
        if (dtype == ArrayDType.FLOAT32) {
            return floats();
        }
        double[] wide = toDoubles();
        float[] out = new float[wide.length];
        for (int k = 0; k < out.length; k++) {
            out[k] = (float) wide[k];
        }
        return out;
    }

    /** The backing array itself, for writers in this package; never handed out. */
    Object data() {
        return data;
    }

    private Object require(ArrayDType expected, String accessor) {
        if (dtype != expected) {
            throw new IllegalStateException(accessor + " needs a " + expected + " array, this one is "
                    + dtype + "; use toDoubles() or toFloats() to convert");
        }
        return data;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof NdArray other && dtype == other.dtype && Arrays.equals(shape, other.shape)
                && Arrays.deepEquals(new Object[] {data}, new Object[] {other.data});
    }

    @Override
    public int hashCode() {
        return Objects.hash(dtype, Arrays.hashCode(shape), Arrays.deepHashCode(new Object[] {data}));
    }

    @Override
    public String toString() {
        return "NdArray" + dtype + Arrays.toString(shape);
    }
}
