package dev.lstm4j.cpu;

/**
 * {@link LstmCell} in double, with exact {@link Math#tanh} and {@link Math#exp}: this is the precision of
 * gradient checks, where accuracy matters more than speed. See {@link LstmCell} for the equations.
 */
final class Float64LstmCell extends LstmCell {
    private final double[] pre;       // [B, G] gate pre-activations (backward: gate gradients dA)
    private final double[] act;       // [B, G] activations i, f, g, o
    private final double[] h;         // [B, H] hidden state (backward: carried dh)
    private final double[] c;         // [B, H] cell state (backward: carried dc)
    private final double[] cT;        // [B, H] backward: c_t
    private final double[] cPrev;     // [B, H] backward: c_{t-1}
    private final double[] dy;        // [B, H] backward: upstream output gradient
    private final double[] bias;      // [G] b_ih + b_hh
    private final double[] biasGrad;  // [G] bias gradient summed over the backward pass
    private final Views.Doubles view = new Views.Doubles();

    Float64LstmCell(int batch, int hidden) {
        super(batch, hidden);
        pre = new double[batch * gateWidth];
        act = new double[batch * gateWidth];
        h = new double[batch * hidden];
        c = new double[batch * hidden];
        cT = new double[batch * hidden];
        cPrev = new double[batch * hidden];
        dy = new double[batch * hidden];
        bias = new double[gateWidth];
        biasGrad = new double[gateWidth];
    }

    @Override
    void loadBias(NativeBuffer params, long bIh, long bHh) {
        if (bIh < 0) {
            java.util.Arrays.fill(bias, 0.0);
            return;
        }
        view.at(params, bIh).get(bias, 0, gateWidth);
        view.at(params, bHh).get(pre, 0, gateWidth);  // pre is free here: borrow it for b_hh
        for (int k = 0; k < gateWidth; k++) {
            bias[k] += pre[k];
        }
    }

    @Override
    void loadState(NativeBuffer h0, long hOffset, NativeBuffer c0, long cOffset) {
        read(h0, hOffset, h);
        read(c0, cOffset, c);
    }

    @Override
    void storeState(NativeBuffer hn, long hOffset, NativeBuffer cn, long cOffset) {
        view.at(hn, hOffset).put(h, 0, h.length);
        view.at(cn, cOffset).put(c, 0, c.length);
    }

    private void read(NativeBuffer src, long offset, double[] dst) {
        if (src == null) {
            java.util.Arrays.fill(dst, 0.0);
        } else {
            view.at(src, offset).get(dst, 0, dst.length);
        }
    }

    @Override
    void forward(int t, int[] lengths, NativeBuffer gates, long gatesOffset, boolean keepActivations,
                 NativeBuffer out, long outOffset, int outStride, NativeBuffer cellStates, long cellOffset) {
        view.at(gates, gatesOffset).get(pre, 0, pre.length);
        for (int b = 0; b < batch; b++) {
            if (t < lengths[b]) {
                forwardRow(b * gateWidth, b * hidden);
            }
        }
        if (keepActivations) {
            view.at(gates, gatesOffset).put(act, 0, act.length);
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

    private void forwardRow(int g0, int s0) {
        final int n = hidden;
        final int fo = g0 + n;
        final int go = g0 + 2 * n;
        final int oo = g0 + 3 * n;
        final double[] pre = this.pre;
        final double[] act = this.act;
        final double[] bias = this.bias;
        final double[] c = this.c;
        final double[] h = this.h;
        for (int j = 0; j < n; j++) {
            double i = sigmoid(pre[g0 + j] + bias[j]);
            double f = sigmoid(pre[fo + j] + bias[n + j]);
            double g = Math.tanh(pre[go + j] + bias[2 * n + j]);
            double o = sigmoid(pre[oo + j] + bias[3 * n + j]);
            double cNew = f * c[s0 + j] + i * g;
            act[g0 + j] = i;
            act[fo + j] = f;
            act[go + j] = g;
            act[oo + j] = o;
            c[s0 + j] = cNew;
            h[s0 + j] = o * Math.tanh(cNew);
        }
    }

    @Override
    void beginBackward(NativeBuffer dcn, long offset) {
        read(dcn, offset, c);
        java.util.Arrays.fill(biasGrad, 0.0);
    }

    @Override
    void backward(int t, int[] lengths, NativeBuffer gates, long gatesOffset, NativeBuffer cellStates,
                  long cellOffset, NativeBuffer prevCells, long prevOffset, NativeBuffer dh, long dhOffset,
                  NativeBuffer dyBuffer, long dyOffset, int dyStride) {
        view.at(gates, gatesOffset).get(act, 0, act.length);
        view.at(cellStates, cellOffset).get(cT, 0, cT.length);
        read(prevCells, prevOffset, cPrev);
        view.at(dh, dhOffset).get(h, 0, h.length);
        if (dyBuffer == null) {
            java.util.Arrays.fill(dy, 0.0);
        } else {
            for (int b = 0; b < batch; b++) {
                view.at(dyBuffer, dyOffset + (long) b * dyStride).get(dy, b * hidden, hidden);
            }
        }
        for (int b = 0; b < batch; b++) {
            int g0 = b * gateWidth;
            int s0 = b * hidden;
            if (t < lengths[b]) {
                backwardRow(g0, s0);
                java.util.Arrays.fill(h, s0, s0 + hidden, 0.0);
                for (int k = 0; k < gateWidth; k++) {
                    biasGrad[k] += pre[g0 + k];
                }
            } else {
                java.util.Arrays.fill(pre, g0, g0 + gateWidth, 0.0);
            }
        }
        view.at(gates, gatesOffset).put(pre, 0, pre.length);
        view.at(dh, dhOffset).put(h, 0, h.length);
    }

    /** Writes the row's gate gradients into {@code pre} and updates the carried dc. */
    private void backwardRow(int g0, int s0) {
        final int n = hidden;
        final int fo = g0 + n;
        final int go = g0 + 2 * n;
        final int oo = g0 + 3 * n;
        final double[] act = this.act;
        final double[] dA = this.pre;
        final double[] ct = this.cT;
        final double[] cPrev = this.cPrev;
        final double[] dhNext = this.h;
        final double[] dy = this.dy;
        final double[] dc = this.c;
        for (int j = 0; j < n; j++) {
            double i = act[g0 + j];
            double f = act[fo + j];
            double g = act[go + j];
            double o = act[oo + j];
            double tc = Math.tanh(ct[s0 + j]);
            double dhj = dhNext[s0 + j] + dy[s0 + j];
            double dcj = dc[s0 + j] + dhj * o * (1.0 - tc * tc);
            dA[g0 + j] = dcj * g * i * (1.0 - i);
            dA[fo + j] = dcj * cPrev[s0 + j] * f * (1.0 - f);
            dA[go + j] = dcj * i * (1.0 - g * g);
            dA[oo + j] = dhj * tc * o * (1.0 - o);
            dc[s0 + j] = dcj * f;
        }
    }

    @Override
    void endBackward(NativeBuffer dc0, long offset) {
        view.at(dc0, offset).put(c, 0, c.length);
    }

    @Override
    void storeBiasGradient(NativeBuffer dst, long offset) {
        view.at(dst, offset).put(biasGrad, 0, gateWidth);
    }

    private static double sigmoid(double x) {
        return 1.0 / (1.0 + Math.exp(-x));
    }
}
