package dev.lstm4j.cpu;

import dev.lstm4j.api.ParameterLayout;
import dev.lstm4j.api.Parameters;
import dev.lstm4j.api.RnnInputs;
import dev.lstm4j.api.RnnOutputs;
import dev.lstm4j.api.RnnSpec;
import dev.lstm4j.api.SequenceLayout;
import dev.lstm4j.api.Tensor;
import dev.lstm4j.api.spi.RnnCallCheck.BatchShape;

import java.util.function.IntFunction;

/**
 * One forward pass through an LSTM stack, per layer and direction:
 * <ol>
 *   <li>input projection for all steps at once: {@code gates[T*B, 4H] = X[T*B, I_l] · W_ih^T};</li>
 *   <li>per step, one GEMM for all four gates: {@code gates[t] += h_{t-1}[B, H] · W_hh^T}, reading
 *       h_{t-1} straight from the layer output (row stride D*H) so no state copy is needed;</li>
 *   <li>per step, one fused pointwise pass ({@link LstmCell#forward}) that adds the biases.</li>
 * </ol>
 * With variable lengths, finished rows keep their state while the pass goes on, which also gives the
 * reverse direction its start state h0 at step {@code length - 1}; the padding of each layer output is
 * zeroed once the layer is done.
 */
final class LstmForward {
    private final RnnSpec spec;
    private final ParameterLayout layout;
    private final CpuPrecision precision;
    private final Parameters paramsObject;
    private final NativeBuffer params;  // packed, ParameterLayout order
    private final BatchShape shape;
    private final int seqLen;           // T
    private final int batch;            // B
    private final int hidden;           // H
    private final int dirs;             // D
    private final int gateWidth;        // G = 4H
    private final int outWidth;         // D*H
    private final LstmCell cell;        // the LSTM's cell, or null for the GRU
    private final GruCell gru;          // the GRU's cell, or null for the LSTM
    private NativeBuffer recurrent;     // GRU: [B, 3H] one step's W_hh h, kept apart from the input side
    private NativeBuffer projectedStep; // projection, inference: [B, H] one step's o * tanh(c)
    private IntFunction<NativeBuffer> projectedOf = d -> null;   // projection, training: [T, B, H] per direction

    LstmForward(RnnSpec spec, ParameterLayout layout, CpuPrecision precision, LstmCell cell, GruCell gru,
                Parameters params, BatchShape shape) {
        this.spec = spec;
        this.layout = layout;
        this.precision = precision;
        this.paramsObject = params;
        this.params = CpuBackend.bufferOf(params.packed());
        this.shape = shape;
        this.seqLen = shape.seqLen();
        this.batch = shape.batch();
        this.hidden = spec.hiddenSize();
        this.dirs = spec.directions();
        this.gateWidth = spec.gateRows();
        this.outWidth = spec.outputSize();
        this.cell = cell;
        this.gru = gru;
    }

    void runInference(RnnInputs in, RnnOutputs out, Allocations scratch) {
        boolean batchFirst = spec.layout() == SequenceLayout.BATCH_FIRST;
        if (gru != null) {
            recurrent = scratch.allocate((long) batch * gateWidth, "recurrent gate workspace [B, 3H]");
        }
        if (spec.projects()) {
            projectedStep = scratch.allocate((long) batch * hidden, "o * tanh(c) [B, H]");
        }
        NativeBuffer input = timeMajorInput(in.x(), scratch);
        NativeBuffer gates = scratch.allocate((long) seqLen * batch * gateWidth, "gate workspace [T, B, 4H]");
        NativeBuffer[] layerOutputs = new NativeBuffer[2];  // ping-pong between layers
        for (int l = 0; l < spec.numLayers(); l++) {
            NativeBuffer output;
            if (l == spec.numLayers() - 1 && !batchFirst) {
                output = CpuBackend.bufferOf(out.y());
            } else {
                if (layerOutputs[l % 2] == null) {
                    layerOutputs[l % 2] = scratch.allocate((long) seqLen * batch * outWidth,
                            "layer output workspace [T, B, D*H]");
                }
                output = layerOutputs[l % 2];
            }
            runLayer(l, input, output, d -> gates, d -> null, false, bufferOrNull(in.h0()), bufferOrNull(in.c0()),
                    CpuBackend.bufferOf(out.hn()), bufferOrNull(out.cn()));
            input = output;
        }
        if (batchFirst) {
            SequenceLayouts.toBatchFirst(input, CpuBackend.bufferOf(out.y()), seqLen, batch, outWidth);
        }
    }

    CpuReserve runTraining(CpuLstm owner, RnnInputs in, RnnOutputs out, Allocations scratch) {
        Allocations kept = scratch.sibling();
        try {
            NativeBuffer ownX = null;
            if (spec.layout() == SequenceLayout.BATCH_FIRST) {
                ownX = kept.allocate((long) seqLen * batch * spec.inputSize(), "time-major copy of x");
                SequenceLayouts.toTimeMajor(CpuBackend.bufferOf(in.x()), ownX, seqLen, batch,
                        spec.inputSize());
            }
            NativeBuffer h0 = copyState(in.h0(), kept, "copy of h0");
            NativeBuffer c0 = copyState(in.c0(), kept, "copy of c0");
            int layers = spec.numLayers();
            NativeBuffer[] outputs = new NativeBuffer[layers];
            NativeBuffer[] gates = new NativeBuffer[layers * dirs];
            NativeBuffer[] cells = new NativeBuffer[layers * dirs];
            NativeBuffer[] hiddenGrads = gru != null ? new NativeBuffer[layers * dirs] : null;
            for (int l = 0; l < layers; l++) {
                outputs[l] = kept.allocate((long) seqLen * batch * outWidth, "reserve: layer output [T, B, D*H]");
                for (int d = 0; d < dirs; d++) {
                    gates[l * dirs + d] = kept.allocate((long) seqLen * batch * gateWidth,
                            "reserve: gate activations [T, B, G]");
                    cells[l * dirs + d] = kept.allocate((long) seqLen * batch * hidden,
                            gru != null ? "reserve: W_hn h + b_hn [T, B, H]" : "reserve: cell states [T, B, H]");
                    if (hiddenGrads != null) {
                        hiddenGrads[l * dirs + d] = kept.allocate((long) seqLen * batch * gateWidth,
                                "reserve: hidden-side gate gradients [T, B, 3H]");
                    }
                }
            }
            NativeBuffer biasGrad = kept.allocate((long) layers * dirs * gateWidth, "reserve: bias gradients");
            NativeBuffer biasGradHh = gru != null
                    ? kept.allocate((long) layers * dirs * gateWidth, "reserve: hidden-side bias gradients") : null;
            NativeBuffer[] projected = spec.projects() ? new NativeBuffer[layers * dirs] : null;
            NativeBuffer[] projectedGrads = spec.projects() ? new NativeBuffer[layers * dirs] : null;
            if (projected != null) {
                for (int k = 0; k < layers * dirs; k++) {
                    projected[k] = kept.allocate((long) seqLen * batch * hidden, "reserve: o * tanh(c) [T, B, H]");
                    projectedGrads[k] = kept.allocate((long) seqLen * batch * spec.stateSize(),
                            "reserve: gradients at h [T, B, P]");
                }
            }
            if (gru != null) {
                recurrent = scratch.allocate((long) batch * gateWidth, "recurrent gate workspace [B, 3H]");
            }
            NativeBuffer[] dropped = new NativeBuffer[layers];
            long seed = spec.dropsBetweenLayers() ? in.dropoutSeed() : 0;
            NativeBuffer input = ownX != null ? ownX : CpuBackend.bufferOf(in.x());
            for (int l = 0; l < layers; l++) {
                int base = l * dirs;
                if (projected != null) {
                    projectedOf = d -> projected[base + d];
                }
                runLayer(l, input, outputs[l], d -> gates[base + d], d -> cells[base + d], true, h0, c0,
                        CpuBackend.bufferOf(out.hn()), bufferOrNull(out.cn()));
                input = outputs[l];
                if (spec.dropsBetweenLayers() && l < layers - 1) {
                    dropped[l] = kept.allocate((long) seqLen * batch * outWidth, "reserve: dropped layer output");
                    precision.dropout((long) seqLen * batch * outWidth, outputs[l], dropped[l], seed, l, spec.dropout());
                    input = dropped[l];
                }
            }
            NativeBuffer y = CpuBackend.bufferOf(out.y());
            NativeBuffer last = outputs[layers - 1];
            if (spec.layout() == SequenceLayout.BATCH_FIRST) {
                SequenceLayouts.toBatchFirst(last, y, seqLen, batch, outWidth);
            } else {
                NativeBuffer.copy(last, 0, y, 0, last.elements());
            }
            Tensor userX = ownX == null ? in.x() : null;
            return new CpuReserve(owner, paramsObject, shape, userX, ownX, h0, c0, outputs, gates, cells, biasGrad,
                    hiddenGrads, biasGradHh, projected, projectedGrads, dropped, seed, kept.release());
        } catch (RuntimeException | Error e) {
            kept.close();
            throw e;
        }
    }

    private NativeBuffer copyState(Tensor state, Allocations kept, String what) {
        if (state == null) {
            return null;
        }
        NativeBuffer src = CpuBackend.bufferOf(state);
        NativeBuffer copy = kept.allocate(src.elements(), what);
        NativeBuffer.copy(src, 0, copy, 0, src.elements());
        return copy;
    }

    /**
     * Runs both directions of layer {@code l} from {@code input [T, B, I_l]} into {@code output [T, B, D*H]}.
     * h0/c0 may be null (zeros); hn/cn receive the final states.
     */
    private void runLayer(int l, NativeBuffer input, NativeBuffer output, IntFunction<NativeBuffer> gatesOf,
                          IntFunction<NativeBuffer> cellsOf, boolean keepActivations, NativeBuffer h0, NativeBuffer c0,
                          NativeBuffer hn, NativeBuffer cn) {
        int inWidth = spec.layerInputSize(l);
        int rows = seqLen * batch;
        for (int d = 0; d < dirs; d++) {
            ParameterLayout.Block w = layout.block(l, d);
            long stateOffset = (long) (l * dirs + d) * batch * hidden;
            NativeBuffer gates = gatesOf.apply(d);
            NativeBuffer cells = cellsOf.apply(d);
            precision.gemm(false, true, rows, gateWidth, inWidth, 1, input, 0, inWidth, params, w.wIh(), inWidth,
                    0, gates, 0, gateWidth);
            if (gru != null) {
                gruSteps(d, w, output, gates, cells, keepActivations, h0, stateOffset, hn);
                continue;
            }
            if (spec.projects()) {
                projectedSteps(l, d, w, output, gates, cells, keepActivations, h0, c0, hn, cn);
                continue;
            }
            cell.loadBias(params, w.bIh(), w.bHh());
            cell.loadPeephole(params, w.peephole());
            cell.loadState(h0, stateOffset, c0, stateOffset);
            for (int s = 0; s < seqLen; s++) {
                int t = d == 0 ? s : seqLen - 1 - s;
                long gatesOffset = (long) t * batch * gateWidth;
                if (s > 0) {
                    int prev = d == 0 ? t - 1 : t + 1;
                    precision.gemm(false, true, batch, gateWidth, hidden, 1, output,
                            (long) prev * batch * outWidth + (long) d * hidden, outWidth, params, w.wHh(), hidden,
                            1, gates, gatesOffset, gateWidth);
                } else if (h0 != null) {  // a zero initial state contributes nothing: skip the GEMM
                    precision.gemm(false, true, batch, gateWidth, hidden, 1, h0, stateOffset, hidden, params,
                            w.wHh(), hidden, 1, gates, gatesOffset, gateWidth);
                }
                cell.forward(t, shape.lengths(), gates, gatesOffset, keepActivations, output,
                        (long) t * batch * outWidth + (long) d * hidden, outWidth, cells, (long) t * batch * hidden);
            }
            cell.storeState(hn, stateOffset, cn, stateOffset);
        }
        if (shape.variableLength()) {
            SequenceLayouts.zeroPadding(output, shape, outWidth);
        }
    }

    /**
     * The time loop of an LSTM with projection (PyTorch's {@code proj_size}) for direction {@code d}: h has P
     * features, {@code h_t = W_hr (o * tanh(c_t))}. Per step: the gate GEMM reads h_{t-1} [B, P]; the cell writes
     * {@code m = o * tanh(c)} [B, H] (kept for backward in training); one more GEMM projects it into the output. A
     * row whose sequence is not running keeps its h: it is copied over the projection, since an h0 has no m.
     */
    private void projectedSteps(int l, int d, ParameterLayout.Block w, NativeBuffer output, NativeBuffer gates,
                                NativeBuffer cells, boolean keep, NativeBuffer h0, NativeBuffer c0, NativeBuffer hn,
                                NativeBuffer cn) {
        int p = spec.stateSize();
        int k = l * dirs + d;
        long hOffset = (long) k * batch * p;
        long cOffset = (long) k * batch * hidden;
        NativeBuffer projected = projectedOf.apply(d);
        cell.loadBias(params, w.bIh(), w.bHh());
        cell.loadPeephole(params, w.peephole());
        cell.loadState(null, 0, c0, cOffset);
        for (int s = 0; s < seqLen; s++) {
            int t = d == 0 ? s : seqLen - 1 - s;
            long gatesOffset = (long) t * batch * gateWidth;
            NativeBuffer hPrev = null;
            long hPrevOffset = 0;
            int hPrevStride = p;
            if (s > 0) {
                hPrev = output;
                hPrevOffset = (long) (d == 0 ? t - 1 : t + 1) * batch * outWidth + (long) d * p;
                hPrevStride = outWidth;
            } else if (h0 != null) {
                hPrev = h0;
                hPrevOffset = hOffset;
            }
            if (hPrev != null) {
                precision.gemm(false, true, batch, gateWidth, p, 1, hPrev, hPrevOffset, hPrevStride, params, w.wHh(),
                        p, 1, gates, gatesOffset, gateWidth);
            }
            NativeBuffer m = projected != null ? projected : projectedStep;
            long mOffset = projected != null ? (long) t * batch * hidden : 0;
            cell.forward(t, shape.lengths(), gates, gatesOffset, keep, m, mOffset, hidden, cells,
                    (long) t * batch * hidden);
            long hOut = (long) t * batch * outWidth + (long) d * p;
            precision.gemm(false, true, batch, p, hidden, 1, m, mOffset, hidden, params, w.wHr(), hidden, 0, output,
                    hOut, outWidth);
            for (int b = 0; b < batch; b++) {
                if (t >= shape.length(b)) {   // not running: keep h (h0 before a reverse sequence starts)
                    if (hPrev != null) {
                        NativeBuffer.copy(hPrev, hPrevOffset + (long) b * hPrevStride, output, hOut + (long) b * outWidth,
                                p);
                    } else {
                        output.zero(hOut + (long) b * outWidth, p);
                    }
                }
            }
        }
        cell.storeState(null, 0, cn, cOffset);
        int last = d == 0 ? seqLen - 1 : 0;
        for (int b = 0; b < batch; b++) {
            NativeBuffer.copy(output, (long) last * batch * outWidth + (long) b * outWidth + (long) d * p, hn,
                    hOffset + (long) b * p, p);
        }
    }

    /**
     * The GRU's time loop for direction {@code d}: per step {@code recurrent = h_{t-1} · W_hh^T} (its own buffer:
     * the reset gate scales the n block of it), then the fused cell, which adds the biases.
     */
    private void gruSteps(int d, ParameterLayout.Block w, NativeBuffer output, NativeBuffer gates,
                          NativeBuffer sStates, boolean keep, NativeBuffer h0, long stateOffset, NativeBuffer hn) {
        gru.loadBias(params, w.bIh(), w.bHh());
        gru.loadState(h0, stateOffset);
        for (int s = 0; s < seqLen; s++) {
            int t = d == 0 ? s : seqLen - 1 - s;
            if (s > 0) {
                int prev = d == 0 ? t - 1 : t + 1;
                precision.gemm(false, true, batch, gateWidth, hidden, 1, output,
                        (long) prev * batch * outWidth + (long) d * hidden, outWidth, params, w.wHh(), hidden, 0,
                        recurrent, 0, gateWidth);
            } else if (h0 != null) {
                precision.gemm(false, true, batch, gateWidth, hidden, 1, h0, stateOffset, hidden, params, w.wHh(),
                        hidden, 0, recurrent, 0, gateWidth);
            } else {
                recurrent.zero(0, (long) batch * gateWidth);
            }
            gru.forward(t, shape.lengths(), gates, (long) t * batch * gateWidth, recurrent, 0, keep, output,
                    (long) t * batch * outWidth + (long) d * hidden, outWidth, sStates, (long) t * batch * hidden);
        }
        gru.storeState(hn, stateOffset);
    }

    private static NativeBuffer bufferOrNull(Tensor t) {
        return t == null ? null : CpuBackend.bufferOf(t);
    }

    private NativeBuffer timeMajorInput(Tensor x, Allocations scratch) {
        NativeBuffer src = CpuBackend.bufferOf(x);
        if (spec.layout() == SequenceLayout.TIME_MAJOR) {
            return src;
        }
        NativeBuffer tm = scratch.allocate(src.elements(), "time-major copy of x");
        SequenceLayouts.toTimeMajor(src, tm, seqLen, batch, spec.inputSize());
        return tm;
    }
}
