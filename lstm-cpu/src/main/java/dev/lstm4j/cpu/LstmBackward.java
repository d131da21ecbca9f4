package dev.lstm4j.cpu;

import dev.lstm4j.api.InputGradients;
import dev.lstm4j.api.OutputGradients;
import dev.lstm4j.api.ParameterLayout;
import dev.lstm4j.api.Parameters;
import dev.lstm4j.api.RnnSpec;
import dev.lstm4j.api.SequenceLayout;
import dev.lstm4j.api.Tensor;
import dev.lstm4j.api.spi.RnnCallCheck.BatchShape;

/**
 * Backpropagation through time for an LSTM stack, from the last layer down.
 *
 * <p>{@link #backwardData}: per layer and direction, walk the steps in reverse processing order with one
 * fused pointwise pass ({@link LstmCell#backward}, which leaves the gate gradients dA in the reserve) and
 * one GEMM per step ({@code dh_{t-1} += dA[t] · W_hh}); then {@code dX = dA[T*B, 4H] · W_ih} as one GEMM.
 *
 * <p>{@link #backwardWeights}: large GEMMs over all steps at once,
 * {@code dW_ih += dA^T · X} and {@code dW_hh += dA^T · H_prev}, where H_prev is the layer output shifted by
 * one step; the rows whose previous state is h0 (each sequence's first processed step) are added with h0.
 */
final class LstmBackward {
    private final RnnSpec spec;
    private final ParameterLayout layout;
    private final CpuPrecision precision;
    private final CpuReserve reserve;
    private final LstmCell cell;   // the LSTM's cell, or null for the GRU
    private final GruCell gru;     // the GRU's cell, or null for the LSTM
    private final NativeBuffer params;
    private final BatchShape shape;
    private final int seqLen;     // T
    private final int batch;      // B
    private final int hidden;     // H
    private final int dirs;       // D
    private final int gateWidth;  // G = 4H
    private final int outWidth;   // D*H

    LstmBackward(RnnSpec spec, ParameterLayout layout, CpuPrecision precision, LstmCell cell, GruCell gru,
                 CpuReserve reserve) {
        this.cell = cell;
        this.gru = gru;
        this.spec = spec;
        this.layout = layout;
        this.precision = precision;
        this.reserve = reserve;
        this.params = CpuBackend.bufferOf(reserve.params.packed());
        this.shape = reserve.shape;
        this.seqLen = shape.seqLen();
        this.batch = shape.batch();
        this.hidden = spec.hiddenSize();
        this.dirs = spec.directions();
        this.gateWidth = spec.gateRows();
        this.outWidth = spec.outputSize();
    }

    void backwardData(OutputGradients upstream, InputGradients result, Allocations scratch) {
        boolean batchFirst = spec.layout() == SequenceLayout.BATCH_FIRST;
        NativeBuffer dy = null;
        if (upstream.dy() != null) {
            dy = CpuBackend.bufferOf(upstream.dy());
            if (batchFirst) {
                NativeBuffer tm = scratch.allocate(dy.elements(), "time-major copy of dy");
                SequenceLayouts.toTimeMajor(dy, tm, seqLen, batch, outWidth);
                dy = tm;
            }
        }
        NativeBuffer dhn = bufferOrNull(upstream.dhn());
        NativeBuffer dcn = bufferOrNull(upstream.dcn());
        NativeBuffer dx = CpuBackend.bufferOf(result.dx());
        NativeBuffer dh0 = CpuBackend.bufferOf(result.dh0());
        NativeBuffer dc0 = bufferOrNull(result.dc0());
        NativeBuffer hPrev = gru != null ? scratch.allocate((long) batch * hidden, "GRU h_{t-1} [B, H]") : null;
        int state = spec.stateSize();   // h's features: P with projection, else H
        NativeBuffer dh = scratch.allocate((long) batch * state, "carried dh [B, P]");
        NativeBuffer[] layerGrads = new NativeBuffer[2];  // ping-pong: dY of layer l-1 = dX of layer l
        // W_hh^T [P, 4H]: OpenBLAS runs the per-step dh GEMM faster in the (NoTrans, Trans) form.
        NativeBuffer wHhT = scratch.allocate((long) state * gateWidth, "transposed W_hh [P, 4H]");
        NativeBuffer[] projection = spec.projects() ? new NativeBuffer[] {
                scratch.allocate((long) batch * state, "dh at h_t [B, P]"),
                scratch.allocate((long) batch * hidden, "dh at o * tanh(c) [B, H]")} : null;
        long stateSize = (long) batch * state;
        for (int l = spec.numLayers() - 1; l >= 0; l--) {
            int inWidth = spec.layerInputSize(l);
            NativeBuffer dIn;
            if (l > 0) {
                if (layerGrads[l % 2] == null) {
                    layerGrads[l % 2] = scratch.allocate((long) seqLen * batch * outWidth, "layer gradient [T, B, D*H]");
                }
                dIn = layerGrads[l % 2];
            } else if (batchFirst) {
                dIn = scratch.allocate((long) seqLen * batch * inWidth, "time-major dx");
            } else {
                dIn = dx;
            }
            for (int d = 0; d < dirs; d++) {
                int k = l * dirs + d;
                long stateOffset = k * stateSize;
                ParameterLayout.Block w = layout.block(l, d);
                NativeBuffer gates = reserve.gates[k];
                precision.transpose(gateWidth, state, params, w.wHh(), wHhT, 0);
                if (dhn != null) {
                    NativeBuffer.copy(dhn, stateOffset, dh, 0, stateSize);
                } else {
                    dh.zero(0, stateSize);
                }
                if (gru != null) {
                    gruSteps(l, d, k, stateOffset, dy, hPrev, dh, wHhT);
                } else if (projection != null) {
                    projectedSteps(d, k, w, dcn, dc0, dy, dh, wHhT, projection[0], projection[1]);
                } else {
                    lstmSteps(d, k, w, stateOffset, dcn, dc0, dy, dh, wHhT);
                }
                NativeBuffer.copy(dh, 0, dh0, stateOffset, stateSize);
                precision.gemm(false, false, seqLen * batch, inWidth, gateWidth, 1, gates, 0, gateWidth, params,
                        w.wIh(), inWidth, d == 0 ? 0 : 1, dIn, 0, inWidth);
            }
            if (l > 0 && reserve.dropped[l - 1] != null) {
                // dIn is the gradient at layer l's input, the dropped output of layer l-1: back through the mask.
                precision.dropout((long) seqLen * batch * inWidth, dIn, dIn, reserve.dropoutSeed, l - 1,
                        spec.dropout());
            }
            dy = dIn;
        }
        if (batchFirst) {
            SequenceLayouts.toBatchFirst(dy, dx, seqLen, batch, spec.inputSize());
        }
    }

    /** The LSTM's steps of one direction, last first; the carried dh and dc end as dh0 and dc0. */
    private void lstmSteps(int d, int k, ParameterLayout.Block w, long stateOffset, NativeBuffer dcn, NativeBuffer dc0,
                           NativeBuffer dy, NativeBuffer dh, NativeBuffer wHhT) {
        long stateSize = (long) batch * hidden;
        NativeBuffer gates = reserve.gates[k];
        NativeBuffer cells = reserve.cells[k];
        cell.loadPeephole(params, w.peephole());
        cell.beginBackward(dcn, stateOffset);
        for (int s = seqLen - 1; s >= 0; s--) {
            int t = d == 0 ? s : seqLen - 1 - s;
            NativeBuffer prevCells = cells;
            long prevOffset = (long) (d == 0 ? t - 1 : t + 1) * stateSize;
            if (s == 0) {
                prevCells = reserve.c0;
                prevOffset = stateOffset;
            }
            long gatesOffset = (long) t * batch * gateWidth;
            cell.backward(t, shape.lengths(), gates, gatesOffset, cells, t * stateSize, prevCells, prevOffset,
                    dh, 0, dy, (long) t * batch * outWidth + (long) d * hidden, outWidth);
            precision.gemm(false, true, batch, hidden, gateWidth, 1, gates, gatesOffset, gateWidth, wHhT,
                    0, gateWidth, 1, dh, 0, hidden);
        }
        cell.endBackward(dc0, stateOffset);
        cell.storeBiasGradient(reserve.biasGrad, (long) k * gateWidth);
    }

    /**
     * The steps of one direction of an LSTM with projection, last first. The carried dh is at h_t [B, P]: plus dy
     * it is kept per step for dW_hr (zero on rows not running), taken through W_hr to the cell's output
     * {@code m = o * tanh(c)}, and the cell's gate gradients bring it back to h_{t-1} through W_hh. A row not
     * running passes its dh through unchanged.
     */
    private void projectedSteps(int d, int k, ParameterLayout.Block w, NativeBuffer dcn, NativeBuffer dc0,
                                NativeBuffer dy, NativeBuffer dh, NativeBuffer wHhT, NativeBuffer dhAt,
                                NativeBuffer dm) {
        int p = spec.stateSize();
        long cellSize = (long) batch * hidden;
        long cOffset = k * cellSize;
        NativeBuffer gates = reserve.gates[k];
        NativeBuffer cells = reserve.cells[k];
        NativeBuffer kept = reserve.projectedGrads[k];
        cell.loadPeephole(params, w.peephole());
        cell.beginBackward(dcn, cOffset);
        for (int s = seqLen - 1; s >= 0; s--) {
            int t = d == 0 ? s : seqLen - 1 - s;
            NativeBuffer.copy(dh, 0, dhAt, 0, (long) batch * p);
            for (int b = 0; b < batch; b++) {
                if (t < shape.length(b) && dy != null) {
                    precision.add(p, dy, (long) t * batch * outWidth + (long) b * outWidth + (long) d * p, dhAt,
                            (long) b * p);
                }
            }
            long keptOffset = (long) t * batch * p;
            NativeBuffer.copy(dhAt, 0, kept, keptOffset, (long) batch * p);
            for (int b = 0; b < batch; b++) {
                if (t >= shape.length(b)) {
                    kept.zero(keptOffset + (long) b * p, p);
                }
            }
            precision.gemm(false, false, batch, hidden, p, 1, dhAt, 0, p, params, w.wHr(), hidden, 0, dm, 0, hidden);
            NativeBuffer prevCells = cells;
            long prevOffset = (long) (d == 0 ? t - 1 : t + 1) * cellSize;
            if (s == 0) {
                prevCells = reserve.c0;
                prevOffset = cOffset;
            }
            long gatesOffset = (long) t * batch * gateWidth;
            cell.backward(t, shape.lengths(), gates, gatesOffset, cells, t * cellSize, prevCells, prevOffset, dm, 0,
                    null, 0, hidden);
            for (int b = 0; b < batch; b++) {
                if (t < shape.length(b)) {
                    dh.zero((long) b * p, p);   // running rows: dh_{t-1} is the GEMM's alone
                }
            }
            precision.gemm(false, true, batch, p, gateWidth, 1, gates, gatesOffset, gateWidth, wHhT, 0, gateWidth, 1,
                    dh, 0, p);
        }
        cell.endBackward(dc0, cOffset);
        cell.storeBiasGradient(reserve.biasGrad, (long) k * gateWidth);
    }

    /**
     * The GRU's steps of one direction, last first: the cell leaves the input-side gate gradients in the reserve's
     * gates and the hidden-side ones in its own buffer, which the per-step GEMM takes back through W_hh. The cell
     * reads h_{t-1} values (for dz), gathered per step: a sequence's first processed step reads h0 (the layer
     * output past a reverse sequence's length was zeroed).
     */
    private void gruSteps(int l, int d, int k, long stateOffset, NativeBuffer dy, NativeBuffer hPrev, NativeBuffer dh,
                          NativeBuffer wHhT) {
        NativeBuffer gates = reserve.gates[k];
        NativeBuffer hiddenGrads = reserve.hiddenGrads[k];
        NativeBuffer output = reserve.outputs[l];
        long stateSize = (long) batch * hidden;
        gru.beginBackward();
        for (int s = seqLen - 1; s >= 0; s--) {
            int t = d == 0 ? s : seqLen - 1 - s;
            int before = d == 0 ? t - 1 : t + 1;
            for (int b = 0; b < batch; b++) {
                boolean first = d == 0 ? t == 0 : t == shape.length(b) - 1;
                if (!first && before >= 0 && before < seqLen) {
                    NativeBuffer.copy(output, (long) before * batch * outWidth + (long) b * outWidth + (long) d * hidden,
                            hPrev, (long) b * hidden, hidden);
                } else if (reserve.h0 != null) {
                    NativeBuffer.copy(reserve.h0, stateOffset + (long) b * hidden, hPrev, (long) b * hidden, hidden);
                } else {
                    hPrev.zero((long) b * hidden, hidden);
                }
            }
            long gatesOffset = (long) t * batch * gateWidth;
            gru.backward(t, shape.lengths(), gates, gatesOffset, hiddenGrads, gatesOffset, reserve.cells[k],
                    t * stateSize, hPrev, 0, hidden, dh, 0, dy, (long) t * batch * outWidth + (long) d * hidden,
                    outWidth);
            precision.gemm(false, true, batch, hidden, gateWidth, 1, hiddenGrads, gatesOffset, gateWidth, wHhT, 0,
                    gateWidth, 1, dh, 0, hidden);
        }
        gru.storeBiasGradients(reserve.biasGrad, (long) k * gateWidth, reserve.biasGradHh, (long) k * gateWidth);
    }

    void backwardWeights(Parameters gradients, Allocations scratch) {
        NativeBuffer grads = CpuBackend.bufferOf(gradients.packed());
        int state = spec.stateSize();
        NativeBuffer startRows = null;  // [B, 4H] gate gradients of each sequence's first processed step
        int rows = seqLen * batch;
        for (int l = 0; l < spec.numLayers(); l++) {
            NativeBuffer input = reserve.layerInput(l);
            int inWidth = spec.layerInputSize(l);
            NativeBuffer output = reserve.outputs[l];
            for (int d = 0; d < dirs; d++) {
                int k = l * dirs + d;
                ParameterLayout.Block w = layout.block(l, d);
                NativeBuffer dA = reserve.gates[k];
                NativeBuffer dAh = reserve.hiddenGrads(k);
                precision.gemm(true, false, gateWidth, inWidth, rows, 1, dA, 0, gateWidth, input, 0, inWidth, 1,
                        grads, w.wIh(), inWidth);
                if (seqLen > 1) {
                    // Forward: dA[t] pairs with h[t-1]; reverse: dA[t] pairs with h[t+1].
                    long dAOffset = d == 0 ? (long) batch * gateWidth : 0;
                    long hOffset = (d == 0 ? 0 : (long) batch * outWidth) + (long) d * state;
                    precision.gemm(true, false, gateWidth, state, rows - batch, 1, dAh, dAOffset, gateWidth, output,
                            hOffset, outWidth, 1, grads, w.wHh(), state);
                }
                if (reserve.h0 != null) {
                    NativeBuffer first = dAh;
                    long firstOffset = d == 0 ? 0 : (long) (seqLen - 1) * batch * gateWidth;
                    if (d == 1 && shape.variableLength()) {
                        if (startRows == null) {
                            startRows = scratch.allocate((long) batch * gateWidth, "first-step gate gradients");
                        }
                        for (int b = 0; b < batch; b++) {
                            NativeBuffer.copy(dAh, ((long) (shape.length(b) - 1) * batch + b) * gateWidth, startRows,
                                    (long) b * gateWidth, gateWidth);
                        }
                        first = startRows;
                        firstOffset = 0;
                    }
                    precision.gemm(true, false, gateWidth, state, batch, 1, first, firstOffset, gateWidth, reserve.h0,
                            (long) k * batch * state, state, 1, grads, w.wHh(), state);
                }
                if (w.hasProjection()) {
                    // dW_hr [P, H] += (gradients at h)^T · (o * tanh(c)) over all steps at once
                    precision.gemm(true, false, state, hidden, rows, 1, reserve.projectedGrads[k], 0, state,
                            reserve.projected[k], 0, hidden, 1, grads, w.wHr(), hidden);
                }
                if (w.hasPeephole()) {
                    addPeepholeGradient(d, dA, reserve.cells[k], (long) k * batch * hidden, grads, w.peephole());
                }
                if (w.hasBias()) {
                    NativeBuffer hh = reserve.biasGradHh != null ? reserve.biasGradHh : reserve.biasGrad;
                    precision.add(gateWidth, reserve.biasGrad, (long) k * gateWidth, grads, w.bIh());
                    precision.add(gateWidth, hh, (long) k * gateWidth, grads, w.bHh());
                }
            }
        }
    }

    /**
     * {@code dp_i += sum dA_i * k(c_prev)}, {@code dp_f += sum dA_f * k(c_prev)}, {@code dp_o += sum dA_o * k(c_t)}
     * over every step and row of one direction, from the gate gradients and cell states in the reserve (rows
     * past a sequence's length have dA = 0). {@code c_prev} of a sequence's first processed step is c0; for the
     * reverse direction's shorter sequences that is the state the ended steps kept, which is c0 too.
     */
    private void addPeepholeGradient(int d, NativeBuffer dA, NativeBuffer cells, long c0Offset, NativeBuffer grads,
                                     long offset) {
        int h = hidden;
        double[] sum = new double[3 * h];
        double[] gate = new double[gateWidth];
        double[] cur = new double[h];
        double[] prev = new double[h];
        for (int t = 0; t < seqLen; t++) {
            int before = d == 0 ? t - 1 : t + 1;
            for (int b = 0; b < batch; b++) {
                precision.read(dA, ((long) t * batch + b) * gateWidth, gate, gateWidth);
                precision.read(cells, ((long) t * batch + b) * h, cur, h);
                if (before >= 0 && before < seqLen) {
                    precision.read(cells, ((long) before * batch + b) * h, prev, h);
                } else if (reserve.c0 != null) {
                    precision.read(reserve.c0, c0Offset + (long) b * h, prev, h);
                } else {
                    java.util.Arrays.fill(prev, 0.0);
                }
                for (int j = 0; j < h; j++) {
                    double p = clamp(prev[j]);
                    sum[j] += gate[j] * p;
                    sum[h + j] += gate[h + j] * p;
                    sum[2 * h + j] += gate[3 * h + j] * clamp(cur[j]);
                }
            }
        }
        double[] total = new double[3 * h];
        precision.read(grads, offset, total, 3 * h);
        for (int j = 0; j < 3 * h; j++) {
            total[j] += sum[j];
        }
        precision.write(total, 3 * h, grads, offset);
    }

    /** The cell state as the cell read it: clamped to the clip, if any. */
    private double clamp(double c) {
        double clip = spec.cellClip();
        return clip > 0 ? Math.max(-clip, Math.min(clip, c)) : c;
    }

    private static NativeBuffer bufferOrNull(Tensor t) {
        return t == null ? null : CpuBackend.bufferOf(t);
    }
}
