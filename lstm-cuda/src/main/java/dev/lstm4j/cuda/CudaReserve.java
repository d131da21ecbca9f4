package dev.lstm4j.cuda;

import dev.lstm4j.api.Parameters;
import dev.lstm4j.api.Tensor;
import dev.lstm4j.api.spi.RnnCallCheck.BatchShape;

import java.util.List;

/**
 * What a CUDA training forward keeps for BPTT, as device addresses. Per layer {@code l} and direction {@code d}
 * ({@code k = l * D + d}):
 * <pre>
 *   outputs[l]  [T, B, D*H]  layer output, zero past each sequence's length (input of layer l+1, h_{t-1} source)
 *   gates[k]    [T, B, 4H]   activations i, f, g, o; after backwardData the gate gradients dA
 *   cells[k]    [T, B, H]    c_t (rows past a sequence's length hold its kept state); GRU: s = W_hn h + b_hn
 * </pre>
 * plus a time-major copy of x when the stack is batch-first, copies of h0 and c0 when given, the lengths, and
 * with dropout between layers each dropped layer output (the next layer's input) and the seed.
 */
final class CudaReserve extends StagedReserve {

    final Tensor userX;      // the caller's x when time-major (must stay open), else null
    final long ownX;         // [T, B, I] time-major copy of a batch-first x, else 0
    final long h0;           // [L*D, B, H] or 0 for zeros
    final long c0;           // [L*D, B, H] or 0 for zeros
    final long lengths;      // [B] ints on the device, or 0 when every sequence has T steps
    final long[] outputs;    // [L] of [T, B, D*H]
    final long[] gates;      // [L*D] of [T, B, 4H]
    final long[] cells;      // [L*D] of [T, B, H]
    final long[] hiddenGrads; // GRU: [L*D] of [T, B, 3H] hidden-side gate gradients; null for the LSTM
    final long[] projected;  // projection: [L*D] of [T, B, H] o * tanh(c), what W_hr projects; else null
    final long[] projectedGrads; // projection: [L*D] of [T, B, P] gradients at h, written by backwardData
    final long[] dropped;    // [L] of [T, B, D*H]: layer l's output after dropout, or 0 without
    final long dropoutSeed;  // the seed's two words on the device, or 0 without dropout

    CudaReserve(CudaLstm owner, Parameters params, BatchShape shape, Tensor userX, long ownX, long h0, long c0,
                long lengths, long[] outputs, long[] gates, long[] cells, long[] hiddenGrads, long[] projected,
                long[] projectedGrads, long[] dropped, long dropoutSeed, List<DeviceBuffer> owned) {
        super(owner, params, shape, owned);
        this.userX = userX;
        this.ownX = ownX;
        this.h0 = h0;
        this.c0 = c0;
        this.lengths = lengths;
        this.outputs = outputs;
        this.gates = gates;
        this.cells = cells;
        this.hiddenGrads = hiddenGrads;
        this.projected = projected;
        this.projectedGrads = projectedGrads;
        this.dropped = dropped;
        this.dropoutSeed = dropoutSeed;
    }

    /** The gate gradients that pair with h_{t-1} (W_hh's side): the GRU's own, the LSTM's one set. */
    long hiddenGrads(int k) {
        return hiddenGrads != null ? hiddenGrads[k] : gates[k];
    }

    /** The time-major input of layer {@code l}: x, or the previous layer's output (after dropout, if any). */
    long layerInput(int l) {
        if (l == 0) {
            return input();
        }
        return dropped[l - 1] != 0 ? dropped[l - 1] : outputs[l - 1];
    }

    /** The device address of layer 0's time-major input. */
    long input() {
        if (ownX != 0) {
            return ownX;
        }
        return forwardInput(userX);
    }
}
