package dev.lstm4j.conformance;

import dev.lstm4j.api.DropoutMask;
import dev.lstm4j.api.RnnSpec;
import dev.lstm4j.api.SequenceLayout;

import java.util.Map;

/**
 * An LSTM or GRU stack in plain fp64 scalar loops, written from the equations of PyTorch's {@code nn.LSTM}
 * and {@code nn.GRU} (the GRU's are in {@link GruReferenceLayer}): the yardstick every backend is compared with. It works on {@code double[]} only and never calls a backend.
 *
 * <p>Per layer and direction, step {@code t}, layer input {@code x_t}, previous state {@code (h, c)}:
 * <pre>
 *   i  = σ(W_ii x_t + b_ii + W_hi h + b_hi)
 *   f  = σ(W_if x_t + b_if + W_hf h + b_hf)
 *   g  = tanh(W_ig x_t + b_ig + W_hg h + b_hg)
 *   o  = σ(W_io x_t + b_io + W_ho h + b_ho)
 *   c' = f * c + i * g
 *   h' = o * tanh(c')
 * </pre>
 * Layer {@code k > 0} reads layer {@code k-1}'s output; a bidirectional layer's output concatenates the
 * forward then the reverse direction's {@code h} along the features. Initial and final states are indexed
 * {@code layer * D + direction}. Variable lengths follow PyTorch's packed sequences: sequence {@code b}
 * runs steps {@code 0 .. len_b - 1} only (the reverse direction from {@code len_b - 1} down to 0), its
 * outputs past {@code len_b} are zero, {@code hn}/{@code cn} are its state after its own last step, and
 * padding receives zero gradient. The backward pass ({@link ReferenceLayer}) is manual backpropagation
 * through time of the same loops.
 */
public final class Fp64Reference {
    private final RnnSpec spec;
    private final ReferenceWeights weights;

    public Fp64Reference(ReferenceWeights weights) {
        this.spec = weights.spec();
        this.weights = weights;
    }

    public RnnSpec spec() {
        return spec;
    }

    public ReferenceWeights weights() {
        return weights;
    }

    /** Runs the stack. */
    public ReferenceForward forward(ReferenceInputs in) {
        int seqLen = in.seqLen();
        int batch = in.batch();
        int hidden = spec.hiddenSize();
        int dirs = spec.directions();
        int state = spec.stateSize();                                  // P with projection, else H
        int stateSize = spec.stateLayers() * batch * hidden;           // c0, cn
        int hStateSize = spec.stateLayers() * batch * state;           // h0, hn
        requireLength("x", in.x(), seqLen * batch * spec.inputSize());
        double[] h0 = in.h0() == null ? new double[hStateSize] : requireLength("h0", in.h0(), hStateSize);
        boolean cellState = spec.cell().hasCellState();
        if (!cellState && in.c0() != null) {
            throw new IllegalArgumentException("c0 was given but a " + spec.cell() + " has no cell state");
        }
        double[] c0 = in.c0() == null ? new double[stateSize] : requireLength("c0", in.c0(), stateSize);
        int[] lengths = in.effectiveLengths();

        ReferenceRecurrence[][] layers = new ReferenceRecurrence[spec.numLayers()][dirs];
        ReferenceRecurrence.Trace[][] traces = new ReferenceRecurrence.Trace[spec.numLayers()][dirs];
        double[] hn = new double[hStateSize];
        double[] cn = new double[stateSize];
        double[] layerInput = toTimeMajor(in.x(), seqLen, batch, spec.inputSize());   // [T, B, I_k]
        for (int layer = 0; layer < spec.numLayers(); layer++) {
            double[] out = new double[seqLen * batch * dirs * state];                  // [T, B, D*P]
            for (int dir = 0; dir < dirs; dir++) {
                int cAt = (layer * dirs + dir) * batch * hidden;
                int hAt = (layer * dirs + dir) * batch * state;
                ReferenceRecurrence cell = ReferenceRecurrence.of(weights, layer, dir);
                ReferenceRecurrence.Trace tr = cell.forward(layerInput, seqLen, batch, lengths,
                        slice(h0, hAt, batch * state), slice(c0, cAt, batch * hidden),
                        out, dirs * state, dir * state);
                System.arraycopy(tr.hn(), 0, hn, hAt, batch * state);
                if (cellState) {
                    System.arraycopy(tr.cn(), 0, cn, cAt, batch * hidden);
                }
                layers[layer][dir] = cell;
                traces[layer][dir] = tr;
            }
            layerInput = layer < spec.numLayers() - 1 ? dropout(out, layer, in.dropoutSeed()) : out;
        }
        double[] y = fromTimeMajor(layerInput, seqLen, batch, dirs * state);
        return new ReferenceForward(in, y, hn, cellState ? cn : null, layers, traces);
    }

    /**
     * Gradients of a loss {@code L} with respect to every input and parameter, given
     * {@code dy = ∂L/∂y}, {@code dhn = ∂L/∂hn}, {@code dcn = ∂L/∂cn}; each may be null for zero. {@code dy}
     * past a sequence's length is ignored, since {@code y} is constant zero there.
     */
    public ReferenceGradients backward(ReferenceForward fwd, double[] dy, double[] dhn, double[] dcn) {
        ReferenceInputs in = fwd.inputs();
        int seqLen = in.seqLen();
        int batch = in.batch();
        int hidden = spec.hiddenSize();
        int dirs = spec.directions();
        int state = spec.stateSize();
        int stateSize = spec.stateLayers() * batch * hidden;           // dcn, dc0
        int hStateSize = spec.stateLayers() * batch * state;           // dhn, dh0
        int outWidth = dirs * state;
        double[] dOut = dy == null ? new double[seqLen * batch * outWidth]
                : toTimeMajor(requireLength("dy", dy, seqLen * batch * outWidth), seqLen, batch, outWidth);
        if (dhn != null) {
            requireLength("dhn", dhn, hStateSize);
        }
        boolean cellState = spec.cell().hasCellState();
        if (dcn != null) {
            if (!cellState) {
                throw new IllegalArgumentException("dcn was given but a " + spec.cell() + " has no cell state");
            }
            requireLength("dcn", dcn, stateSize);
        }
        double[] dh0 = new double[hStateSize];
        double[] dc0 = new double[stateSize];
        Map<String, double[]> grads = ReferenceWeights.zeros(spec);
        for (int layer = spec.numLayers() - 1; layer >= 0; layer--) {
            double[] dInput = new double[seqLen * batch * spec.layerInputSize(layer)];   // [T, B, I_k]
            for (int dir = 0; dir < dirs; dir++) {
                int cAt = (layer * dirs + dir) * batch * hidden;
                int hAt = (layer * dirs + dir) * batch * state;
                double[] dh0Slice = new double[batch * state];
                double[] dc0Slice = new double[batch * hidden];
                fwd.layer(layer, dir).backward(fwd.trace(layer, dir), dOut, outWidth, dir * state,
                        dhn == null ? null : slice(dhn, hAt, batch * state),
                        dcn == null ? null : slice(dcn, cAt, batch * hidden),
                        dInput, dh0Slice, dc0Slice, grads);
                System.arraycopy(dh0Slice, 0, dh0, hAt, batch * state);
                System.arraycopy(dc0Slice, 0, dc0, cAt, batch * hidden);
            }
            dOut = layer > 0 ? dropout(dInput, layer - 1, in.dropoutSeed()) : dInput;
            outWidth = spec.layerInputSize(layer);
        }
        double[] dx = fromTimeMajor(dOut, seqLen, batch, spec.inputSize());
        return new ReferenceGradients(dx, dh0, cellState ? dc0 : null, grads);
    }

    /**
     * Layer {@code layer}'s output as the next layer reads it in training: each element kept with its
     * {@link DropoutMask} draw and scaled by 1 / (1 - p), or zeroed. The same product applied to a gradient
     * carries it back through the dropout. No seed (inference) or no dropout: the array itself.
     */
    private double[] dropout(double[] a, int layer, Long seed) {
        if (seed == null || !spec.dropsBetweenLayers()) {
            return a;
        }
        double p = spec.dropout();
        double scale = DropoutMask.scale(p);
        double[] out = new double[a.length];
        for (int e = 0; e < a.length; e++) {
            out[e] = DropoutMask.keeps(seed, layer, e, p) ? a[e] * scale : 0.0;
        }
        return out;
    }

    private double[] toTimeMajor(double[] a, int seqLen, int batch, int features) {
        return spec.layout() == SequenceLayout.BATCH_FIRST
                ? HostArrays.swapFirstTwoAxes(a, batch, seqLen, features) : a.clone();
    }

    private double[] fromTimeMajor(double[] a, int seqLen, int batch, int features) {
        return spec.layout() == SequenceLayout.BATCH_FIRST
                ? HostArrays.swapFirstTwoAxes(a, seqLen, batch, features) : a;
    }

    private static double[] slice(double[] a, int from, int length) {
        double[] out = new double[length];
        System.arraycopy(a, from, out, 0, length);
        return out;
    }

    private static double[] requireLength(String name, double[] a, int length) {
        if (a.length != length) {
            throw new IllegalArgumentException(name + " needs " + length + " values, got " + a.length);
        }
        return a;
    }
}
