package dev.lstm4j.train;

import dev.lstm4j.api.Backend;
import dev.lstm4j.api.Closeables;
import dev.lstm4j.api.DType;
import dev.lstm4j.api.Tensor;

import dev.lstm4j.api.io.NdArray;

import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * A token embedding with PyTorch's {@code nn.Embedding} layout ({@code weight [vocabulary, dim]}) and
 * initialisation (standard normal). Lookup is a row gather on the backend; the gradient is a scatter-add,
 * so tokens that repeat in a batch add their gradients.
 */
public final class Embedding implements AutoCloseable {
    private final Backend backend;
    private final int vocabulary;
    private final int dim;
    private final Tensor weight;
    private final Tensor weightGrad;
    private final List<Parameter> parameters;

    /** An embedding named {@code name} (its parameter is {@code name.weight}). */
    public Embedding(Backend backend, DType dtype, String name, int vocabulary, int dim, long seed) {
        if (vocabulary < 1 || dim < 1) {
            throw new IllegalArgumentException("embedding " + name + " needs vocabulary >= 1 and dim >= 1, got "
                    + vocabulary + " and " + dim);
        }
        this.backend = backend;
        this.vocabulary = vocabulary;
        this.dim = dim;
        Tensor w = backend.allocate(dtype, vocabulary, dim);
        Tensor g;
        try {
            g = backend.allocate(dtype, vocabulary, dim);
        } catch (RuntimeException e) {
            w.close();
            throw e;
        }
        weight = w;
        weightGrad = g;
        parameters = List.of(new Parameter(name + ".weight", weight, weightGrad));
        SplittableRandom random = new SplittableRandom(seed);
        double[] values = new double[vocabulary * dim];
        for (int k = 0; k < values.length; k += 2) {
            // Box-Muller: two normal draws from two uniform ones
            double r = Math.sqrt(-2 * Math.log(1 - random.nextDouble()));
            double angle = 2 * Math.PI * random.nextDouble();
            values[k] = r * Math.cos(angle);
            if (k + 1 < values.length) {
                values[k + 1] = r * Math.sin(angle);
            }
        }
        weight.copyFrom(values);
    }

    public int vocabulary() {
        return vocabulary;
    }

    public int dim() {
        return dim;
    }

    public List<Parameter> parameters() {
        return parameters;
    }

    /** The rows of {@code tokens} as {@code [tokens.length, dim]}; the caller closes it. */
    public Tensor forward(int[] tokens) {
        Tensor out = backend.empty(weight.dtype(), tokens.length, dim);
        try {
            backend.gatherRows(weight, tokens, out);
            return out;
        } catch (RuntimeException e) {
            out.close();
            throw e;
        }
    }

    /** Adds {@code dOut [tokens.length, dim]} into the gradient rows of {@code tokens}. */
    public void backward(int[] tokens, Tensor dOut) {
        backend.scatterAddRows(dOut, tokens, weightGrad);
    }

    /** Adds {@code name.weight} as a host copy. */
    public void saveTo(Map<String, NdArray> out) {
        out.put(parameters.get(0).name(), StateDict.toHost(weight));
    }

    /** Loads {@code name.weight}, which must be present with this layer's shape. */
    public void loadFrom(Map<String, NdArray> in) {
        StateDict.copyInto(in, parameters.get(0).name(), weight);
    }

    @Override
    public void close() {
        Closeables.closeAll(weight, weightGrad);
    }
}
