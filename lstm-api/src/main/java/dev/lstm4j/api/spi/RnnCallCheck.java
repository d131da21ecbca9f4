package dev.lstm4j.api.spi;

import dev.lstm4j.api.Backend;
import dev.lstm4j.api.DType;
import dev.lstm4j.api.OutputGradients;
import dev.lstm4j.api.Parameters;
import dev.lstm4j.api.RnnInputs;
import dev.lstm4j.api.RnnSpec;
import dev.lstm4j.api.SequenceLayout;
import dev.lstm4j.api.Shapes;
import dev.lstm4j.api.Tensor;

import java.util.Arrays;

/**
 * The argument checks every backend runs before touching memory, so that bad input gets the same clear
 * message on every backend: what was expected and what was given.
 */
public final class RnnCallCheck {
    private final RnnSpec spec;
    private final DType dtype;
    private final Backend backend;

    public RnnCallCheck(RnnSpec spec, DType dtype, Backend backend) {
        this.spec = spec;
        this.dtype = dtype;
        this.backend = backend;
    }

    /** Sequence length, batch size and per-sequence lengths of a validated forward call. */
    public record BatchShape(int seqLen, int batch, int[] lengths, boolean variableLength) {
        /** Length of sequence {@code b}. */
        public int length(int b) {
            return lengths[b];
        }
    }

    /** Checks the parameters and inputs of a forward call and returns its shape. */
    public BatchShape forward(Parameters params, RnnInputs inputs) {
        parameters("params", params);
        Tensor x = inputs.x();
        tensor("x", x);
        boolean batchFirst = spec.layout() == SequenceLayout.BATCH_FIRST;
        String dims = batchFirst ? "[B, T, I]" : "[T, B, I]";
        long[] shape = x.shape();
        if (shape.length != 3 || shape[2] != spec.inputSize() || shape[0] < 1 || shape[1] < 1) {
            throw new IllegalArgumentException("x must have shape " + dims + " with I = " + spec.inputSize()
                    + " and T, B >= 1, got " + Shapes.format(shape));
        }
        long t = batchFirst ? shape[1] : shape[0];
        long b = batchFirst ? shape[0] : shape[1];
        if (t > Integer.MAX_VALUE || b > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("x has shape " + Shapes.format(shape)
                    + ": T and B must each fit in an int");
        }
        int seqLen = (int) t;
        int batch = (int) b;
        state("h0", inputs.h0(), batch, hiddenSymbol(), spec.stateSize());
        if (inputs.c0() != null && !spec.cell().hasCellState()) {
            throw new IllegalArgumentException("c0 was given, but a " + spec.cell() + " has no cell state");
        }
        state("c0", inputs.c0(), batch, "H", spec.hiddenSize());
        int[] lengths = inputs.lengths();
        if (lengths == null) {
            int[] full = new int[batch];
            Arrays.fill(full, seqLen);
            return new BatchShape(seqLen, batch, full, false);
        }
        if (lengths.length != batch) {
            throw new IllegalArgumentException("lengths must have one entry per sequence (B = " + batch
                    + "), got " + lengths.length);
        }
        boolean variable = false;
        for (int i = 0; i < lengths.length; i++) {
            if (lengths[i] < 1 || lengths[i] > seqLen) {
                throw new IllegalArgumentException("lengths[" + i + "] must be in [1, T = " + seqLen + "], got "
                        + lengths[i]);
            }
            variable |= lengths[i] != seqLen;
        }
        return new BatchShape(seqLen, batch, lengths, variable);
    }

    /**
     * What a training forward needs beyond {@link #forward}: a dropout seed when the stack drops out between
     * layers, since the mask is a function of it (a silent "no dropout" would train a different model).
     */
    public void training(RnnInputs inputs) {
        if (spec.dropsBetweenLayers() && inputs.dropoutSeed() == null) {
            throw new IllegalArgumentException("the stack drops out " + spec.dropout() + " between layers in "
                    + "training: give forwardTraining a seed with RnnInputs.withDropoutSeed(step), one per training "
                    + "step, so that every backend draws the same mask");
        }
    }

    /** Checks upstream gradients against the forward call's shape. */
    public void outputGradients(OutputGradients g, BatchShape shape) {
        if (g == null) {
            throw new NullPointerException("gradients (use new OutputGradients(null, null, null) for all zero)");
        }
        if (g.dy() != null) {
            tensor("dy", g.dy());
            long[] expected = spec.layout() == SequenceLayout.BATCH_FIRST
                    ? new long[] {shape.batch(), shape.seqLen(), spec.outputSize()}
                    : new long[] {shape.seqLen(), shape.batch(), spec.outputSize()};
            if (!Arrays.equals(expected, g.dy().shape())) {
                throw new IllegalArgumentException("dy must have the shape of y, " + Shapes.format(expected)
                        + ", got " + Shapes.format(g.dy().shape()));
            }
        }
        state("dhn", g.dhn(), shape.batch(), hiddenSymbol(), spec.stateSize());
        if (g.dcn() != null && !spec.cell().hasCellState()) {
            throw new IllegalArgumentException("dcn was given, but a " + spec.cell() + " has no cell state");
        }
        state("dcn", g.dcn(), shape.batch(), "H", spec.hiddenSize());
    }

    /** Checks that {@code params} are open, on this backend, in this dtype, and describe this stack. */
    public void parameters(String what, Parameters params) {
        if (params == null) {
            throw new NullPointerException(what);
        }
        if (params.isClosed()) {
            throw new IllegalStateException(what + " are closed");
        }
        if (!params.spec().equals(spec)) {
            throw new IllegalArgumentException(what + " describe " + params.spec() + ", this stack is " + spec);
        }
        owned(what, params.packed());
    }

    /** The symbol of h's feature count in messages: P with projection, else H. */
    private String hiddenSymbol() {
        return spec.projects() ? "P" : "H";
    }

    /** {@code features}: H for cell states, the hidden state's size (H, or P with projection) for h. */
    private void state(String name, Tensor t, int batch, String symbol, int features) {
        if (t == null) {
            return;
        }
        tensor(name, t);
        long[] expected = {spec.stateLayers(), batch, features};
        if (!Arrays.equals(expected, t.shape())) {
            throw new IllegalArgumentException(name + " must have shape [L*D, B, " + symbol + "] = "
                    + Shapes.format(expected) + ", got " + Shapes.format(t.shape()));
        }
    }

    /** Checks that {@code t} is open, belongs to this backend and has this dtype. */
    public void tensor(String name, Tensor t) {
        if (t == null) {
            throw new NullPointerException(name);
        }
        if (t.isClosed()) {
            throw new IllegalStateException(name + " is closed");
        }
        owned(name, t);
    }

    private void owned(String name, Tensor t) {
        if (t.backend() != backend) {
            throw new IllegalArgumentException(name + " belongs to backend " + t.backend().name()
                    + " (instance " + System.identityHashCode(t.backend()) + "), expected this "
                    + backend.name() + " backend (instance " + System.identityHashCode(backend)
                    + "); copy it over first");
        }
        if (t.dtype() != dtype) {
            throw new IllegalArgumentException(name + " has dtype " + t.dtype() + ", this stack computes in "
                    + dtype);
        }
    }
}
