package dev.lstm4j.api.io;

import java.util.Arrays;

/** Element type of an {@link NdArray} in memory; each maps to one Java primitive array type. */
public enum ArrayDType {
    /** {@code float[]}. */
    FLOAT32(4),
    /** {@code double[]}. */
    FLOAT64(8),
    /** {@code int[]}. */
    INT32(4),
    /** {@code long[]}. */
    INT64(8);

    private final int byteSize;

    ArrayDType(int byteSize) {
        this.byteSize = byteSize;
    }

    /** Bytes per element. */
    public int byteSize() {
        return byteSize;
    }

    /** The on-disk encoding that stores this type without loss. */
    public StoredDType stored() {
        return switch (this) {
            case FLOAT32 -> StoredDType.F32;
            case FLOAT64 -> StoredDType.F64;
            case INT32 -> StoredDType.I32;
            case INT64 -> StoredDType.I64;
        };
    }

    Object newArray(int length) {
        return switch (this) {
            case FLOAT32 -> new float[length];
            case FLOAT64 -> new double[length];
            case INT32 -> new int[length];
            case INT64 -> new long[length];
        };
    }

    Object copyOf(Object array, int length) {
        return switch (this) {
            case FLOAT32 -> Arrays.copyOf((float[]) array, length);
            case FLOAT64 -> Arrays.copyOf((double[]) array, length);
            case INT32 -> Arrays.copyOf((int[]) array, length);
            case INT64 -> Arrays.copyOf((long[]) array, length);
        };
    }
}
