package dev.lstm4j.cpu;

import java.util.Arrays;

/**
 * {@link LstmCell} in double with exact {@link Math#tanh} and {@link Math#exp}: the precision of gradient
 * checks, where accuracy matters more than speed. Same structure as {@link Float32LstmCell}, which
 * explains the gate-plane layout; see {@link LstmCell} for the equations.
 */
final class Float64LstmCell extends LstmCell {
    private static final int I = 0;
    private static final int F = 1;
    private static final int G = 2;
    private static final int O = 3;

    private final double[] staging;      // [B, 4H] one step's gate block as laid out in native memory
    private final double[][] pre;        // [4][B*H] pre-activations (backward: gate gradients dA)
    private final double[][] act;        // [4][B*H] activations i, f, g, o
    private final double[][] bias;       // [4][B*H] b_ih + b_hh, repeated for every row
    private final double[][] biasGrad;   // [4][B*H] bias gradient per row, summed over rows at the end
    private final double[][] peep;       // [3][B*H] peephole weights p_i, p_f, p_o repeated for every row; null without
    private final double[] h;            // [B*H] hidden state (backward: carried dh)
    private final double[] c;            // [B*H] cell state (backward: carried dc)
    private final double[] cT;           // [B*H] backward: c_t
    private final double[] cPrev;        // [B*H] backward: c_{t-1}
    private final double[] clipKeep;    // [B*H] backward: 0 where c_t lay outside the clip, else 1; null without clip
    private final double[] prevKeep;    // [B*H] backward: 0 where c_{t-1} lay outside the clip, else 1; null without clip
    private final double[] ones;        // [B*H] of 1: the mask of an unclipped cell
    private final double[] dy;           // [B*H] backward: upstream output gradient
    private final Views.Doubles view = new Views.Doubles();

    Float64LstmCell(int batch, int hidden, double cellClip, boolean peephole) {
        super(batch, hidden, cellClip);
        this.peep = peephole ? new double[3][batch * hidden] : null;
        int plane = batch * hidden;
        staging = new double[batch * gateWidth];
        pre = new double[4][plane];
        act = new double[4][plane];
        bias = new double[4][plane];
        biasGrad = new double[4][plane];
        h = new double[plane];
        c = new double[plane];
        cT = new double[plane];
        cPrev = new double[plane];
        dy = new double[plane];
        clipKeep = cellClip > 0 ? new double[plane] : null;
        prevKeep = cellClip > 0 ? new double[plane] : null;
        ones = new double[plane];
        Arrays.fill(ones, 1);
    }

    @Override
    void loadBias(NativeBuffer params, long bIh, long bHh) {
        if (bIh < 0) {
            for (double[] plane : bias) {
                Arrays.fill(plane, 0.0);
            }
            return;
        }
        double[] sum = new double[gateWidth];
        double[] other = new double[gateWidth];
        view.at(params, bIh).get(sum, 0, gateWidth);
        view.at(params, bHh).get(other, 0, gateWidth);
        for (int k = 0; k < gateWidth; k++) {
            sum[k] += other[k];
        }
        for (int q = 0; q < 4; q++) {
            for (int b = 0; b < batch; b++) {
                System.arraycopy(sum, q * hidden, bias[q], b * hidden, hidden);
            }
        }
    }

    @Override
    void loadPeephole(NativeBuffer params, long offset) {
        if (peep == null) {
            return;
        }
        double[] weights = new double[3 * hidden];
        view.at(params, offset).get(weights, 0, weights.length);
        for (int q = 0; q < 3; q++) {
            for (int b = 0; b < batch; b++) {
                System.arraycopy(weights, q * hidden, peep[q], b * hidden, hidden);
            }
        }
    }

    @Override
    void loadState(NativeBuffer h0, long hOffset, NativeBuffer c0, long cOffset) {
        read(h0, hOffset, h);
        read(c0, cOffset, c);
    }

    @Override
    void storeState(NativeBuffer hn, long hOffset, NativeBuffer cn, long cOffset) {
        if (hn != null) {
            view.at(hn, hOffset).put(h, 0, h.length);
        }
        view.at(cn, cOffset).put(c, 0, c.length);
    }

    private void read(NativeBuffer src, long offset, double[] dst) {
        if (src == null) {
            Arrays.fill(dst, 0.0);
        } else {
            view.at(src, offset).get(dst, 0, dst.length);
        }
    }

    /** Native {@code [B, 4H]} block to four {@code [B*H]} planes. */
    private void fetchPlanes(NativeBuffer src, long offset, double[][] planes) {
        view.at(src, offset).get(staging, 0, staging.length);
        for (int b = 0; b < batch; b++) {
            for (int q = 0; q < 4; q++) {
                System.arraycopy(staging, b * gateWidth + q * hidden, planes[q], b * hidden, hidden);
            }
        }
    }

    /** Four {@code [B*H]} planes to a native {@code [B, 4H]} block. */
    private void storePlanes(double[][] planes, NativeBuffer dst, long offset) {
        for (int b = 0; b < batch; b++) {
            for (int q = 0; q < 4; q++) {
                System.arraycopy(planes[q], b * hidden, staging, b * gateWidth + q * hidden, hidden);
            }
        }
        view.at(dst, offset).put(staging, 0, staging.length);
    }

    @Override
    void forward(int t, int[] lengths, NativeBuffer gates, long gatesOffset, boolean keepActivations,
                 NativeBuffer out, long outOffset, int outStride, NativeBuffer cellStates, long cellOffset) {
        fetchPlanes(gates, gatesOffset, pre);
        for (int b = 0; b < batch; ) {
            int end = activeRunEnd(t, lengths, b);
            if (end > b) {
                forwardUnits(b * hidden, end * hidden);
                b = end;
            } else {
                b++;
            }
        }
        if (keepActivations) {
            storePlanes(act, gates, gatesOffset);
        }
        if (cellStates != null) {
            view.at(cellStates, cellOffset).put(c, 0, c.length);
        }
        if (outStride == hidden) {
            view.at(out, outOffset).put(h, 0, h.length);
        } else {
            for (int b = 0; b < batch; b++) {
                view.at(out, outOffset + (long) b * outStride).put(h, b * hidden, hidden);
            }
        }
    }

    // Loops split as in Float32LstmCell, to keep the two precisions line for line alike.
    private void forwardUnits(int from, int to) {
        if (peep != null) {
            peepholeForwardUnits(from, to);
            return;
        }
        sigmoid(pre[I], bias[I], act[I], from, to);
        sigmoid(pre[F], bias[F], act[F], from, to);
        tanh(pre[G], bias[G], act[G], from, to);
        sigmoid(pre[O], bias[O], act[O], from, to);
        final double[] aI = act[I], aF = act[F], aG = act[G], aO = act[O];
        final double[] c = this.c;
        final double[] h = this.h;
        if (cellClip > 0) {
            clippedForwardUnits(from, to);
            return;
        }
        for (int k = from; k < to; k++) {
            c[k] = aF[k] * c[k] + aI[k] * aG[k];
        }
        for (int k = from; k < to; k++) {
            h[k] = aO[k] * Math.tanh(c[k]);
        }
    }

    /** forwardUnits with the cell clip: c is stored as computed and clamped where it is read (see LstmCell). */
    private void clippedForwardUnits(int from, int to) {
        final double[] aI = act[I], aF = act[F], aG = act[G], aO = act[O];
        final double[] c = this.c;
        final double[] h = this.h;
        final double clip = cellClip;
        for (int k = from; k < to; k++) {
            c[k] = aF[k] * Math.max(-clip, Math.min(clip, c[k])) + aI[k] * aG[k];
        }
        for (int k = from; k < to; k++) {
            h[k] = aO[k] * Math.tanh(Math.max(-clip, Math.min(clip, c[k])));
        }
    }

    /**
     * forwardUnits of the peephole LSTM (see LstmCell): i and f see the cell state read at the step's start, o
     * sees the new one, so o comes after c. {@code cPrev} and {@code cT} serve as scratch for the states as read.
     */
    private void peepholeForwardUnits(int from, int to) {
        final double[] aI = act[I], aF = act[F], aG = act[G], aO = act[O];
        final double[] pI = peep[0], pF = peep[1], pO = peep[2];
        final double[] c = this.c;
        final double[] h = this.h;
        final double[] read = cPrev;
        final double[] readNew = cT;
        readClamped(c, read, from, to);
        for (int k = from; k < to; k++) {
            pre[I][k] += pI[k] * read[k];
        }
        for (int k = from; k < to; k++) {
            pre[F][k] += pF[k] * read[k];
        }
        sigmoid(pre[I], bias[I], aI, from, to);
        sigmoid(pre[F], bias[F], aF, from, to);
        tanh(pre[G], bias[G], aG, from, to);
        for (int k = from; k < to; k++) {
            c[k] = aF[k] * read[k] + aI[k] * aG[k];
        }
        readClamped(c, readNew, from, to);
        for (int k = from; k < to; k++) {
            pre[O][k] += pO[k] * readNew[k];
        }
        sigmoid(pre[O], bias[O], aO, from, to);
        for (int k = from; k < to; k++) {
            h[k] = aO[k] * Math.tanh(readNew[k]);
        }
    }

    /** {@code dst = k(src)}: the cell state as read, clamped to the clip if there is one. */
    private void readClamped(double[] src, double[] dst, int from, int to) {
        if (cellClip > 0) {
            final double clip = cellClip;
            for (int k = from; k < to; k++) {
                dst[k] = Math.max(-clip, Math.min(clip, src[k]));
            }
        } else {
            System.arraycopy(src, from, dst, from, to - from);
        }
    }

    private static void sigmoid(double[] x, double[] bias, double[] out, int from, int to) {
        for (int k = from; k < to; k++) {
            out[k] = sigmoid(x[k] + bias[k]);
        }
    }

    private static void tanh(double[] x, double[] bias, double[] out, int from, int to) {
        for (int k = from; k < to; k++) {
            out[k] = Math.tanh(x[k] + bias[k]);
        }
    }

    @Override
    void beginBackward(NativeBuffer dcn, long offset) {
        read(dcn, offset, c);
        for (double[] plane : biasGrad) {
            Arrays.fill(plane, 0.0);
        }
    }

    @Override
    void backward(int t, int[] lengths, NativeBuffer gates, long gatesOffset, NativeBuffer cellStates,
                  long cellOffset, NativeBuffer prevCells, long prevOffset, NativeBuffer dh, long dhOffset,
                  NativeBuffer dyBuffer, long dyOffset, int dyStride) {
        fetchPlanes(gates, gatesOffset, act);
        view.at(cellStates, cellOffset).get(cT, 0, cT.length);
        read(prevCells, prevOffset, cPrev);
        view.at(dh, dhOffset).get(h, 0, h.length);
        if (dyBuffer == null) {
            Arrays.fill(dy, 0.0);
        } else if (dyStride == hidden) {
            view.at(dyBuffer, dyOffset).get(dy, 0, dy.length);
        } else {
            for (int b = 0; b < batch; b++) {
                view.at(dyBuffer, dyOffset + (long) b * dyStride).get(dy, b * hidden, hidden);
            }
        }
        for (int b = 0; b < batch; ) {
            int end = activeRunEnd(t, lengths, b);
            if (end > b) {
                backwardUnits(b * hidden, end * hidden);
                Arrays.fill(h, b * hidden, end * hidden, 0.0);
                b = end;
            } else {
                for (double[] plane : pre) {
                    Arrays.fill(plane, b * hidden, (b + 1) * hidden, 0.0);
                }
                b++;
            }
        }
        storePlanes(pre, gates, gatesOffset);
        view.at(dh, dhOffset).put(h, 0, h.length);
    }

    /**
     * With the cell clip, backward sees c_t and c_{t-1} as the forward pass read them, clamped, and records where
     * the clamp passed the gradient (inside the clip) and where it stopped it.
     */
    private void clipInputs(int from, int to) {
        final double clip = cellClip;
        for (int k = from; k < to; k++) {
            clipKeep[k] = Math.abs(cT[k]) <= clip ? 1 : 0;
            cT[k] = Math.max(-clip, Math.min(clip, cT[k]));
        }
        for (int k = from; k < to; k++) {
            prevKeep[k] = Math.abs(cPrev[k]) <= clip ? 1 : 0;
            cPrev[k] = Math.max(-clip, Math.min(clip, cPrev[k]));
        }
    }

    /** Gate gradients into {@code pre}, carried dc updated, bias gradients accumulated; small loops, see forwardUnits. */
    private void backwardUnits(int from, int to) {
        final double[] aI = act[I], aF = act[F], aG = act[G], aO = act[O];
        final double[] dI = pre[I], dF = pre[F], dG = pre[G], dO = pre[O];
        final double[] tc = cT;     // c_t, replaced by tanh(c_t)
        final double[] dhNext = h;
        final double[] dy = this.dy;
        final double[] dc = c;      // carried dc_{t+1}, replaced by dc_t, then by dc_{t-1}
        final double[] cPrev = this.cPrev;
        if (clipKeep != null) {
            clipInputs(from, to);
        }
        for (int k = from; k < to; k++) {
            tc[k] = Math.tanh(tc[k]);
        }
        final double[] keep = clipKeep != null ? clipKeep : ones;
        if (peep == null) {
            for (int k = from; k < to; k++) {
                double dh = dhNext[k] + dy[k];
                double o = aO[k];
                double t = tc[k];
                dc[k] += dh * o * (1.0 - t * t) * keep[k];
                dO[k] = dh * t * o * (1.0 - o);
            }
        } else {
            final double[] pO = peep[2];
            for (int k = from; k < to; k++) {
                double dh = dhNext[k] + dy[k];
                double o = aO[k];
                double t = tc[k];
                double daO = dh * t * o * (1.0 - o);
                dO[k] = daO;
                dc[k] += (dh * o * (1.0 - t * t) + daO * pO[k]) * keep[k];   // a_o saw k(c_t) through p_o
            }
        }
        for (int k = from; k < to; k++) {
            double i = aI[k];
            dI[k] = dc[k] * aG[k] * i * (1.0 - i);
        }
        for (int k = from; k < to; k++) {
            double f = aF[k];
            dF[k] = dc[k] * cPrev[k] * f * (1.0 - f);
        }
        for (int k = from; k < to; k++) {
            double g = aG[k];
            dG[k] = dc[k] * aI[k] * (1.0 - g * g);
        }
        if (peep == null) {
            for (int k = from; k < to; k++) {
                dc[k] *= aF[k];
            }
        } else {
            final double[] pI = peep[0], pF = peep[1];
            for (int k = from; k < to; k++) {
                dc[k] = dc[k] * aF[k] + dI[k] * pI[k] + dF[k] * pF[k];   // a_i, a_f saw k(c_{t-1})
            }
        }
        if (prevKeep != null) {
            for (int k = from; k < to; k++) {
                dc[k] *= prevKeep[k];
            }
        }
        for (int q = 0; q < 4; q++) {
            double[] grad = biasGrad[q];
            double[] d = pre[q];
            for (int k = from; k < to; k++) {
                grad[k] += d[k];
            }
        }
    }

    @Override
    void endBackward(NativeBuffer dc0, long offset) {
        view.at(dc0, offset).put(c, 0, c.length);
    }

    @Override
    void storeBiasGradient(NativeBuffer dst, long offset) {
        double[] sum = new double[gateWidth];
        for (int q = 0; q < 4; q++) {
            for (int b = 0; b < batch; b++) {
                for (int j = 0; j < hidden; j++) {
                    sum[q * hidden + j] += biasGrad[q][b * hidden + j];
                }
            }
        }
        view.at(dst, offset).put(sum, 0, gateWidth);
    }

    private static double sigmoid(double x) {
        return 1.0 / (1.0 + Math.exp(-x));
    }
}
