package dev.lstm4j.conformance;

/**
 * What every reference layer holds: its sizes, its direction, and its four PyTorch tensors with their names
 * (the names key the gradient map). Subclasses add the cell's equations.
 */
abstract class LayerWeightsBase implements ReferenceRecurrence {
    final int inputSize;
    final int hiddenSize;
    final int stateSize;  // features of h: P with projection, else H
    final boolean reverse;
    final String wIhName;
    final String wHhName;
    final String bIhName;
    final String bHhName;
    final double[] wIh;   // [G*H, In]
    final double[] wHh;   // [G*H, P]
    final double[] bIh;   // [G*H], null without bias
    final double[] bHh;   // [G*H], null without bias
    final String wHrName;
    final double[] wHr;   // [P, H] projection, null without

    LayerWeightsBase(ReferenceWeights weights, int layer, int direction) {
        this.inputSize = weights.spec().layerInputSize(layer);
        this.hiddenSize = weights.spec().hiddenSize();
        this.stateSize = weights.spec().stateSize();
        this.reverse = direction == 1;
        this.wIhName = ReferenceWeights.name("weight_ih", layer, direction);
        this.wHhName = ReferenceWeights.name("weight_hh", layer, direction);
        this.bIhName = ReferenceWeights.name("bias_ih", layer, direction);
        this.bHhName = ReferenceWeights.name("bias_hh", layer, direction);
        this.wIh = weights.array(wIhName);
        this.wHh = weights.array(wHhName);
        this.bIh = weights.array(bIhName);
        this.bHh = weights.array(bHhName);
        this.wHrName = ReferenceWeights.name("weight_hr", layer, direction);
        this.wHr = weights.spec().projects() ? weights.array(wHrName) : null;
    }

    /** Time index of step {@code step} (0-based, in this direction's order) of a sequence of length {@code n}. */
    final int timeOf(int step, int n) {
        return reverse ? n - 1 - step : step;
    }
}
