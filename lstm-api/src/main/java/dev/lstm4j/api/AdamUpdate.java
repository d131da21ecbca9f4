package dev.lstm4j.api;

/**
 * One step of Adam, or of AdamW with {@code decoupled}, as PyTorch's {@code torch.optim.Adam} / {@code AdamW}
 * define them (no amsgrad). With {@code g} the gradient and {@code p} the parameter:
 * <pre>
 *   Adam:   g += weightDecay * p                      AdamW:  p *= 1 - lr * weightDecay
 *   m = beta1 * m + (1 - beta1) * g                   v = beta2 * v + (1 - beta2) * g²
 *   p -= lr * (m / (1 - beta1^step)) / (sqrt(v / (1 - beta2^step)) + eps)
 * </pre>
 *
 * @param step the step number, from 1 (for the bias corrections)
 */
public record AdamUpdate(double lr, double beta1, double beta2, double eps, double weightDecay, boolean decoupled,
                         long step) {

    public AdamUpdate {
        requireRange("lr", lr, 0, Double.MAX_VALUE);
        requireRange("beta1", beta1, 0, Math.nextDown(1.0));
        requireRange("beta2", beta2, 0, Math.nextDown(1.0));
        if (!(eps > 0) || Double.isInfinite(eps)) {
            throw new IllegalArgumentException("eps must be > 0 and finite, got " + eps);
        }
        requireRange("weightDecay", weightDecay, 0, Double.MAX_VALUE);
        if (step < 1) {
            throw new IllegalArgumentException("step counts from 1, got " + step);
        }
    }

    /** PyTorch's defaults (betas 0.9, 0.999, eps 1e-8, no weight decay) at {@code lr} and {@code step}. */
    public static AdamUpdate of(double lr, long step) {
        return new AdamUpdate(lr, 0.9, 0.999, 1e-8, 0, false, step);
    }

    /** {@code 1 - beta1^step}. */
    public double biasCorrection1() {
        return 1 - Math.pow(beta1, step);
    }

    /** {@code 1 - beta2^step}. */
    public double biasCorrection2() {
        return 1 - Math.pow(beta2, step);
    }

    static void requireRange(String name, double value, double min, double max) {
        if (!(value >= min && value <= max)) {
            throw new IllegalArgumentException(name + " must be in [" + min + ", " + max + "], got " + value);
        }
    }
}
