package dev.lstm4j.train;

import dev.lstm4j.api.Closeables;
import dev.lstm4j.api.Tensor;

import java.util.Arrays;

/** Allocation and checks for optimizers' per-parameter state. */
final class OptimizerState {
    private OptimizerState() {
    }

    /** {@code count} zero tensors shaped like {@code like}, on its backend. */
    static Tensor[] zerosLike(Tensor like, int count) {
        Tensor[] out = new Tensor[count];
        try {
            for (int k = 0; k < count; k++) {
                out[k] = like.backend().allocate(like.dtype(), like.shape());
            }
            return out;
        } catch (RuntimeException e) {
            Closeables.closeAll(out);
            throw e;
        }
    }

    /** A parameter whose name now belongs to a tensor of another shape is a caller's mistake. */
    static void requireSameShape(Parameter p, Tensor state) {
        if (!Arrays.equals(p.value().shape(), state.shape()) || p.value().backend() != state.backend()) {
            throw new IllegalArgumentException("parameter " + p.name() + " is " + p.value()
                    + " but the optimizer's state for that name is " + state);
        }
    }
}
