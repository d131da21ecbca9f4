package dev.lstm4j.train;

import dev.lstm4j.api.Tensor;
import dev.lstm4j.api.io.NdArray;

import java.util.List;
import java.util.Map;

/**
 * Updates parameters from their gradients, on the parameters' backend. Per-parameter state (moments,
 * velocities) is allocated on the first step that sees a parameter and keyed by its name.
 */
public interface Optimizer extends AutoCloseable {

    /** One update of every parameter at learning rate {@code lr}. */
    void step(List<Parameter> parameters, double lr);

    /** Number of steps taken so far. */
    long steps();

    /**
     * The state tensors by name, {@code <slot>.<parameter>} with PyTorch's slot names ({@code exp_avg},
     * {@code exp_avg_sq}, {@code momentum_buffer}), for checkpoints. The tensors stay the optimizer's.
     */
    Map<String, Tensor> state();

    /**
     * Replaces the state with a checkpoint's: allocates the slots of every parameter, fills them from
     * {@code arrays} (keyed as {@link #state()} names them, each present) and sets the step count.
     */
    void restore(List<Parameter> parameters, long steps, Map<String, NdArray> arrays);

    /** Frees the optimizer's state tensors. */
    @Override
    void close();
}
