package dev.lstm4j.train;

import dev.lstm4j.api.AdamUpdate;
import dev.lstm4j.api.Closeables;
import dev.lstm4j.api.Tensor;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Adam, or AdamW with decoupled weight decay, as {@code torch.optim.Adam} / {@code AdamW} define them (see
 * {@link AdamUpdate}); the update runs as one backend kernel per parameter.
 */
public final class Adam implements Optimizer {
    private final double beta1;
    private final double beta2;
    private final double eps;
    private final double weightDecay;
    private final boolean decoupled;
    private final Map<String, Tensor[]> moments = new LinkedHashMap<>();   // name -> {m, v}
    private long steps;

    public Adam(double beta1, double beta2, double eps, double weightDecay, boolean decoupled) {
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
    public void step(List<Parameter> parameters, double lr) {
        AdamUpdate update = new AdamUpdate(lr, beta1, beta2, eps, weightDecay, decoupled, steps + 1);
        for (Parameter p : parameters) {
            Tensor[] mv = moments.computeIfAbsent(p.name(), name -> OptimizerState.zerosLike(p.value(), 2));
            OptimizerState.requireSameShape(p, mv[0]);
            p.value().backend().adam(p.value(), p.grad(), mv[0], mv[1], update);
        }
        steps++;
    }

    @Override
    public long steps() {
        return steps;
    }

    @Override
    public void close() {
        for (Tensor[] mv : moments.values()) {
            Closeables.closeAll(mv);
        }
        moments.clear();
    }
}
