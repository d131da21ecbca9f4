package dev.lstm4j.train;

import java.util.List;

/**
 * Updates parameters from their gradients, on the parameters' backend. Per-parameter state (moments,
 * velocities) is allocated on the first step that sees a parameter and keyed by its name.
 */
public interface Optimizer extends AutoCloseable {

    /** One update of every parameter at learning rate {@code lr}. */
    void step(List<Parameter> parameters, double lr);

    /** Number of steps taken so far. */
    long steps();

    /** Frees the optimizer's state tensors. */
    @Override
    void close();
}
