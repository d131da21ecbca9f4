package dev.lstm4j.conformance;

/**
 * The result of {@link Fp64Reference#forward}: outputs in the stack's layout, plus the per-layer traces
 * that {@link Fp64Reference#backward} needs.
 */
public final class ReferenceForward {
    private final ReferenceInputs inputs;
    private final double[] y;                        // [T, B, D*H] (batch-first: [B, T, D*H])
    private final double[] hn;                       // [L*D, B, H]
    private final double[] cn;                       // [L*D, B, H]; null for cells without a cell state
    private final ReferenceRecurrence[][] layers;         // [L][D]
    private final ReferenceRecurrence.Trace[][] traces;   // [L][D]

    ReferenceForward(ReferenceInputs inputs, double[] y, double[] hn, double[] cn, ReferenceRecurrence[][] layers,
                     ReferenceRecurrence.Trace[][] traces) {
        this.inputs = inputs;
        this.y = y;
        this.hn = hn;
        this.cn = cn;
        this.layers = layers;
        this.traces = traces;
    }

    public ReferenceInputs inputs() {
        return inputs;
    }

    /** A copy of {@code y}; zero past each sequence's length. */
    public double[] y() {
        return y.clone();
    }

    /** A copy of {@code hn}. */
    public double[] hn() {
        return hn.clone();
    }

    /** A copy of {@code cn}; null for cells without a cell state (GRU). */
    public double[] cn() {
        return cn == null ? null : cn.clone();
    }

    ReferenceRecurrence layer(int layer, int direction) {
        return layers[layer][direction];
    }

    ReferenceRecurrence.Trace trace(int layer, int direction) {
        return traces[layer][direction];
    }
}
