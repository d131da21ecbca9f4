package dev.lstm4j.bench;

/**
 * Whether a peer computed the same function as lstm4j on the same weights and inputs: the largest absolute
 * differences of y and (for training) dL/dx, against a float32 tolerance scaled by the sequence length, since
 * rounding differences grow along the recurrence.
 *
 * @param outputDiff         max |y_peer - y_lstm4j|
 * @param inputGradientDiff  max |dx_peer - dx_lstm4j|, NaN for inference
 * @param tolerance          the bound both differences must stay within
 */
public record Agreement(double outputDiff, double inputGradientDiff, double tolerance) {

    /**
     * The bound for float32 engines on the same function: 1e-4 relative to the largest magnitude involved
     * (at least 1). Float32 rounding differences between GEMM orderings stay near 1e-6 per step and grow
     * slowly along the recurrence; a wrong gate order or a missing bias gives differences near 1e-1.
     */
    static double tolerance(double scale) {
        return 1e-4 * Math.max(1.0, scale);
    }

    public boolean agrees() {
        return outputDiff <= tolerance && (Double.isNaN(inputGradientDiff) || inputGradientDiff <= tolerance);
    }
}
