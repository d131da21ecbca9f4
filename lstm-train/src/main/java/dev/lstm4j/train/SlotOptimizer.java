package dev.lstm4j.train;

import dev.lstm4j.api.Closeables;
import dev.lstm4j.api.Shapes;
import dev.lstm4j.api.Tensor;
import dev.lstm4j.api.io.NdArray;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The state keeping of optimizers that hold a fixed set of slots (tensors shaped like the parameter) per parameter. */
abstract class SlotOptimizer implements Optimizer {
    private final String[] slotNames;
    private final Map<String, Tensor[]> slots = new LinkedHashMap<>();   // parameter name -> one tensor per slot
    private long steps;

    SlotOptimizer(String... slotNames) {
        this.slotNames = slotNames.clone();
    }

    /** Updates one parameter with its slots, at step {@code step} (from 1). */
    abstract void update(Parameter p, Tensor[] slots, double lr, long step);

    @Override
    public final void step(List<Parameter> parameters, double lr) {
        for (Parameter p : parameters) {
            update(p, slotsOf(p), lr, steps + 1);
        }
        steps++;
    }

    @Override
    public final long steps() {
        return steps;
    }

    @Override
    public final Map<String, Tensor> state() {
        Map<String, Tensor> out = new LinkedHashMap<>();
        slots.forEach((name, tensors) -> {
            for (int s = 0; s < slotNames.length; s++) {
                out.put(slotNames[s] + "." + name, tensors[s]);
            }
        });
        return out;
    }

    @Override
    public final void restore(List<Parameter> parameters, long steps, Map<String, NdArray> arrays) {
        if (steps < 0) {
            throw new IllegalArgumentException("steps must be >= 0, got " + steps);
        }
        for (Parameter p : parameters) {
            Tensor[] tensors = slotsOf(p);
            for (int s = 0; s < slotNames.length; s++) {
                String key = slotNames[s] + "." + p.name();
                NdArray array = arrays.get(key);
                if (array == null) {
                    throw new IllegalArgumentException("optimizer state " + key + " is missing; present: "
                            + arrays.keySet());
                }
                if (!Arrays.equals(array.shape(), p.value().shape())) {
                    throw new IllegalArgumentException("optimizer state " + key + " has shape "
                            + Shapes.format(array.shape()) + ", the parameter " + Shapes.format(p.value().shape()));
                }
                tensors[s].copyFrom(array.toDoubles());
            }
        }
        this.steps = steps;
    }

    private Tensor[] slotsOf(Parameter p) {
        Tensor[] tensors = slots.get(p.name());
        if (tensors == null) {
            tensors = OptimizerState.zerosLike(p.value(), slotNames.length);
            slots.put(p.name(), tensors);
        }
        OptimizerState.requireSameShape(p, tensors[0]);
        return tensors;
    }

    @Override
    public final void close() {
        for (Tensor[] tensors : slots.values()) {
            Closeables.closeAll(tensors);
        }
        slots.clear();
    }
}
