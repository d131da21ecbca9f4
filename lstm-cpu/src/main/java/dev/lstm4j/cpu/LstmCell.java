package dev.lstm4j.cpu;

/**
 * The fused pointwise part of one LSTM layer and direction, one time step at a time, for all B rows.
 *
 * <p>Forward, per row and unit (gate pre-activations {@code a} come from the GEMMs, biases are added here):
 * <pre>
 *   i = σ(a_i + b_i)   f = σ(a_f + b_f)   g = tanh(a_g + b_g)   o = σ(a_o + b_o)
 *   c' = f * c + i * g        h' = o * tanh(c')
 * </pre>
 * Backward, with {@code dh = dh_next + dy} and {@code dc = dc_next + dh * o * (1 - tanh²c')}:
 * <pre>
 *   dA_i = dc * g * i(1-i)   dA_f = dc * c * f(1-f)   dA_g = dc * i * (1-g²)   dA_o = dh * tanh(c') * o(1-o)
 *   dc_prev = dc * f          (dh_prev = dA · W_hh comes from the caller's GEMM)
 * </pre>
 * The peephole LSTM (Gers and Schmidhuber) adds diagonal weights: {@code a_i += p_i * c}, {@code a_f += p_f * c}
 * with the state read at the step's start, and {@code a_o += p_o * c'} with the new one; backward adds
 * {@code da_o * p_o} to {@code dc'} and {@code da_i * p_i + da_f * p_f} to {@code dc_prev}.
 * With a cell clip, as cuDNN's min/max clip behaves: the cell state is stored as computed,
 * {@code c' = f * k(c) + i * g}, and clamped wherever it is read, {@code k(c) = min(max(c, -clip), clip)}, so
 * {@code h' = o * tanh(k(c'))}, {@code c0} enters clamped and {@code cn} is reported as computed; backward passes
 * the gradient through {@code k} inside the clip and stops it outside.
 * Rows whose sequence has ended ({@code t >= length}) keep their state unchanged, output the kept state
 * (the caller masks it to zero afterwards) and get zero gate gradients; their carried gradients pass
 * through untouched. All scratch lives on the heap, sized once, so the time loop allocates nothing.
 */
abstract class LstmCell {
    final int batch;      // B
    final int hidden;     // H
    final int gateWidth;  // G = 4H
    final double cellClip; // 0: none; else c is clamped to [-cellClip, cellClip] after each update

    LstmCell(int batch, int hidden, double cellClip) {
        this.batch = batch;
        this.hidden = hidden;
        this.gateWidth = 4 * hidden;
        this.cellClip = cellClip;
    }

    /** Loads {@code b_ih + b_hh} (zeros when {@code bIh < 0}) from the packed parameters. */
    abstract void loadBias(NativeBuffer params, long bIh, long bHh);

    /**
     * Loads the peephole weights {@code [3, H]} (rows i, f, o) at {@code offset} in the packed parameters, for a
     * cell made for the peephole LSTM; ignored otherwise.
     */
    abstract void loadPeephole(NativeBuffer params, long offset);

    /** Loads the initial state {@code [B, H]} at the offsets, or zeros where a buffer is null. */
    abstract void loadState(NativeBuffer h0, long hOffset, NativeBuffer c0, long cOffset);

    /** Stores the current state {@code [B, H]} at the offsets; {@code hn} may be null (projection keeps h itself). */
    abstract void storeState(NativeBuffer hn, long hOffset, NativeBuffer cn, long cOffset);

    /**
     * One forward step.
     *
     * @param gates           {@code [B, G]} pre-activations without bias at {@code gatesOffset}; overwritten
     *                        with the activations i, f, g, o when {@code keepActivations}
     * @param out             where h goes: row b at {@code outOffset + b * outStride}
     * @param cellStates      where c goes ({@code [B, H]} at {@code cellOffset}), or null
     * @param lengths         per-row sequence lengths; row b is active while {@code t < lengths[b]}
     */
    abstract void forward(int t, int[] lengths, NativeBuffer gates, long gatesOffset, boolean keepActivations,
                          NativeBuffer out, long outOffset, int outStride, NativeBuffer cellStates, long cellOffset);

    /** Starts a backward pass: the carried cell gradient is {@code dcn} (zeros when null); bias gradients reset. */
    abstract void beginBackward(NativeBuffer dcn, long offset);

    /**
     * One backward step.
     *
     * @param gates      activations {@code [B, G]} of step t, overwritten with the gate gradients dA
     * @param cellStates c_t at {@code cellOffset}
     * @param prevCells  c_{t-1} at {@code prevOffset}, or null for zeros
     * @param dh         carried hidden gradient {@code [B, H]}: read, then zeroed on active rows so that the
     *                   caller's GEMM ({@code dh += dA · W_hh}) leaves exactly dh_prev there
     * @param dy         upstream output gradient rows at {@code dyOffset + b * dyStride}, or null
     */
    abstract void backward(int t, int[] lengths, NativeBuffer gates, long gatesOffset, NativeBuffer cellStates,
                           long cellOffset, NativeBuffer prevCells, long prevOffset, NativeBuffer dh, long dhOffset,
                           NativeBuffer dy, long dyOffset, int dyStride);

    /** Stores the carried cell gradient (= dc0) at the offset. */
    abstract void endBackward(NativeBuffer dc0, long offset);

    /** Stores the bias gradient {@code [G]} summed over the backward pass (it applies to b_ih and b_hh alike). */
    abstract void storeBiasGradient(NativeBuffer dst, long offset);

    /** First row at or after {@code from} whose sequence has ended at step t (or B): [from, end) are active. */
    final int activeRunEnd(int t, int[] lengths, int from) {
        int end = from;
        while (end < batch && t < lengths[end]) {
            end++;
        }
        return end;
    }
}
