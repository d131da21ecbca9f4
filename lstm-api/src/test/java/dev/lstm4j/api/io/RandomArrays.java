package dev.lstm4j.api.io;

import java.util.SplittableRandom;

/** Reproducible arrays of every dtype, including values that stress the encodings (negatives, extremes). */
final class RandomArrays {
    private RandomArrays() {
    }

    static NdArray of(ArrayDType dtype, long[] shape, long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        long n = 1;
        for (long d : shape) {
            n *= d;
        }
        int size = Math.toIntExact(n);
        return switch (dtype) {
            case FLOAT32 -> {
                float[] a = new float[size];
                for (int k = 0; k < size; k++) {
                    a[k] = (float) random.nextDouble(-1e6, 1e6);
                }
                yield NdArray.of(a, shape);
            }
            case FLOAT64 -> NdArray.of(random.doubles(size, -1e300, 1e300).toArray(), shape);
            case INT32 -> NdArray.of(random.ints(size).toArray(), shape);
            case INT64 -> NdArray.of(random.longs(size).toArray(), shape);
        };
    }
}
