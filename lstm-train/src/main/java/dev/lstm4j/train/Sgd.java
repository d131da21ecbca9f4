package dev.lstm4j.train;

import dev.lstm4j.api.SgdUpdate;
import dev.lstm4j.api.Tensor;

/**
 * SGD with optional momentum, Nesterov momentum and weight decay, as {@code torch.optim.SGD} (see
 * {@link SgdUpdate}); its slot is PyTorch's {@code momentum_buffer}. The buffer starts at zero, which gives
 * PyTorch's first step (buffer = gradient) because dampening is 0.
 */
public final class Sgd extends SlotOptimizer {
    private final double momentum;
    private final double weightDecay;
    private final boolean nesterov;

    public Sgd(double momentum, double weightDecay, boolean nesterov) {
        super("momentum_buffer");
        new SgdUpdate(0, momentum, weightDecay, nesterov);   // validates the settings
        this.momentum = momentum;
        this.weightDecay = weightDecay;
        this.nesterov = nesterov;
    }

    @Override
    void update(Parameter p, Tensor[] slots, double lr, long step) {
        p.value().backend().sgd(p.value(), p.grad(), slots[0], new SgdUpdate(lr, momentum, weightDecay, nesterov));
    }
}
