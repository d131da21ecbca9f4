package dev.lstm4j.conformance;

import dev.lstm4j.api.CellType;
import dev.lstm4j.api.Parameters;
import dev.lstm4j.api.RnnSpec;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * The weights of an LSTM, peephole LSTM or GRU stack as plain arrays in PyTorch's names and layouts, for {@link Fp64Reference}.
 *
 * <p>For layer {@code k} ({@code I_0 = I}, {@code I_k = D*H} above), direction suffix {@code ""} or
 * {@code "_reverse"}: {@code weight_ih_l{k} [4H, I_k]}, {@code weight_hh_l{k} [4H, H]} and, with bias,
 * {@code bias_ih_l{k} [4H]}, {@code bias_hh_l{k} [4H]}; rows are the gates {@code i, f, g, o}. Names and sizes
 * are derived here from the spec, independently of the API's {@code ParameterLayout}, so that a layout
 * mistake there shows up as a mismatch rather than being shared by both sides.
 */
public final class ReferenceWeights {

    private final RnnSpec spec;
    private final Map<String, double[]> values;   // PyTorch state_dict order

    private ReferenceWeights(RnnSpec spec, Map<String, double[]> values) {
        this.spec = spec;
        this.values = values;
    }

    /** Copies {@code values}, which must hold exactly the tensors of {@code spec} with their sizes. */
    public static ReferenceWeights of(RnnSpec spec, Map<String, double[]> values) {
        requireSupportedCell(spec);
        if (!values.keySet().equals(sizes(spec).keySet())) {
            throw new IllegalArgumentException("expected weights " + names(spec) + ", got " + values.keySet());
        }
        Map<String, double[]> copy = new LinkedHashMap<>();
        for (String name : names(spec)) {
            double[] v = values.get(name);
            if (v.length != size(spec, name)) {
                throw new IllegalArgumentException(name + " needs " + size(spec, name) + " values, got " + v.length);
            }
            copy.put(name, v.clone());
        }
        return new ReferenceWeights(spec, copy);
    }

    /** The values a backend holds in {@code params}, read back through {@link Parameters#readDoubles}. */
    public static ReferenceWeights from(Parameters params) {
        Map<String, double[]> map = new LinkedHashMap<>();
        for (String name : names(params.spec())) {
            map.put(name, params.readDoubles(name));
        }
        return of(params.spec(), map);
    }

    /** Weights drawn uniformly from {@code [-1/sqrt(H), 1/sqrt(H))} from {@code seed} (reference-only tests). */
    public static ReferenceWeights random(RnnSpec spec, long seed) {
        requireSupportedCell(spec);
        double bound = 1.0 / Math.sqrt(spec.hiddenSize());
        SplittableRandom random = new SplittableRandom(seed);
        Map<String, double[]> map = new LinkedHashMap<>();
        for (String name : names(spec)) {
            double[] v = new double[size(spec, name)];
            for (int k = 0; k < v.length; k++) {
                v[k] = random.nextDouble(-bound, bound);
            }
            map.put(name, v);
        }
        return new ReferenceWeights(spec, map);
    }

    /** All-zero arrays for every tensor of {@code spec}: the starting point of accumulated gradients. */
    static Map<String, double[]> zeros(RnnSpec spec) {
        Map<String, double[]> map = new LinkedHashMap<>();
        for (String name : names(spec)) {
            map.put(name, new double[size(spec, name)]);
        }
        return map;
    }

    /** Tensor names of {@code spec} in PyTorch's {@code state_dict} order. */
    public static List<String> names(RnnSpec spec) {
        return new ArrayList<>(sizes(spec).keySet());
    }

    /** {@code weight_hh_l1_reverse} and the like. */
    public static String name(String kind, int layer, int direction) {
        return kind + "_l" + layer + (direction == 1 ? "_reverse" : "");
    }

    /** Number of values of the tensor {@code name} in a stack described by {@code spec}. */
    public static int size(RnnSpec spec, String name) {
        Integer size = sizes(spec).get(name);
        if (size == null) {
            throw new IllegalArgumentException("no weight named " + name + " in " + spec);
        }
        return size;
    }

    private static Map<String, Integer> sizes(RnnSpec spec) {
        int rows = spec.gateRows();
        Map<String, Integer> sizes = new LinkedHashMap<>();
        for (int layer = 0; layer < spec.numLayers(); layer++) {
            int layerInput = spec.layerInputSize(layer);
            for (int dir = 0; dir < spec.directions(); dir++) {
                sizes.put(name("weight_ih", layer, dir), Math.multiplyExact(rows, layerInput));
                sizes.put(name("weight_hh", layer, dir), Math.multiplyExact(rows, spec.stateSize()));
                if (spec.bias()) {
                    sizes.put(name("bias_ih", layer, dir), rows);
                    sizes.put(name("bias_hh", layer, dir), rows);
                }
                if (spec.cell() == CellType.PEEPHOLE_LSTM) {
                    // Diagonal peephole weights, rows i, f, o.
                    sizes.put(name("weight_peephole", layer, dir), Math.multiplyExact(3, spec.hiddenSize()));
                }
                if (spec.projects()) {
                    sizes.put(name("weight_hr", layer, dir), Math.multiplyExact(spec.projSize(), spec.hiddenSize()));
                }
            }
        }
        return sizes;
    }

    private static void requireSupportedCell(RnnSpec spec) {
        // Every cell type has a reference; the check stays for cells added to the API before it.
        switch (spec.cell()) {
            case LSTM, GRU, PEEPHOLE_LSTM -> { }
            default -> throw new IllegalArgumentException("the reference does not implement " + spec.cell());
        }
    }

    public RnnSpec spec() {
        return spec;
    }

    /** A copy of the tensor {@code name}. */
    public double[] get(String name) {
        return array(name).clone();
    }

    /** The tensor itself, for the reference's loops; null for an absent bias. */
    double[] array(String name) {
        return values.get(name);
    }

    /** A copy in which element {@code index} of {@code name} is {@code value} (for finite differences). */
    public ReferenceWeights with(String name, int index, double value) {
        Map<String, double[]> copy = new LinkedHashMap<>();
        values.forEach((k, v) -> copy.put(k, v.clone()));
        double[] target = copy.get(name);
        if (target == null) {
            throw new IllegalArgumentException("no weight named " + name + "; expected one of " + copy.keySet());
        }
        target[index] = value;
        return new ReferenceWeights(spec, copy);
    }

    /** Copies of all tensors in PyTorch order. */
    public Map<String, double[]> asMap() {
        Map<String, double[]> copy = new LinkedHashMap<>();
        values.forEach((k, v) -> copy.put(k, v.clone()));
        return copy;
    }
}
