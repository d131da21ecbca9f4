package dev.lstm4j.cpu;

import dev.lstm4j.api.Parameters;
import dev.lstm4j.api.Tensor;
import dev.lstm4j.api.TrainingReserve;
import dev.lstm4j.api.spi.RnnCallCheck.BatchShape;

import java.util.List;

/**
 * What a CPU training forward keeps for BPTT. Per layer {@code l} and direction {@code d}
 * ({@code k = l * D + d}):
 * <pre>
 *   outputs[l]  [T, B, D*H]  layer output, zero past each sequence's length (input of layer l+1, h_{t-1} source)
 *   gates[k]    [T, B, 4H]   activations i, f, g, o; after backwardData the gate gradients dA
 *   cells[k]    [T, B, H]    c_t (rows past a sequence's length hold its kept state); GRU: s = W_hn h + b_hn
 *   biasGrad    [L*D, 4H]    bias gradient of each layer and direction, written by backwardData
 * </pre>
 * plus a time-major copy of x when the stack is batch-first, copies of h0 and c0 when given, and with dropout
 * between layers each dropped layer output {@code dropped[l] [T, B, D*H]}, the input of layer l+1.
 */
final class CpuReserve implements TrainingReserve {

    /** Where the reserve is in its life: backwardData once, then backwardWeights. */
    enum Stage { FORWARD_DONE, DATA_DONE }

    final CpuLstm owner;
    final Parameters params;
    final BatchShape shape;
    final Tensor userX;            // the caller's x when time-major (must stay open), else null
    final NativeBuffer ownX;       // [T, B, I] time-major copy of a batch-first x, else null
    final NativeBuffer h0;         // [L*D, B, H] or null for zeros
    final NativeBuffer c0;         // [L*D, B, H] or null for zeros
    final NativeBuffer[] outputs;  // [L] of [T, B, D*H]
    final NativeBuffer[] gates;    // [L*D] of [T, B, 4H]
    final NativeBuffer[] cells;    // [L*D] of [T, B, H]
    final NativeBuffer biasGrad;   // [L*D, 4H]
    final NativeBuffer[] hiddenGrads; // GRU: [L*D] of [T, B, 3H] hidden-side gate gradients; null for the LSTM
    final NativeBuffer biasGradHh; // GRU: [L*D, 3H] hidden-side bias gradients; null for the LSTM (one for both)
    final NativeBuffer[] projected; // projection: [L*D] of [T, B, H] o * tanh(c), what W_hr projects; else null
    final NativeBuffer[] projectedGrads; // projection: [L*D] of [T, B, P] gradients at h (backwardData); else null
    final NativeBuffer[] dropped;  // [L] of [T, B, D*H] or null: layer l's output after dropout
    final long dropoutSeed;        // the training call's seed (meaningful where dropped[l] != null)
    private final List<NativeBuffer> owned;
    private Stage stage = Stage.FORWARD_DONE;
    private boolean closed;

    CpuReserve(CpuLstm owner, Parameters params, BatchShape shape, Tensor userX, NativeBuffer ownX,
               NativeBuffer h0, NativeBuffer c0, NativeBuffer[] outputs, NativeBuffer[] gates, NativeBuffer[] cells,
               NativeBuffer biasGrad, NativeBuffer[] hiddenGrads, NativeBuffer biasGradHh, NativeBuffer[] projected,
               NativeBuffer[] projectedGrads, NativeBuffer[] dropped, long dropoutSeed, List<NativeBuffer> owned) {
        this.owner = owner;
        this.params = params;
        this.shape = shape;
        this.userX = userX;
        this.ownX = ownX;
        this.h0 = h0;
        this.c0 = c0;
        this.outputs = outputs;
        this.gates = gates;
        this.cells = cells;
        this.biasGrad = biasGrad;
        this.hiddenGrads = hiddenGrads;
        this.biasGradHh = biasGradHh;
        this.projected = projected;
        this.projectedGrads = projectedGrads;
        this.dropped = dropped;
        this.dropoutSeed = dropoutSeed;
        this.owned = owned;
    }

    /** The time-major input of layer 0. */
    NativeBuffer input() {
        if (ownX != null) {
            return ownX;
        }
        if (userX.isClosed()) {
            throw new IllegalStateException("x of the training forward pass was closed; it must stay open until "
                    + "backwardWeights has run");
        }
        return CpuBackend.bufferOf(userX);
    }

    /** The gate gradients that pair with h_{t-1} (W_hh's side): the GRU's own, the LSTM's one set. */
    NativeBuffer hiddenGrads(int k) {
        return hiddenGrads != null ? hiddenGrads[k] : gates[k];
    }

    /** The time-major input of layer {@code l}: x, or the previous layer's output (after dropout, if any). */
    NativeBuffer layerInput(int l) {
        if (l == 0) {
            return input();
        }
        return dropped[l - 1] != null ? dropped[l - 1] : outputs[l - 1];
    }

    Stage stage() {
        return stage;
    }

    void advance(Stage next) {
        stage = next;
    }

    void requireOpen() {
        if (closed) {
            throw new IllegalStateException("training reserve is closed");
        }
    }

    @Override
    public long bytes() {
        long sum = 0;
        for (NativeBuffer b : owned) {
            sum += b.isClosed() ? 0 : b.bytes();
        }
        return sum;
    }

    @Override
    public boolean isClosed() {
        return closed;
    }

    @Override
    public void close() {
        if (!closed) {
            closed = true;
            owned.forEach(owner.pool()::give);  // back to the Rnn for the next step (freed if it is closed)
        }
    }
}
