package dev.lstm4j.train;

import dev.lstm4j.api.Backend;
import dev.lstm4j.api.Closeables;
import dev.lstm4j.api.DType;
import dev.lstm4j.api.Parameters;
import dev.lstm4j.api.Rnn;
import dev.lstm4j.api.RnnSpec;

import dev.lstm4j.api.io.NdArray;

import java.util.List;
import java.util.Map;

/**
 * A recurrent stack with its parameters and their gradient, for training. The parameters keep PyTorch's
 * names ({@link Parameters#names()}); to optimizers the whole packed buffer is one {@link Parameter}, so one
 * optimizer call updates every weight of the stack.
 */
public final class Recurrent implements AutoCloseable {
    private final Rnn rnn;
    private final Parameters params;
    private final Parameters grads;
    private final String name;
    private final List<Parameter> parameters;

    /** A stack named {@code name}, initialised as PyTorch does from {@code seed}. */
    public Recurrent(Backend backend, DType dtype, String name, RnnSpec spec, long seed) {
        Rnn r = backend.rnn(spec, dtype);
        Parameters p = null;
        Parameters g = null;
        try {
            p = r.initParameters(seed);
            g = r.newParameters();
        } catch (RuntimeException e) {
            Closeables.closeAll(p, r);
            throw e;
        }
        this.name = name;
        rnn = r;
        params = p;
        grads = g;
        parameters = List.of(new Parameter(name, params.packed(), grads.packed()));
    }

    public Rnn rnn() {
        return rnn;
    }

    public RnnSpec spec() {
        return rnn.spec();
    }

    public Parameters params() {
        return params;
    }

    public Parameters grads() {
        return grads;
    }

    public List<Parameter> parameters() {
        return parameters;
    }

    /**
     * Sets the forget gates' bias of every LSTM layer and direction to {@code value} ({@code bias_ih}'s second
     * block; {@code bias_hh}'s is zeroed), the initialisation of Gers et al. and Jozefowicz et al. that keeps
     * the cell's memory open early in training and helps long dependencies. PyTorch's default leaves the bias
     * uniform, as {@link #Recurrent} does until this is called.
     */
    public void initForgetBias(double value) {
        RnnSpec spec = rnn.spec();
        if (spec.cell() == dev.lstm4j.api.CellType.GRU || !spec.bias()) {
            throw new IllegalStateException("a forget-gate bias needs an LSTM with biases, this stack is " + spec);
        }
        int h = spec.hiddenSize();
        for (String n : params.names()) {
            boolean input = n.startsWith("bias_ih_");
            if (input || n.startsWith("bias_hh_")) {
                double[] b = params.readDoubles(n);
                java.util.Arrays.fill(b, h, 2 * h, input ? value : 0);
                params.write(n, b);
            }
        }
    }

    /** Adds every parameter as {@code name.<PyTorch name>} (e.g. {@code rnn.weight_ih_l0}), a host copy. */
    public void saveTo(Map<String, NdArray> out) {
        boolean single = params.dtype() == dev.lstm4j.api.DType.FLOAT32;
        for (String n : params.names()) {
            out.put(name + "." + n, single ? NdArray.of(params.readFloats(n), params.shape(n))
                    : NdArray.of(params.readDoubles(n), params.shape(n)));
        }
    }

    /** Loads every parameter from {@code name.<PyTorch name>}; each must be present with its shape. */
    public void loadFrom(Map<String, NdArray> in) {
        for (String n : params.names()) {
            params.write(n, StateDict.require(in, name + "." + n, params.shape(n)).toDoubles());
        }
    }

    @Override
    public void close() {
        Closeables.closeAll(grads, params, rnn);
    }
}
