package dev.lstm4j.cpu;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/**
 * {@link FastMath} against the double formulas. The bounds hold on every float: tanh's is what
 * {@code src/main/scripts/fit_tanh.py} checks, and a one-off Java loop checked both. Here every
 * {@link #STRIDE}-th bit pattern is checked, which walks through all exponents and, the stride being
 * odd and prime, through scattered mantissas.
 */
class FastMathTest {

    // About 5 million floats per sign in [0, 10]; 1 checks all of them (minutes).
    private static final int STRIDE = 211;

    // Over every float in [-20, 20] the largest error is 9.139e-8, at x = 3.5527058 (1.53 ulp of σ = 0.97).
    private static final double SIGMOID_ABS_BOUND = 9.2e-8;
    private static final float SIGMOID_WORST_X = 3.5527058f;

    @Test
    void tanhIsWithinTwoUlpOfMathTanhOnFloatsInMinus10To10() {
        Worst worst = new Worst();
        int end = Float.floatToRawIntBits(10f);
        for (int bits = 0; bits <= end; bits += STRIDE) {
            float x = Float.intBitsToFloat(bits);
            worst.offer(x, ulpDistance(FastMath.tanh(x), (float) Math.tanh(x)));
            worst.offer(-x, ulpDistance(FastMath.tanh(-x), (float) Math.tanh(-x)));
        }
        assertTrue(worst.ulps <= 2, worst::toString);
    }

    @Test
    void tanhIsWithinTwoUlpWhereRoundingTheDenominatorWouldCostThree() {
        // Without the denominator's rounding correction, floats near 0.5356 (tanh just below 0.5,
        // h just above) reach 3 ulp. Every float of that neighbourhood.
        Worst worst = new Worst();
        for (int bits = Float.floatToRawIntBits(0.53f); bits <= Float.floatToRawIntBits(0.54f); bits++) {
            float x = Float.intBitsToFloat(bits);
            worst.offer(x, ulpDistance(FastMath.tanh(x), (float) Math.tanh(x)));
        }
        assertTrue(worst.ulps <= 2, worst::toString);
    }

    @Test
    void tanhIsOddAndWithinMinus1To1() {
        int end = Float.floatToRawIntBits(20f);
        for (int bits = 0; bits <= end; bits += STRIDE) {
            float x = Float.intBitsToFloat(bits);
            float y = FastMath.tanh(x);
            if (Float.floatToRawIntBits(FastMath.tanh(-x)) != Float.floatToRawIntBits(-y) || y > 1f) {
                assertEquals(-y, FastMath.tanh(-x), "tanh(-x) = -tanh(x) at x = " + x);
                assertTrue(y <= 1f, "tanh(" + x + ") = " + y + " > 1");
            }
        }
    }

    @Test
    void tanhKeepsSpecialValues() {
        assertTrue(Float.isNaN(FastMath.tanh(Float.NaN)));
        assertSameFloat(1f, FastMath.tanh(Float.POSITIVE_INFINITY));
        assertSameFloat(-1f, FastMath.tanh(Float.NEGATIVE_INFINITY));
        assertSameFloat(1f, FastMath.tanh(Float.MAX_VALUE));
        assertSameFloat(-1f, FastMath.tanh(-Float.MAX_VALUE));
        assertSameFloat(1f, FastMath.tanh(1e30f));
        assertSameFloat(1f, FastMath.tanh(10f));
        assertSameFloat(1f, FastMath.tanh(9.5f));
        assertSameFloat(0f, FastMath.tanh(0f));
        assertSameFloat(-0f, FastMath.tanh(-0f));
        for (float tiny : new float[] {Float.MIN_VALUE, 3e-42f, Float.MIN_NORMAL, 1e-20f, 1e-8f}) {
            assertSameFloat(tiny, FastMath.tanh(tiny));
            assertSameFloat(-tiny, FastMath.tanh(-tiny));
        }
    }

    @Test
    void sigmoidIsWithinItsAbsoluteBoundOfTheExactValueOnFloatsInMinus20To20() {
        double worstError = Math.abs(FastMath.sigmoid(SIGMOID_WORST_X) - exactSigmoid(SIGMOID_WORST_X));
        float worstX = SIGMOID_WORST_X;
        int end = Float.floatToRawIntBits(20f);
        for (int bits = 0; bits <= end; bits += STRIDE) {
            for (float x : new float[] {Float.intBitsToFloat(bits), -Float.intBitsToFloat(bits)}) {
                double error = Math.abs(FastMath.sigmoid(x) - exactSigmoid(x));
                if (error > worstError) {
                    worstError = error;
                    worstX = x;
                }
            }
        }
        assertTrue(worstError <= SIGMOID_ABS_BOUND, "|error| " + worstError + " at x = " + worstX);
    }

    @Test
    void sigmoidIsWithinTwoUlpWhereItIsAtLeastAQuarter() {
        // σ(x) >= 1/4 from x = -ln 3 = -1.0986 on; above 17 it is 1 in float.
        Worst worst = new Worst();
        int end = Float.floatToRawIntBits(17f);
        for (int bits = 0; bits <= end; bits += STRIDE) {
            float x = Float.intBitsToFloat(bits);
            worst.offer(x, ulpDistance(FastMath.sigmoid(x), (float) exactSigmoid(x)));
            if (x <= 1.0986f) {
                worst.offer(-x, ulpDistance(FastMath.sigmoid(-x), (float) exactSigmoid(-x)));
            }
        }
        assertTrue(worst.ulps <= 2, worst::toString);
    }

    @Test
    void sigmoidKeepsSpecialValues() {
        assertTrue(Float.isNaN(FastMath.sigmoid(Float.NaN)));
        assertSameFloat(1f, FastMath.sigmoid(Float.POSITIVE_INFINITY));
        assertSameFloat(0f, FastMath.sigmoid(Float.NEGATIVE_INFINITY));
        assertSameFloat(1f, FastMath.sigmoid(Float.MAX_VALUE));
        assertSameFloat(0f, FastMath.sigmoid(-Float.MAX_VALUE));
        assertSameFloat(0.5f, FastMath.sigmoid(0f));
        assertSameFloat(0.5f, FastMath.sigmoid(-0f));
        assertSameFloat(0.5f, FastMath.sigmoid(Float.MIN_VALUE));
    }

    @Test
    void fastMathPropertyTurnsOffOnlyOnFalse() {
        assertTrue(FastMath.enabled(null));
        assertTrue(FastMath.enabled("true"));
        assertTrue(FastMath.enabled(""));
        assertFalse(FastMath.enabled("false"));
        assertFalse(FastMath.enabled(" FALSE "));
    }

    private static double exactSigmoid(float x) {
        return 1.0 / (1.0 + Math.exp(-(double) x));
    }

    /** Floats strictly between a and b, plus one; 0 for a == b and for +0 against -0. */
    private static long ulpDistance(float a, float b) {
        return Math.abs(orderedBits(a) - orderedBits(b));
    }

    /** The bit pattern as a signed magnitude, so that consecutive floats differ by 1 across zero. */
    private static long orderedBits(float f) {
        int bits = Float.floatToRawIntBits(f);
        return bits < 0 ? -(long) (bits & 0x7fffffff) : bits;
    }

    private static void assertSameFloat(float expected, float actual) {
        // assertEquals(float, float) compares bit patterns after NaN folding, so it tells -0 from +0.
        assertEquals(expected, actual);
    }

    /** The largest ulp distance seen and where. */
    private static final class Worst {
        long ulps;
        float x;

        void offer(float at, long distance) {
            if (distance > ulps) {
                ulps = distance;
                x = at;
            }
        }

        @Override
        public String toString() {
            return ulps + " ulp at x = " + x + " (bits 0x" + Integer.toHexString(Float.floatToRawIntBits(x)) + ")";
        }
    }
}
