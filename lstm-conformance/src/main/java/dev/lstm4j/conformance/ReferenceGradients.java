package dev.lstm4j.conformance;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The result of {@link Fp64Reference#backward}.
 *
 * @param dx      same shape and layout as {@code x}; zero past each sequence's length
 * @param dh0     {@code [L*D, B, H]}
 * @param dc0     {@code [L*D, B, H]}; null for cells without a cell state (GRU)
 * @param weights gradient of every parameter tensor by PyTorch name
 */
public record ReferenceGradients(double[] dx, double[] dh0, double[] dc0, Map<String, double[]> weights) {

    public ReferenceGradients {
        Map<String, double[]> copy = new LinkedHashMap<>();
        weights.forEach((k, v) -> copy.put(k, v.clone()));
        weights = copy;
    }

    /** A copy of the gradient of the tensor {@code name}. */
    public double[] weight(String name) {
        double[] v = weights.get(name);
        if (v == null) {
            throw new IllegalArgumentException("no weight named " + name + "; expected one of " + weights.keySet());
        }
        return v.clone();
    }
}
