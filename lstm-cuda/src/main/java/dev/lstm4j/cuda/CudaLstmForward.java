package dev.lstm4j.cuda;

import dev.lstm4j.api.CellType;
import dev.lstm4j.api.ParameterLayout;
import dev.lstm4j.api.Parameters;
import dev.lstm4j.api.RnnInputs;
import dev.lstm4j.api.RnnOutputs;
import dev.lstm4j.api.Tensor;
import dev.lstm4j.api.spi.RnnCallCheck.BatchShape;

import java.util.function.IntToLongFunction;

/**
 * Plans one forward pass through an LSTM stack on the device, per layer and direction:
 * <ol>
 *   <li>input projection for all steps as one GEMM: {@code gates[T*B, 4H] = X[T*B, I_l] · W_ih^T};</li>
 *   <li>per step one GEMM for all four gates, {@code gates[t] += h_{t-1} · W_hh^T}, reading h_{t-1} straight from
 *       the layer output (row stride D*H), then one fused pointwise kernel that adds both biases;</li>
 *   <li>the final states copied out of the last processed step, the padding of variable-length output zeroed.</li>
 * </ol>
 * Rows whose sequence has ended keep their state through the remaining steps, which also gives the reverse
 * direction its start state at step {@code length - 1}, as on the CPU backend.
 */
final class CudaLstmForward extends StackPlan {
    private final CudaLstm lstm;
    private final Parameters paramsObject;
    private final double clip;
    private final boolean gru;
    private long recurrent;   // GRU: [B, 3H] one step's W_hh h, kept apart from the input side
    private long projectedStep;   // projection, inference: [B, H] one step's o * tanh(c)
    private IntToLongFunction projectedOf = d -> 0;   // projection, training: [T, B, H] per direction

    CudaLstmForward(CudaLstm lstm, Parameters params, BatchShape shape) {
        super(lstm, params, shape);
        this.lstm = lstm;
        this.paramsObject = params;
        this.clip = spec.clipsCell() ? spec.cellClip() : 0;
        this.gru = spec.cell() == CellType.GRU;
    }

    void inference(RnnInputs in, RnnOutputs out, Scratch scratch) {
        long lengths = shape.variableLength() ? scratch.upload(shape.lengths(), "sequence lengths [B]") : 0;
        long input = addressOrNull(in.x());
        if (batchFirst) {
            long tm = scratch.allocate((long) seqLen * batch * spec.inputSize(), "time-major copy of x");
            swapLeading(batch, seqLen, spec.inputSize(), input, tm);
            input = tm;
        }
        long gates = scratch.allocate((long) seqLen * batch * gateWidth, "gate workspace [T, B, 4H]");
        long[] cells = {scratch.allocate((long) batch * hidden, "cell state [B, H]"),
                scratch.allocate((long) batch * hidden, "cell state [B, H]")};
        long[] layerOutputs = new long[2];  // ping-pong between layers
        long wHhT = scratch.allocate((long) hidden * gateWidth, "transposed W_hh [H, G]");
        if (gru) {
            recurrent = scratch.allocate((long) batch * gateWidth, "recurrent gate workspace [B, 3H]");
        }
        if (spec.projects()) {
            projectedStep = scratch.allocate((long) batch * hidden, "o * tanh(c) [B, H]");
        }
        long y = addressOrNull(out.y());
        for (int l = 0; l < spec.numLayers(); l++) {
            long output;
            if (l == spec.numLayers() - 1 && !batchFirst) {
                output = y;
            } else {
                if (layerOutputs[l % 2] == 0) {
                    layerOutputs[l % 2] = scratch.allocate((long) seqLen * batch * outWidth,
                            "layer output workspace [T, B, D*H]");
                }
                output = layerOutputs[l % 2];
            }
            runLayer(l, input, output, lengths, d -> gates, (d, s, t) -> cells[s % 2], false,
                    addressOrNull(in.h0()), addressOrNull(in.c0()), out, wHhT);
            input = output;
        }
        if (batchFirst) {
            swapLeading(seqLen, batch, outWidth, input, y);
        }
        lstm.backend().run(work, true);
    }

    CudaReserve training(RnnInputs in, RnnOutputs out, Scratch scratch) {
        Scratch kept = new Scratch(lstm.backend(), dtype);
        try {
            long lengths = shape.variableLength() ? kept.upload(shape.lengths(), "reserve: sequence lengths [B]") : 0;
            long ownX = 0;
            if (batchFirst) {
                ownX = kept.allocate((long) seqLen * batch * spec.inputSize(), "reserve: time-major copy of x");
                swapLeading(batch, seqLen, spec.inputSize(), addressOrNull(in.x()), ownX);
            }
            long h0 = copyState(in.h0(), kept, "reserve: copy of h0");
            long c0 = copyState(in.c0(), kept, "reserve: copy of c0");
            int layers = spec.numLayers();
            long[] outputs = new long[layers];
            long[] gates = new long[layers * dirs];
            long[] cells = new long[layers * dirs];
            long[] hiddenGrads = gru ? new long[layers * dirs] : null;
            long[] projected = spec.projects() ? new long[layers * dirs] : null;
            long[] projectedGrads = spec.projects() ? new long[layers * dirs] : null;
            for (int l = 0; l < layers; l++) {
                outputs[l] = kept.allocate((long) seqLen * batch * outWidth, "reserve: layer output [T, B, D*H]");
                for (int d = 0; d < dirs; d++) {
                    gates[l * dirs + d] = kept.allocate((long) seqLen * batch * gateWidth,
                            "reserve: gate activations [T, B, G]");
                    cells[l * dirs + d] = kept.allocate((long) seqLen * batch * hidden,
                            gru ? "reserve: W_hn h + b_hn [T, B, H]" : "reserve: cell states [T, B, H]");
                    if (gru) {
                        hiddenGrads[l * dirs + d] = kept.allocate((long) seqLen * batch * gateWidth,
                                "reserve: hidden-side gate gradients [T, B, 3H]");
                    }
                    if (projected != null) {
                        projected[l * dirs + d] = kept.allocate((long) seqLen * batch * hidden,
                                "reserve: o * tanh(c) [T, B, H]");
                        projectedGrads[l * dirs + d] = kept.allocate((long) seqLen * batch * state,
                                "reserve: gradients at h [T, B, P]");
                    }
                }
            }
            long input = ownX != 0 ? ownX : addressOrNull(in.x());
            long wHhT = scratch.allocate((long) hidden * gateWidth, "transposed W_hh [H, G]");
            if (gru) {
                recurrent = scratch.allocate((long) batch * gateWidth, "recurrent gate workspace [B, 3H]");
            }
            long[] dropped = new long[layers];
            long seed = 0;
            if (spec.dropsBetweenLayers()) {
                long value = in.dropoutSeed();
                seed = kept.upload(new int[] {(int) value, (int) (value >>> 32)}, "reserve: dropout seed");
            }
            long elements = (long) seqLen * batch * outWidth;
            for (int l = 0; l < layers; l++) {
                int base = l * dirs;
                if (projected != null) {
                    projectedOf = d -> projected[base + d];
                }
                runLayer(l, input, outputs[l], lengths, d -> gates[base + d],
                        (d, s, t) -> at(cells[base + d], (long) t * batch * hidden), true, h0, c0, out, wHhT);
                input = outputs[l];
                if (seed != 0 && l < layers - 1) {
                    dropped[l] = kept.allocate(elements, "reserve: dropped layer output [T, B, D*H]");
                    work.add(kernels.dropout(elements, seed, l, spec.dropout(), outputs[l], dropped[l]));
                    input = dropped[l];
                }
            }
            long y = addressOrNull(out.y());
            long last = outputs[layers - 1];
            if (batchFirst) {
                swapLeading(seqLen, batch, outWidth, last, y);
            } else {
                work.add(new Command.Copy(y, last, bytes(elements)));
            }
            lstm.backend().run(work, true);
            Tensor userX = ownX == 0 ? in.x() : null;
            return new CudaReserve(lstm, paramsObject, shape, userX, ownX, h0, c0, lengths, outputs, gates, cells,
                    hiddenGrads, projected, projectedGrads, dropped, seed, kept.release());
        } catch (RuntimeException | Error e) {
            kept.close();
            throw e;
        }
    }

    private long copyState(Tensor state, Scratch kept, String what) {
        if (state == null) {
            return 0;
        }
        long copy = kept.allocate(state.size(), what);
        work.add(new Command.Copy(copy, addressOrNull(state), bytes(state.size())));
        return copy;
    }

    /** Where step {@code t} (the {@code s}-th processed) of direction {@code d} writes its cell state. */
    private interface CellSlot {
        long of(int d, int s, int t);
    }

    /**
     * Both directions of layer {@code l} from {@code input [T, B, I_l]} into {@code output [T, B, D*H]}; h0 and c0
     * may be 0 (zeros); hn and cn of {@code out} receive the final states.
     */
    private void runLayer(int l, long input, long output, long lengths, IntToLongFunction gatesOf, CellSlot cellAt,
                          boolean keep, long h0, long c0, RnnOutputs out, long wHhT) {
        int inWidth = spec.layerInputSize(l);
        int rows = seqLen * batch;
        long hn = addressOrNull(out.hn());
        long cn = addressOrNull(out.cn());
        for (int d = 0; d < dirs; d++) {
            ParameterLayout.Block w = layout.block(l, d);
            long stateOffset = (long) (l * dirs + d) * batch * hidden;   // c
            long hOffset = (long) (l * dirs + d) * batch * state;        // h: P features with projection
            long gates = gatesOf.applyAsLong(d);
            // The per-step GEMM reads W_hh^T [H, 4H], transposed once here: cuBLAS runs h · W_hh^T on it as a plain
            // product, which is faster than its transposed-operand kernels at small B and H (GraphDiagnostics).
            work.add(kernels.transpose(gateWidth, state, at(params, w.wHh()), wHhT));
            long bIh = w.hasBias() ? at(params, w.bIh()) : 0;
            long bHh = w.hasBias() ? at(params, w.bHh()) : 0;
            long peep = w.hasPeephole() ? at(params, w.peephole()) : 0;
            gemm(false, true, rows, gateWidth, inWidth, at(input, 0), inWidth, at(params, w.wIh()), inWidth, 0, gates,
                    gateWidth);
            long cPrev = at(c0, stateOffset);
            for (int s = 0; s < seqLen; s++) {
                int t = step(d, s);
                long gatesT = at(gates, (long) t * batch * gateWidth);
                long hPrev;
                int hPrevStride;
                if (s > 0) {
                    hPrev = at(output, (long) previous(d, t) * batch * outWidth + (long) d * state);
                    hPrevStride = outWidth;
                } else {
                    hPrev = at(h0, hOffset);
                    hPrevStride = state;
                }
                long hOut = at(output, (long) t * batch * outWidth + (long) d * state);
                if (gru) {
                    // The GRU's recurrent part goes to its own buffer: the reset gate scales its n block.
                    if (hPrev != 0) {
                        gemm(false, false, batch, gateWidth, hidden, hPrev, hPrevStride, wHhT, gateWidth, 0, recurrent,
                                gateWidth);
                    } else {
                        work.add(new Command.Zero(recurrent, bytes((long) batch * gateWidth)));
                    }
                    work.add(kernels.gruForwardStep(batch, hidden, t, lengths, gatesT, recurrent, bIh, bHh, hPrev,
                            hPrevStride, hOut, outWidth, keep ? cellAt.of(d, s, t) : 0, keep));
                    continue;
                }
                if (hPrev != 0) {  // a zero initial state contributes nothing: skip the GEMM
                    stepGemm(batch, gateWidth, state, hPrev, hPrevStride, wHhT, gateWidth, gatesT, gateWidth);
                }
                long cOut = cellAt.of(d, s, t);
                if (spec.projects()) {
                    // The cell writes m = o * tanh(c) [B, H]; one GEMM projects it to h = W_hr m. Rows not running
                    // keep their h, copied over the projection (an h0 has no m).
                    long projected = projectedOf.applyAsLong(d);
                    long m = projected != 0 ? at(projected, (long) t * batch * hidden) : projectedStep;
                    work.add(kernels.forwardStep(batch, hidden, t, lengths, gatesT, bIh, bHh, peep, 0, hidden, cPrev,
                            m, hidden, cOut, keep, clip));
                    gemm(false, true, batch, state, hidden, m, hidden, at(params, w.wHr()), hidden, 0, hOut, outWidth);
                    if (lengths != 0) {
                        work.add(kernels.keepInactive(batch, state, t, lengths, hPrev, hPrevStride, hOut, outWidth));
                    }
                } else {
                    work.add(kernels.forwardStep(batch, hidden, t, lengths, gatesT, bIh, bHh, peep, hPrev, hPrevStride,
                            cPrev, hOut, outWidth, cOut, keep, clip));
                }
                cPrev = cOut;
            }
            int last = step(d, seqLen - 1);
            work.add(new Command.Copy2D(at(hn, hOffset), bytes(state),
                    at(output, (long) last * batch * outWidth + (long) d * state), bytes(outWidth), bytes(state),
                    batch));
            if (cn != 0) {
                work.add(new Command.Copy(at(cn, stateOffset), cPrev, bytes((long) batch * hidden)));
            }
        }
        if (shape.variableLength()) {
            work.add(kernels.zeroPadding(seqLen, batch, outWidth, lengths, output));
        }
    }
}
