package dev.lstm4j.api.io;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class HalfFloatsTest {

    private static float half(int bits) {
        return HalfFloats.halfToFloat((short) bits);
    }

    private static float bf16(int bits) {
        return HalfFloats.bfloat16ToFloat((short) bits);
    }

    @Test
    void knownHalfValuesWidenExactly() {
        assertEquals(1f, half(0x3c00));
        assertEquals(-2f, half(0xc000));
        assertEquals(65504f, half(0x7bff), "largest finite half");
        assertEquals(0x1p-14f, half(0x0400), "smallest normal");
        assertEquals(0x1p-24f, half(0x0001), "smallest subnormal");
        assertEquals(0.333251953125f, half(0x3555));
        assertEquals(Float.floatToRawIntBits(-0f), Float.floatToRawIntBits(half(0x8000)), "negative zero");
        assertEquals(Float.POSITIVE_INFINITY, half(0x7c00));
        assertEquals(Float.NEGATIVE_INFINITY, half(0xfc00));
        assertTrue(Float.isNaN(half(0x7e00)));
    }

    @Test
    void everyFiniteHalfMatchesItsDefinitionSignExponentMantissa() {
        for (int b = 0; b < 0x10000; b++) {
            int bits = b;
            int exponent = (bits >>> 10) & 0x1f;
            if (exponent == 0x1f) {
                assertTrue(Float.isInfinite(half(bits)) || Float.isNaN(half(bits)), Integer.toHexString(bits));
                continue;
            }
            int mantissa = bits & 0x3ff;
            double magnitude = exponent == 0 ? Math.scalb((double) mantissa, -24)
                    : Math.scalb(1 + mantissa / 1024.0, exponent - 15);
            double expected = (bits & 0x8000) != 0 ? -magnitude : magnitude;
            assertEquals((float) expected, half(bits), () -> "half 0x" + Integer.toHexString(bits));
        }
    }

    @Test
    void knownBfloat16ValuesWidenExactly() {
        assertEquals(1f, bf16(0x3f80));
        assertEquals(-3f, bf16(0xc040));
        assertEquals(3.140625f, bf16(0x4049));
        assertEquals(0x1p-133f, bf16(0x0001), "smallest subnormal");
        assertEquals(Float.POSITIVE_INFINITY, bf16(0x7f80));
        assertTrue(Float.isNaN(bf16(0x7fc0)));
    }
}
