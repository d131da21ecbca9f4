package dev.lstm4j.api.io;

import java.nio.ByteBuffer;

/**
 * Element encoding inside a file: always little-endian. Each is read into the {@link ArrayDType} of
 * {@link #decodedAs()}; the 16-bit floats widen to FLOAT32 and are read-only.
 *
 * <p>Constant names are the safetensors dtype codes.
 */
public enum StoredDType {
    /** IEEE binary16, numpy {@code <f2}; read as FLOAT32. */
    F16(2, ArrayDType.FLOAT32, "<f2"),
    /** bfloat16, no numpy equivalent; read as FLOAT32. */
    BF16(2, ArrayDType.FLOAT32, null),
    F32(4, ArrayDType.FLOAT32, "<f4"),
    F64(8, ArrayDType.FLOAT64, "<f8"),
    I32(4, ArrayDType.INT32, "<i4"),
    I64(8, ArrayDType.INT64, "<i8");

    private final int byteSize;
    private final ArrayDType decodedAs;
    private final String npyDescr;

    StoredDType(int byteSize, ArrayDType decodedAs, String npyDescr) {
        this.byteSize = byteSize;
        this.decodedAs = decodedAs;
        this.npyDescr = npyDescr;
    }

    /** Bytes per element in the file. */
    public int byteSize() {
        return byteSize;
    }

    /** The in-memory type elements are read into. */
    public ArrayDType decodedAs() {
        return decodedAs;
    }

    /** Whether arrays can be written in this encoding (false for the 16-bit floats, which are read-only). */
    public boolean isWritable() {
        return byteSize == decodedAs.byteSize();
    }

    /** The numpy type string, e.g. {@code <f4}; {@code null} for BF16, which numpy lacks. */
    public String npyDescr() {
        return npyDescr;
    }

    /** Decodes {@code count} elements from {@code src} (little-endian) into {@code dst[dstOffset..]}. */
    void decode(ByteBuffer src, Object dst, int dstOffset, int count) {
        switch (this) {
            case F16 -> {
                float[] out = (float[]) dst;
                for (int k = 0; k < count; k++) {
                    out[dstOffset + k] = HalfFloats.halfToFloat(src.getShort());
                }
            }
            case BF16 -> {
                float[] out = (float[]) dst;
                for (int k = 0; k < count; k++) {
                    out[dstOffset + k] = HalfFloats.bfloat16ToFloat(src.getShort());
                }
            }
            case F32 -> src.asFloatBuffer().get((float[]) dst, dstOffset, count);
            case F64 -> src.asDoubleBuffer().get((double[]) dst, dstOffset, count);
            case I32 -> src.asIntBuffer().get((int[]) dst, dstOffset, count);
            case I64 -> src.asLongBuffer().get((long[]) dst, dstOffset, count);
        }
        if (byteSize > 2) {
            // the typed views above do not advance their parent buffer
            src.position(src.position() + count * byteSize);
        }
    }

    /** Encodes {@code count} elements of {@code src[srcOffset..]} into {@code dst} (little-endian). */
    void encode(Object src, int srcOffset, int count, ByteBuffer dst) {
        switch (this) {
            case F32 -> dst.asFloatBuffer().put((float[]) src, srcOffset, count);
            case F64 -> dst.asDoubleBuffer().put((double[]) src, srcOffset, count);
            case I32 -> dst.asIntBuffer().put((int[]) src, srcOffset, count);
            case I64 -> dst.asLongBuffer().put((long[]) src, srcOffset, count);
            default -> throw new UnsupportedOperationException(
                    this + " is read-only: lstm4j reads it as " + decodedAs + " but does not write it");
        }
        dst.position(dst.position() + count * byteSize);
    }
}
