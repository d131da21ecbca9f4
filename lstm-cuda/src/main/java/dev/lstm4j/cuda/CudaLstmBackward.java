package dev.lstm4j.cuda;

import dev.lstm4j.api.InputGradients;
import dev.lstm4j.api.OutputGradients;
import dev.lstm4j.api.ParameterLayout;
import dev.lstm4j.api.Parameters;

/**
 * Plans backpropagation through time for an LSTM stack on the device, from the last layer down.
 *
 * <p>{@link #backwardData}: per layer and direction, the steps in reverse processing order, each one fused
 * pointwise kernel (leaving the gate gradients dA in the reserve) and one GEMM {@code dh += dA[t] · W_hh}; then
 * {@code dX = dA[T*B, 4H] · W_ih} as one GEMM.
 *
 * <p>{@link #backwardWeights}: large GEMMs over all steps, {@code dW_ih += dA^T · X} and
 * {@code dW_hh += dA^T · H_prev} (the layer output shifted by one step), the rows whose previous state is h0
 * added with h0, and the bias gradients as {@code 1^T · dA}.
 */
final class CudaLstmBackward extends StackPlan {
    private final CudaLstm lstm;
    private final CudaReserve reserve;
    private final double clip;

    CudaLstmBackward(CudaLstm lstm, CudaReserve reserve) {
        super(lstm, reserve.params, reserve.shape);
        this.lstm = lstm;
        this.reserve = reserve;
        this.clip = spec.clipsCell() ? spec.cellClip() : 0;
    }

    void backwardData(OutputGradients upstream, InputGradients result, Scratch scratch) {
        long dy = addressOrNull(upstream.dy());
        if (dy != 0 && batchFirst) {
            long tm = scratch.allocate((long) seqLen * batch * outWidth, "time-major copy of dy");
            swapLeading(batch, seqLen, outWidth, dy, tm);
            dy = tm;
        }
        long dhn = addressOrNull(upstream.dhn());
        long dcn = addressOrNull(upstream.dcn());
        long dx = addressOrNull(result.dx());
        long dh0 = addressOrNull(result.dh0());
        long dc0 = addressOrNull(result.dc0());
        long stateSize = (long) batch * hidden;   // c
        long hSize = (long) batch * state;        // h: P features with projection
        long dh = scratch.allocate(hSize, "carried dh [B, P]");
        long dc = scratch.allocate(stateSize, "carried dc [B, H]");
        long dhAt = spec.projects() ? scratch.allocate(hSize, "dh at h_t [B, P]") : 0;
        long dm = spec.projects() ? scratch.allocate(stateSize, "dh at o * tanh(c) [B, H]") : 0;
        long[] layerGrads = new long[2];  // ping-pong: dY of layer l-1 = dX of layer l
        for (int l = spec.numLayers() - 1; l >= 0; l--) {
            int inWidth = spec.layerInputSize(l);
            long dIn;
            if (l > 0) {
                if (layerGrads[l % 2] == 0) {
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
                long hOffset = k * hSize;
                ParameterLayout.Block w = layout.block(l, d);
                long gates = reserve.gates[k];
                long cells = reserve.cells[k];
                long peep = w.hasPeephole() ? at(params, w.peephole()) : 0;
                startState(dh, dhn, hOffset, hSize);
                if (reserve.hiddenGrads == null) {
                    startState(dc, dcn, stateOffset, stateSize);
                }
                for (int s = seqLen - 1; s >= 0; s--) {
                    int t = step(d, s);
                    if (reserve.hiddenGrads != null) {
                        gruStep(d, s, t, k, l, stateOffset, w, dh, dy);
                        continue;
                    }
                    long cPrev = s == 0 ? at(reserve.c0, stateOffset) : at(cells, previous(d, t) * stateSize);
                    long gatesT = at(gates, (long) t * batch * gateWidth);
                    long dyT = at(dy, (long) t * batch * outWidth + (long) d * state);
                    if (spec.projects()) {
                        // dh at h_t (plus dy) goes back through W_hr to the cell's o * tanh(c), and is kept for dW_hr.
                        work.add(kernels.projectionGrad(batch, state, t, reserve.lengths, dh, dyT, outWidth, dhAt,
                                at(reserve.projectedGrads[k], (long) t * hSize)));
                        gemm(false, false, batch, hidden, state, dhAt, state, at(params, w.wHr()), hidden, 0, dm, hidden);
                        work.add(kernels.backwardStep(batch, hidden, t, reserve.lengths, gatesT,
                                at(cells, t * stateSize), cPrev, peep, dm, dc, 0, hidden, clip));
                    } else {
                        work.add(kernels.backwardStep(batch, hidden, t, reserve.lengths, gatesT,
                                at(cells, t * stateSize), cPrev, peep, dh, dc, dyT, outWidth, clip));
                    }
                    stepGemm(batch, state, gateWidth, gatesT, gateWidth, at(params, w.wHh()), state, dh, state);
                }
                work.add(new Command.Copy(at(dh0, hOffset), dh, bytes(hSize)));
                if (dc0 != 0) {
                    work.add(new Command.Copy(at(dc0, stateOffset), dc, bytes(stateSize)));
                }
                gemm(false, false, seqLen * batch, inWidth, gateWidth, gates, gateWidth, at(params, w.wIh()), inWidth,
                        d == 0 ? 0 : 1, dIn, inWidth);
            }
            if (l > 0 && reserve.dropped[l - 1] != 0) {
                // dIn is the gradient at layer l's input, the dropped output of layer l-1: back through the mask.
                work.add(kernels.dropout((long) seqLen * batch * inWidth, reserve.dropoutSeed, l - 1, spec.dropout(),
                        dIn, dIn));
            }
            dy = dIn;
        }
        if (batchFirst) {
            swapLeading(seqLen, batch, spec.inputSize(), dy, dx);
        }
        lstm.backend().run(work, true);
    }

    /**
     * One GRU step backward: the kernel leaves the input-side gate gradients in the reserve's gates and the
     * hidden-side ones in their own buffer, which the step GEMM takes back through W_hh.
     */
    private void gruStep(int d, int s, int t, int k, int l, long stateOffset, ParameterLayout.Block w, long dh, long dy) {
        long gatesT = at(reserve.gates[k], (long) t * batch * gateWidth);
        long hiddenT = at(reserve.hiddenGrads[k], (long) t * batch * gateWidth);
        long hPrev;
        int hPrevStride;
        if (s == 0) {
            hPrev = at(reserve.h0, stateOffset);
            hPrevStride = hidden;
        } else {
            hPrev = at(reserve.outputs[l], (long) previous(d, t) * batch * outWidth + (long) d * hidden);
            hPrevStride = outWidth;
        }
        work.add(kernels.gruBackwardStep(batch, hidden, t, reserve.lengths, gatesT, hiddenT,
                at(reserve.cells[k], (long) t * batch * hidden), hPrev, hPrevStride, at(reserve.h0, stateOffset), d == 1,
                dh, at(dy, (long) t * batch * outWidth + (long) d * hidden), outWidth));
        stepGemm(batch, hidden, gateWidth, hiddenT, gateWidth, at(params, w.wHh()), hidden, dh, hidden);
    }

    private void startState(long carried, long upstream, long offset, long size) {
        if (upstream != 0) {
            work.add(new Command.Copy(carried, at(upstream, offset), bytes(size)));
        } else {
            work.add(new Command.Zero(carried, bytes(size)));
        }
    }

    void backwardWeights(Parameters gradients, Scratch scratch) {
        long grads = CudaBackend.tensor(gradients.packed()).address();
        int rows = seqLen * batch;
        long ones = 0;       // [T*B] of 1: bias gradients are column sums of dA
        long startRows = 0;  // [B, 4H] gate gradients of each sequence's first processed step (reverse, ragged)
        for (int l = 0; l < spec.numLayers(); l++) {
            long input = reserve.layerInput(l);
            int inWidth = spec.layerInputSize(l);
            long output = reserve.outputs[l];
            for (int d = 0; d < dirs; d++) {
                int k = l * dirs + d;
                ParameterLayout.Block w = layout.block(l, d);
                long dA = reserve.gates[k];
                long dAh = reserve.hiddenGrads(k);
                gemm(true, false, gateWidth, inWidth, rows, dA, gateWidth, input, inWidth, 1, at(grads, w.wIh()),
                        inWidth);
                if (seqLen > 1) {
                    // Forward: dA[t] pairs with h[t-1]; reverse: dA[t] pairs with h[t+1].
                    long dAOffset = d == 0 ? (long) batch * gateWidth : 0;
                    long hOffset = (d == 0 ? 0 : (long) batch * outWidth) + (long) d * state;
                    gemm(true, false, gateWidth, state, rows - batch, at(dAh, dAOffset), gateWidth, at(output, hOffset),
                            outWidth, 1, at(grads, w.wHh()), state);
                }
                if (reserve.h0 != 0) {
                    long first = at(dAh, d == 0 ? 0 : (long) (seqLen - 1) * batch * gateWidth);
                    if (d == 1 && shape.variableLength()) {
                        if (startRows == 0) {
                            startRows = scratch.allocate((long) batch * gateWidth, "first-step gate gradients [B, 4H]");
                        }
                        work.add(kernels.gatherLast(batch, gateWidth, reserve.lengths, dAh, startRows));
                        first = startRows;
                    }
                    gemm(true, false, gateWidth, state, batch, first, gateWidth, at(reserve.h0, (long) k * batch * state),
                            state, 1, at(grads, w.wHh()), state);
                }
                if (w.hasProjection()) {
                    // dW_hr [P, H] += (gradients at h)^T · (o * tanh(c)) over all steps at once
                    gemm(true, false, state, hidden, rows, reserve.projectedGrads[k], state, reserve.projected[k], hidden,
                            1, at(grads, w.wHr()), hidden);
                }
                if (w.hasPeephole()) {
                    work.add(kernels.peepholeGradient(seqLen, batch, hidden, d == 1, dA, reserve.cells[k],
                            at(reserve.c0, (long) k * batch * hidden), clip, at(grads, w.peephole())));
                }
                if (w.hasBias()) {
                    if (ones == 0) {
                        ones = scratch.allocate(rows, "ones [T*B]");
                        work.add(kernels.fill(rows, 1, ones));
                    }
                    gemm(false, false, 1, gateWidth, rows, ones, rows, dA, gateWidth, 1, at(grads, w.bIh()), gateWidth);
                    gemm(false, false, 1, gateWidth, rows, ones, rows, dAh, gateWidth, 1, at(grads, w.bHh()), gateWidth);
                }
            }
        }
        lstm.backend().run(work, true);
    }
}
