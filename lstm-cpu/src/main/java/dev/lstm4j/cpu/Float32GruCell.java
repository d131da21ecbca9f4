package dev.lstm4j.cpu;

import java.util.Arrays;

/** {@link GruCell} in float, gate planes as in {@link Float32LstmCell} (one flat loop per quantity). */
final class Float32GruCell extends GruCell {
    private static final int R = 0;
    private static final int Z = 1;
    private static final int N = 2;

    private final float[] staging;      // [B, 3H] one step's block as laid out in native memory
    private final float[][] ax;         // [3][B*H] input side (backward: its gradients)
    private final float[][] ah;         // [3][B*H] recurrent side (backward: its gradients)
    private final float[][] act;        // [3][B*H] r, z, n
    private final float[][] biasX;      // [3][B*H] b_ih repeated for every row
    private final float[][] biasH;      // [3][B*H] b_hh repeated for every row
    private final float[][] gradX;      // [3][B*H] input-side bias gradient per row
    private final float[][] gradH;      // [3][B*H] hidden-side bias gradient per row
    private final float[] h;            // [B*H] state (backward: carried dh)
    private final float[] s;            // [B*H] W_hn h + b_hn
    private final float[] hPrev;        // [B*H] backward: h_{t-1}
    private final float[] dy;           // [B*H] backward: upstream output gradient
    private final Views.Floats view = new Views.Floats();

    Float32GruCell(int batch, int hidden) {
        super(batch, hidden);
        int plane = batch * hidden;
        staging = new float[batch * gateWidth];
        ax = new float[3][plane];
        ah = new float[3][plane];
        act = new float[3][plane];
        biasX = new float[3][plane];
        biasH = new float[3][plane];
        gradX = new float[3][plane];
        gradH = new float[3][plane];
        h = new float[plane];
        s = new float[plane];
        hPrev = new float[plane];
        dy = new float[plane];
    }

    @Override
    void loadBias(NativeBuffer params, long bIh, long bHh) {
        loadRepeated(params, bIh, biasX);
        loadRepeated(params, bHh, biasH);
    }

    private void loadRepeated(NativeBuffer params, long offset, float[][] planes) {
        if (offset < 0) {
            for (float[] plane : planes) {
                Arrays.fill(plane, 0f);
            }
            return;
        }
        float[] v = new float[gateWidth];
        view.at(params, offset).get(v, 0, gateWidth);
        for (int q = 0; q < 3; q++) {
            for (int b = 0; b < batch; b++) {
                System.arraycopy(v, q * hidden, planes[q], b * hidden, hidden);
            }
        }
    }

    @Override
    void loadState(NativeBuffer h0, long offset) {
        readRows(h0, offset, hidden, h);
    }

    @Override
    void storeState(NativeBuffer hn, long offset) {
        view.at(hn, offset).put(h, 0, h.length);
    }

    /** Rows {@code [B, H]} at {@code offset + b * stride} into {@code dst}, or zeros when {@code src} is null. */
    private void readRows(NativeBuffer src, long offset, int stride, float[] dst) {
        if (src == null) {
            Arrays.fill(dst, 0f);
        } else if (stride == hidden) {
            view.at(src, offset).get(dst, 0, dst.length);
        } else {
            for (int b = 0; b < batch; b++) {
                view.at(src, offset + (long) b * stride).get(dst, b * hidden, hidden);
            }
        }
    }

    private void fetchPlanes(NativeBuffer src, long offset, float[][] planes) {
        view.at(src, offset).get(staging, 0, staging.length);
        for (int b = 0; b < batch; b++) {
            for (int q = 0; q < 3; q++) {
                System.arraycopy(staging, b * gateWidth + q * hidden, planes[q], b * hidden, hidden);
            }
        }
    }

    private void storePlanes(float[][] planes, NativeBuffer dst, long offset) {
        for (int b = 0; b < batch; b++) {
            for (int q = 0; q < 3; q++) {
                System.arraycopy(planes[q], b * hidden, staging, b * gateWidth + q * hidden, hidden);
            }
        }
        view.at(dst, offset).put(staging, 0, staging.length);
    }

    @Override
    void forward(int t, int[] lengths, NativeBuffer gates, long gatesOffset, NativeBuffer recurrent,
                 long recurrentOffset, boolean keep, NativeBuffer out, long outOffset, int outStride,
                 NativeBuffer sStates, long sOffset) {
        fetchPlanes(gates, gatesOffset, ax);
        fetchPlanes(recurrent, recurrentOffset, ah);
        for (int b = 0; b < batch; ) {
            int end = activeRunEnd(t, lengths, b);
            if (end > b) {
                forwardUnits(b * hidden, end * hidden);
                b = end;
            } else {
                for (float[] plane : act) {
                    Arrays.fill(plane, b * hidden, (b + 1) * hidden, 0f);
                }
                Arrays.fill(s, b * hidden, (b + 1) * hidden, 0f);
                b++;
            }
        }
        if (keep) {
            storePlanes(act, gates, gatesOffset);
        }
        if (sStates != null) {
            view.at(sStates, sOffset).put(s, 0, s.length);
        }
        if (outStride == hidden) {
            view.at(out, outOffset).put(h, 0, h.length);
        } else {
            for (int b = 0; b < batch; b++) {
                view.at(out, outOffset + (long) b * outStride).put(h, b * hidden, hidden);
            }
        }
    }

    // One quantity per loop, so that C2 vectorises each (see Float32LstmCell).
    private void forwardUnits(int from, int to) {
        final float[] xR = ax[R], xZ = ax[Z], xN = ax[N];
        final float[] hR = ah[R], hZ = ah[Z], hN = ah[N];
        final float[] bR = biasH[R], bZ = biasH[Z], bN = biasH[N];
        final float[] r = act[R], z = act[Z], n = act[N];
        for (int k = from; k < to; k++) {
            xR[k] += hR[k] + bR[k];
        }
        for (int k = from; k < to; k++) {
            r[k] = FastMath.sigmoid(xR[k] + biasX[R][k]);
        }
        for (int k = from; k < to; k++) {
            xZ[k] += hZ[k] + bZ[k];
        }
        for (int k = from; k < to; k++) {
            z[k] = FastMath.sigmoid(xZ[k] + biasX[Z][k]);
        }
        for (int k = from; k < to; k++) {
            s[k] = hN[k] + bN[k];
        }
        for (int k = from; k < to; k++) {
            xN[k] += r[k] * s[k];
        }
        for (int k = from; k < to; k++) {
            n[k] = FastMath.tanh(xN[k] + biasX[N][k]);
        }
        for (int k = from; k < to; k++) {
            h[k] = n[k] + z[k] * (h[k] - n[k]);
        }
    }

    @Override
    void beginBackward() {
        for (float[] plane : gradX) {
            Arrays.fill(plane, 0f);
        }
        for (float[] plane : gradH) {
            Arrays.fill(plane, 0f);
        }
    }

    @Override
    void backward(int t, int[] lengths, NativeBuffer gates, long gatesOffset, NativeBuffer hiddenGrads,
                  long hiddenOffset, NativeBuffer sStates, long sOffset, NativeBuffer hPrevRows, long hPrevOffset,
                  int hPrevStride, NativeBuffer dh, long dhOffset, NativeBuffer dyRows, long dyOffset, int dyStride) {
        fetchPlanes(gates, gatesOffset, act);
        view.at(sStates, sOffset).get(s, 0, s.length);
        readRows(hPrevRows, hPrevOffset, hPrevStride, hPrev);
        view.at(dh, dhOffset).get(h, 0, h.length);
        readRows(dyRows, dyOffset, dyStride, dy);
        for (int b = 0; b < batch; ) {
            int end = activeRunEnd(t, lengths, b);
            if (end > b) {
                backwardUnits(b * hidden, end * hidden);
                b = end;
            } else {
                for (int q = 0; q < 3; q++) {
                    Arrays.fill(ax[q], b * hidden, (b + 1) * hidden, 0f);
                    Arrays.fill(ah[q], b * hidden, (b + 1) * hidden, 0f);
                }
                b++;
            }
        }
        storePlanes(ax, gates, gatesOffset);
        storePlanes(ah, hiddenGrads, hiddenOffset);
        view.at(dh, dhOffset).put(h, 0, h.length);
    }

    private void backwardUnits(int from, int to) {
        final float[] r = act[R], z = act[Z], n = act[N];
        final float[] dR = ax[R], dZ = ax[Z], dN = ax[N];
        final float[] d = h;   // carried dh, then dh at h' (with dy), then the direct part dh * z
        for (int k = from; k < to; k++) {
            d[k] += dy[k];
        }
        for (int k = from; k < to; k++) {
            dN[k] = d[k] * (1f - z[k]) * (1f - n[k] * n[k]);
        }
        for (int k = from; k < to; k++) {
            dR[k] = dN[k] * s[k] * r[k] * (1f - r[k]);
        }
        for (int k = from; k < to; k++) {
            dZ[k] = d[k] * (hPrev[k] - n[k]) * z[k] * (1f - z[k]);
        }
        System.arraycopy(dR, from, ah[R], from, to - from);
        System.arraycopy(dZ, from, ah[Z], from, to - from);
        for (int k = from; k < to; k++) {
            ah[N][k] = dN[k] * r[k];
        }
        for (int k = from; k < to; k++) {
            d[k] *= z[k];
        }
        for (int q = 0; q < 3; q++) {
            for (int k = from; k < to; k++) {
                gradX[q][k] += ax[q][k];
            }
            for (int k = from; k < to; k++) {
                gradH[q][k] += ah[q][k];
            }
        }
    }

    @Override
    void storeBiasGradients(NativeBuffer ih, long ihOffset, NativeBuffer hh, long hhOffset) {
        view.at(ih, ihOffset).put(sumRows(gradX), 0, gateWidth);
        view.at(hh, hhOffset).put(sumRows(gradH), 0, gateWidth);
    }

    private float[] sumRows(float[][] planes) {
        float[] sum = new float[gateWidth];
        for (int q = 0; q < 3; q++) {
            for (int b = 0; b < batch; b++) {
                for (int j = 0; j < hidden; j++) {
                    sum[q * hidden + j] += planes[q][b * hidden + j];
                }
            }
        }
        return sum;
    }
}
