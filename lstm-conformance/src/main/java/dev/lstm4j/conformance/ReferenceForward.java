package dev.lstm4j.conformance;

/**
 * The result of {@link Fp64Reference#forward}: outputs in the stack's layout, plus the per-layer traces
 * that {@link Fp64Reference#backward} needs.
 */
public final class ReferenceForward {
    private final ReferenceInputs inputs;
    private final double[] y;                        // [T, B, D*H] (batch-first: [B, T, D*H])
    private final double[] hn;                       // [L*D, B, H]
    private final double[] cn;                       // [L*D, B, H]
    private final ReferenceLayer[][] layers;         // [L][D]
    private final ReferenceLayer.Trace[][] traces;   // [L][D]

    ReferenceForward(ReferenceInputs inputs, double[] y, double[] hn, double[] cn, ReferenceLayer[][] layers,
                     ReferenceLayer.Trace[][] traces) {
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

    /** A copy of {@code cn}. */
    public double[] cn() {
        return cn.clone();
    }

    ReferenceLayer layer(int layer, int direction) {
        return layers[layer][direction];
    }

    ReferenceLayer.Trace trace(int layer, int direction) {
        return traces[layer][direction];
    }
}
