package dev.lstm4j.train;

import dev.lstm4j.api.Closeables;
import dev.lstm4j.api.SgdUpdate;
import dev.lstm4j.api.Tensor;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** SGD with optional momentum, Nesterov momentum and weight decay, as {@code torch.optim.SGD} (see {@link SgdUpdate}). */
public final class Sgd implements Optimizer {
    private final double momentum;
    private final double weightDecay;
    private final boolean nesterov;
    private final Map<String, Tensor> velocities = new LinkedHashMap<>();
    private long steps;

    public Sgd(double momentum, double weightDecay, boolean nesterov) {
        new SgdUpdate(0, momentum, weightDecay, nesterov);   // validates the settings
        this.momentum = momentum;
        this.weightDecay = weightDecay;
        this.nesterov = nesterov;
    }

    @Override
    public void step(List<Parameter> parameters, double lr) {
        SgdUpdate update = new SgdUpdate(lr, momentum, weightDecay, nesterov);
        for (Parameter p : parameters) {
            // zeros reproduce PyTorch's first step (buffer = g) because dampening is 0
            Tensor velocity = velocities.computeIfAbsent(p.name(), name -> OptimizerState.zerosLike(p.value(), 1)[0]);
            OptimizerState.requireSameShape(p, velocity);
            p.value().backend().sgd(p.value(), p.grad(), velocity, update);
        }
        steps++;
    }

    @Override
    public long steps() {
        return steps;
    }

    @Override
    public void close() {
        Closeables.closeAll(velocities.values().toArray(new AutoCloseable[0]));
        velocities.clear();
    }
}
