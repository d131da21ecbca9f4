package dev.lstm4j.train;

import dev.lstm4j.api.AdamUpdate;
import dev.lstm4j.api.Tensor;

/**
 * Adam, or AdamW with decoupled weight decay, as {@code torch.optim.Adam} / {@code AdamW} define them (see
 * {@link AdamUpdate}); the update runs as one backend kernel per parameter. Its slots are PyTorch's
 * {@code exp_avg} and {@code exp_avg_sq}.
 */
public final class Adam extends SlotOptimizer {
    private final double beta1;
    private final double beta2;
    private final double eps;
    private final double weightDecay;
    private final boolean decoupled;

    public Adam(double beta1, double beta2, double eps, double weightDecay, boolean decoupled) {
        super("exp_avg", "exp_avg_sq");
        new AdamUpdate(0, beta1, beta2, eps, weightDecay, decoupled, 1);   // validates the settings
        this.beta1 = beta1;
        this.beta2 = beta2;
        this.eps = eps;
        this.weightDecay = weightDecay;
        this.decoupled = decoupled;
    }

    /** PyTorch's Adam defaults: betas (0.9, 0.999), eps 1e-8, no weight decay. */
    public static Adam defaults() {
        return new Adam(0.9, 0.999, 1e-8, 0, false);
    }

    /** AdamW with PyTorch's defaults and the given decoupled weight decay (PyTorch's default is 0.01). */
    public static Adam adamW(double weightDecay) {
        return new Adam(0.9, 0.999, 1e-8, weightDecay, true);
    }

    @Override
    void update(Parameter p, Tensor[] slots, double lr, long step) {
        AdamUpdate update = new AdamUpdate(lr, beta1, beta2, eps, weightDecay, decoupled, step);
        p.value().backend().adam(p.value(), p.grad(), slots[0], slots[1], update);
    }
}
