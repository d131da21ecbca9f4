package dev.lstm4j.conformance;

import dev.lstm4j.api.CellType;

import java.util.Map;

/**
 * One layer and direction of {@link Fp64Reference} for one cell type: the forward pass over a batch of
 * variable-length sequences, and manual backpropagation through time of the same loops.
 */
interface ReferenceRecurrence {

    /** What the forward pass keeps for backward, and the final state. */
    interface Trace {
        /** {@code [B, H]} hidden state after each sequence's last step in this direction. */
        double[] hn();

        /** {@code [B, H]} cell state after the last step; null for cells without one (GRU). */
        double[] cn();
    }

    /**
     * Runs the layer on {@code input [T, B, In]} and writes its hidden states into columns
     * {@code [outOffset, outOffset + H)} of {@code out [T, B, outWidth]}. {@code c0} is ignored by cells without
     * a cell state.
     */
    Trace forward(double[] input, int seqLen, int batch, int[] lengths, double[] h0, double[] c0,
                  double[] out, int outWidth, int outOffset);

    /**
     * Reads the output gradient from columns {@code [outOffset, outOffset + H)} of {@code dOut}, adds into
     * {@code dInput [T, B, In]} and the parameter gradients in {@code grads}, writes {@code dh0} (and
     * {@code dc0} for cells with a cell state). A null {@code dhn} or {@code dcn} counts as zero.
     */
    void backward(Trace trace, double[] dOut, int outWidth, int outOffset, double[] dhn, double[] dcn,
                  double[] dInput, double[] dh0, double[] dc0, Map<String, double[]> grads);

    static ReferenceRecurrence of(ReferenceWeights weights, int layer, int direction) {
        CellType cell = weights.spec().cell();
        return switch (cell) {
            case LSTM, PEEPHOLE_LSTM -> new ReferenceLayer(weights, layer, direction);
            case GRU -> new GruReferenceLayer(weights, layer, direction);
            default -> throw new IllegalArgumentException("the reference does not implement " + cell + " yet");
        };
    }
}
