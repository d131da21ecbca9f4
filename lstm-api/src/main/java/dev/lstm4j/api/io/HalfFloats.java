package dev.lstm4j.api.io;

/** Widening of the 16-bit float formats PyTorch saves half-precision models in. Java 17 has neither. */
final class HalfFloats {
    private static final int HALF_EXPONENT_MAX = 0x1f;
    // float32 bias 127 minus float16 bias 15
    private static final int EXPONENT_REBIAS = 112;

    private HalfFloats() {
    }

    /** IEEE 754 binary16 (1 sign, 5 exponent, 10 mantissa bits) to float; exact for every value. */
    static float halfToFloat(short bits) {
        int h = bits & 0xffff;
        int sign = (h & 0x8000) << 16;
        int exponent = (h >>> 10) & HALF_EXPONENT_MAX;
        int mantissa = h & 0x3ff;
        if (exponent == HALF_EXPONENT_MAX) {
            // infinity (mantissa 0) or NaN, keeping the payload
            return Float.intBitsToFloat(sign | 0x7f800000 | (mantissa << 13));
        }
        if (exponent == 0) {
            // zero or subnormal: mantissa * 2^-24, exactly representable in float
            float magnitude = mantissa * 0x1p-24f;
            return sign == 0 ? magnitude : -magnitude;
        }
        return Float.intBitsToFloat(sign | ((exponent + EXPONENT_REBIAS) << 23) | (mantissa << 13));
    }

    /** bfloat16 is the upper half of a float32: same sign and exponent, mantissa cut to 7 bits. */
    static float bfloat16ToFloat(short bits) {
        return Float.intBitsToFloat((bits & 0xffff) << 16);
    }
}
