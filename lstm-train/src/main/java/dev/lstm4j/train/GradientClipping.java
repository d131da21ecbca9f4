package dev.lstm4j.train;

import java.util.List;

/** Global-norm gradient clipping, as {@code torch.nn.utils.clip_grad_norm_} with the 2-norm. */
public final class GradientClipping {
    private GradientClipping() {
    }

    /** The 2-norm of all gradients together. */
    public static double globalNorm(List<Parameter> parameters) {
        double sum = 0;
        for (Parameter p : parameters) {
            sum += p.value().backend().sumOfSquares(p.grad());
        }
        return Math.sqrt(sum);
    }

    /**
     * Scales every gradient by {@code maxNorm / (norm + 1e-6)} when the global norm exceeds {@code maxNorm}
     * and returns the norm before clipping (for logging). A non-finite norm is returned unchanged and
     * nothing is scaled, so that the caller can skip the step.
     */
    public static double clipGlobalNorm(List<Parameter> parameters, double maxNorm) {
        if (!(maxNorm > 0) || Double.isInfinite(maxNorm)) {
            throw new IllegalArgumentException("maxNorm must be > 0 and finite, got " + maxNorm);
        }
        double norm = globalNorm(parameters);
        double coefficient = maxNorm / (norm + 1e-6);
        if (Double.isFinite(norm) && coefficient < 1) {
            for (Parameter p : parameters) {
                p.value().backend().scale(coefficient, p.grad());
            }
        }
        return norm;
    }
}
