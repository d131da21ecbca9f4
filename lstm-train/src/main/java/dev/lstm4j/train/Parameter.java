package dev.lstm4j.train;

import dev.lstm4j.api.Tensor;

import java.util.Arrays;
import java.util.Objects;

/**
 * One trainable tensor and its gradient, both owned by the layer that created them. Optimizers and
 * gradient clipping work on lists of these; they never close them.
 *
 * @param name  a stable name, used for optimizer state and checkpoints
 * @param value the parameter
 * @param grad  its gradient, same backend, dtype and shape; layers add into it, {@link #zeroGrad()} clears it
 */
public record Parameter(String name, Tensor value, Tensor grad) {

    public Parameter {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(value, "value");
        Objects.requireNonNull(grad, "grad");
        if (value.backend() != grad.backend() || value.dtype() != grad.dtype()
                || !Arrays.equals(value.shape(), grad.shape())) {
            throw new IllegalArgumentException("parameter " + name + ": gradient " + grad
                    + " does not match value " + value);
        }
    }

    public void zeroGrad() {
        grad.fillZero();
    }
}
