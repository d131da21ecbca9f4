package dev.lstm4j.cpu;

import dev.lstm4j.api.LstmConfig;

/**
 * {@code tanh} and the logistic sigmoid {@code σ(x) = 1 / (1 + e^-x)} on float, written so that HotSpot
 * C2 (JDK 17, no flags) auto-vectorises a plain loop such as
 * {@code for (int j = 0; j < n; j++) out[j] = FastMath.tanh(in[j]);}. That rules out calls such as
 * {@link Math#exp}, branches, and conversions (float to double or int); what remains is
 * {@code + - * /} and {@link Math#min}/{@link Math#max}, which C2 turns into vector instructions.
 *
 * <pre>
 *   tanh(x) = h / (1 + h²/4)          h = 2 tanh(x/2)  (double-angle formula)
 *   h       ≈ x + x·n·K(n)/Q(n)      n = -x², K and Q quadratics, x clamped to [-10, 10]
 *   σ(x)    = 1/2 + tanh(x/2)/2
 * </pre>
 *
 * Why this shape rather than the usual odd rational {@code x·P(x²)/Q(x²)}: that one is accurate in
 * exact arithmetic but loses up to 5 ulp to its own float roundings. The double-angle step damps an
 * error in {@code h} by {@code sech(x)}, which fixes large {@code x}; writing {@code h} as {@code x} plus
 * a correction makes the correction's roundings count only in proportion to its size, which fixes
 * small {@code x}. The one undamped rounding left, of {@code 1 + h²/4}, is measured exactly and
 * corrected. {@code src/main/scripts/fit_tanh.py} has the longer story and fits the coefficients.
 *
 * <p>Accuracy, checked on every float (see {@code FastMathTest} for the sampled version):
 * <ul>
 *   <li>{@code tanh}: at most 2 ulp from {@code (float) Math.tanh(x)}; ±1 exactly for |x| ≥ 10 and
 *       ±Inf; ±0 and subnormals map to themselves; |result| ≤ 1; odd (tanh(-x) = -tanh(x) bit for bit).
 *   <li>{@code sigmoid}: at most 9.2e-8 from the exact value (1.53 ulp of values near 1), and at most
 *       2 ulp from the rounded exact value where σ(x) ≥ 1/4. Below that only the absolute bound holds:
 *       {@code 1/2 + tanh/2} cancels, so for very negative x the result has few correct digits (and
 *       is 0 below about x = -18, where σ is under 1.6e-8). LSTM gates add and multiply these values, so
 *       an absolute error under float rounding of values near 1 is what matters. -Inf gives 0, +Inf 1.
 *   <li>Both: NaN in, NaN out ({@code Math.min} returns NaN when either argument is NaN).
 * </ul>
 *
 * <p>System property {@code lstm.cpu.fastmath}: {@code false} = use the exact scalar formulas
 * ({@code (float) Math.tanh}, {@code 1 / (1 + Math.exp(-x))} in double; slower), for debugging. Read
 * once; a constant to C2, so the check costs nothing in the compiled loop.
 */
final class FastMath {

    /** {@code false} when {@code lstm.cpu.fastmath} / {@code LSTM_CPU_FASTMATH} is {@code false}. */
    static final boolean ENABLED = enabled(LstmConfig.CPU_FASTMATH.value().orElse(null));

    // Float tanh is exactly ±1 from |x| = 9.011 on. Clamping at 10 keeps x² (and the polynomials)
    // finite for huge x, and h(10) is so close to 2 that h / (1 + h²/4) rounds to exactly 1.
    private static final float CLAMP = 10f;

    // Produced by lstm-cpu/src/main/scripts/fit_tanh.py: minimax fit of the relative error over
    // [0, 10], 2e-8 in exact arithmetic; as evaluated below, max 2 ulp over every float (78,897 of
    // the 1.09e9 floats in [0, 10.5] at 2 ulp, the rest at 0 or 1). The polynomials are in n = -x²
    // (signs flipped to match) so that tanh(-0) is -0: the correction a·n·K/Q is then -0 for a = -0,
    // and -0 + -0 stays -0 where -0 + +0 would not.
    private static final float K0 = 0.08333325f;
    private static final float K1 = -0.0009697834f;
    private static final float K2 = 6.6336e-08f;
    private static final float Q1 = -0.11163635f;
    private static final float Q2 = 0.0010457004f;

    private FastMath() {
    }

    static float tanh(float x) {
        if (!ENABLED) {
            return (float) Math.tanh(x);
        }
        float a = Math.max(-CLAMP, Math.min(CLAMP, x));
        // 0f - a*a, not -(a*a): it is +0 at a = 0 (see the coefficients). javac and C2 keep it, as
        // 0 - v and -v differ for v = +0.
        float n = 0f - a * a;
        float k = (K2 * n + K1) * n + K0;
        float q = (Q2 * n + Q1) * n + 1f;
        float h = a + (a * n) * (k / q);
        float q4 = (0.25f * h) * h;
        float den = 1f + q4;
        float y = h / den;
        // Rounding den costs up to 1 ulp near den = 1, and nothing damps it there. (den - 1) - q4 is
        // that rounding error exactly (Fast2Sum: den - 1 is exact for den in [1, 2]), so y·error/den
        // removes it. 2 - den stands in for 1/den: equal at den = 1, where it matters, and 0 at den = 2,
        // so tanh(±10) and beyond stays exactly ±1. Adding (not subtracting) keeps tanh(-0) = -0.
        return y + y * (((den - 1f) - q4) * (2f - den));
    }

    static float sigmoid(float x) {
        if (!ENABLED) {
            return (float) (1.0 / (1.0 + Math.exp(-(double) x)));
        }
        return 0.5f + 0.5f * tanh(0.5f * x);
    }

    /** Only {@code false} (any case) turns the fast path off; unset or anything else keeps it. */
    static boolean enabled(String property) {
        return property == null || !property.trim().equalsIgnoreCase("false");
    }
}
