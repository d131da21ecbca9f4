package dev.lstm4j.cpu;

/**
 * {@link LstmCell} in float. The unit loops are plain array loops over {@link FastMath} so that C2
 * vectorises them; see {@link LstmCell} for the equations.
 */
final class Float32LstmCell extends LstmCell {
    private final float[] pre;       // [B, G] gate pre-activations (backward: gate gradients dA)
    private final float[] act;       // [B, G] activations i, f, g, o
    private final float[] h;         // [B, H] hidden state (backward: carried dh)
    private final float[] c;         // [B, H] cell state (backward: carried dc)
    private final float[] cT;        // [B, H] backward: c_t
    private final float[] cPrev;     // [B, H] backward: c_{t-1}
    private final float[] dy;        // [B, H] backward: upstream output gradient
    private final float[] bias;      // [G] b_ih + b_hh
    private final float[] biasGrad;  // [G] bias gradient summed over the backward pass
    private final Views.Floats view = new Views.Floats();

    Float32LstmCell(int batch, int hidden) {
        super(batch, hidden);
        pre = new float[batch * gateWidth];
        act = new float[batch * gateWidth];
        h = new float[batch * hidden];
        c = new float[batch * hidden];
        cT = new float[batch * hidden];
        cPrev = new float[batch * hidden];
        dy = new float[batch * hidden];
        bias = new float[gateWidth];
        biasGrad = new float[gateWidth];
    }

    @Override
    void loadBias(NativeBuffer params, long bIh, long bHh) {
        if (bIh < 0) {
            java.util.Arrays.fill(bias, 0f);
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

    private void read(NativeBuffer src, long offset, float[] dst) {
        if (src == null) {
            java.util.Arrays.fill(dst, 0f);
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
        final float[] pre = this.pre;
        final float[] act = this.act;
        final float[] bias = this.bias;
        final float[] c = this.c;
        final float[] h = this.h;
        for (int j = 0; j < n; j++) {
            float i = FastMath.sigmoid(pre[g0 + j] + bias[j]);
            float f = FastMath.sigmoid(pre[fo + j] + bias[n + j]);
            float g = FastMath.tanh(pre[go + j] + bias[2 * n + j]);
            float o = FastMath.sigmoid(pre[oo + j] + bias[3 * n + j]);
            float cNew = f * c[s0 + j] + i * g;
            act[g0 + j] = i;
            act[fo + j] = f;
            act[go + j] = g;
            act[oo + j] = o;
            c[s0 + j] = cNew;
            h[s0 + j] = o * FastMath.tanh(cNew);
        }
    }

    @Override
    void beginBackward(NativeBuffer dcn, long offset) {
        read(dcn, offset, c);
        java.util.Arrays.fill(biasGrad, 0f);
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
            java.util.Arrays.fill(dy, 0f);
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
                java.util.Arrays.fill(h, s0, s0 + hidden, 0f);
                for (int k = 0; k < gateWidth; k++) {
                    biasGrad[k] += pre[g0 + k];
                }
            } else {
                java.util.Arrays.fill(pre, g0, g0 + gateWidth, 0f);
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
        final float[] act = this.act;
        final float[] dA = this.pre;
        final float[] ct = this.cT;
        final float[] cPrev = this.cPrev;
        final float[] dhNext = this.h;
        final float[] dy = this.dy;
        final float[] dc = this.c;
        for (int j = 0; j < n; j++) {
            float i = act[g0 + j];
            float f = act[fo + j];
            float g = act[go + j];
            float o = act[oo + j];
            float tc = FastMath.tanh(ct[s0 + j]);
            float dhj = dhNext[s0 + j] + dy[s0 + j];
            float dcj = dc[s0 + j] + dhj * o * (1f - tc * tc);
            dA[g0 + j] = dcj * g * i * (1f - i);
            dA[fo + j] = dcj * cPrev[s0 + j] * f * (1f - f);
            dA[go + j] = dcj * i * (1f - g * g);
            dA[oo + j] = dhj * tc * o * (1f - o);
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
}
