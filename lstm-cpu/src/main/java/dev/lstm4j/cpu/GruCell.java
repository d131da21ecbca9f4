package dev.lstm4j.cpu;

/**
 * The fused pointwise step of PyTorch's {@code nn.GRU} on the CPU, for all B sequences of one step (one layer and
 * direction). Gate rows r, z, n; {@code ax} the input projection {@code W_ih x}, {@code ah} the recurrent
 * {@code W_hh h}, both without bias:
 * <pre>
 *   r = σ(ax_r + b_ir + ah_r + b_hr)     z = σ(ax_z + b_iz + ah_z + b_hz)
 *   s = ah_n + b_hn                      n = tanh(ax_n + b_in + r * s)       h' = (1 - z) * n + z * h
 * </pre>
 * Backward, with {@code dh} the gradient at {@code h'} (carried plus dy):
 * <pre>
 *   da_n = dh * (1 - z) * (1 - n²)     da_r = da_n * s * r(1-r)     da_z = dh * (h - n) * z(1-z)
 *   input side [da_r, da_z, da_n], hidden side [da_r, da_z, da_n * r];   dh_prev = dh * z + (hidden side) · W_hh
 * </pre>
 * The caller's GEMM adds the last term. Rows whose sequence has ended keep their state and get zero gradients;
 * their carried gradient passes through.
 */
abstract class GruCell {
    final int batch;      // B
    final int hidden;     // H
    final int gateWidth;  // 3H

    GruCell(int batch, int hidden) {
        this.batch = batch;
        this.hidden = hidden;
        this.gateWidth = 3 * hidden;
    }

    /** Loads b_ih and b_hh (zeros when {@code bIh < 0}). */
    abstract void loadBias(NativeBuffer params, long bIh, long bHh);

    /** Loads h0 {@code [B, H]} at the offset, or zeros. */
    abstract void loadState(NativeBuffer h0, long offset);

    /** Stores the current state {@code [B, H]}. */
    abstract void storeState(NativeBuffer hn, long offset);

    /**
     * One forward step: {@code gates [B, 3H]} holds ax (activations r, z, n out when {@code keep}),
     * {@code recurrent [B, 3H]} holds ah; h' goes to the output rows, s to {@code sStates} when not null.
     */
    abstract void forward(int t, int[] lengths, NativeBuffer gates, long gatesOffset, NativeBuffer recurrent,
                          long recurrentOffset, boolean keep, NativeBuffer out, long outOffset, int outStride,
                          NativeBuffer sStates, long sOffset);

    /** Resets the bias gradients before a backward pass. */
    abstract void beginBackward();

    /**
     * One backward step: the activations in {@code gates} become the input-side gradients, the hidden-side ones
     * go to {@code hiddenGrads}; {@code dh [B, H]} is read (plus dy) and replaced by {@code dh * z} on active
     * rows. {@code hPrev} rows at {@code hPrevOffset + b * hPrevStride}, or null for zeros; dy likewise.
     */
    abstract void backward(int t, int[] lengths, NativeBuffer gates, long gatesOffset, NativeBuffer hiddenGrads,
                           long hiddenOffset, NativeBuffer sStates, long sOffset, NativeBuffer hPrev, long hPrevOffset,
                           int hPrevStride, NativeBuffer dh, long dhOffset, NativeBuffer dy, long dyOffset, int dyStride);

    /** Stores the bias gradients {@code [3H]} of the pass: the input side in {@code ih}, the hidden side in {@code hh}. */
    abstract void storeBiasGradients(NativeBuffer ih, long ihOffset, NativeBuffer hh, long hhOffset);

    /** End (exclusive) of the run of rows from {@code from} that are still active at step {@code t}. */
    final int activeRunEnd(int t, int[] lengths, int from) {
        int end = from;
        while (end < batch && t < lengths[end]) {
            end++;
        }
        return end;
    }
}
