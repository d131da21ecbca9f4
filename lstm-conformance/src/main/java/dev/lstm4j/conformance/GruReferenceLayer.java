package dev.lstm4j.conformance;

import java.util.Map;

/**
 * One layer and direction of {@link Fp64Reference} for PyTorch's {@code nn.GRU}, one scalar at a time.
 *
 * <p>Forward, gate rows {@code r, z, n} (rows {@code q*H .. q*H+H-1}), previous state {@code h}:
 * <pre>
 *   r  = σ(W_ir x_t + b_ir + W_hr h + b_hr)
 *   z  = σ(W_iz x_t + b_iz + W_hz h + b_hz)
 *   s  = W_hn h + b_hn                        (kept apart: the reset gate scales it, biases included)
 *   n  = tanh(W_in x_t + b_in + r * s)
 *   h' = (1 - z) * n + z * h
 * </pre>
 * Backward, with {@code dh} the gradient arriving at {@code h'}:
 * <pre>
 *   dn = dh * (1 - z)     dz = dh * (h - n)     da_n = dn * (1 - n²)
 *   da_r = da_n * s * r(1-r)     da_z = dz * z(1-z)     ds = da_n * r
 *   input side  [da_r, da_z, da_n]:  dW_ih += · xᵀ   db_ih += ·   dx_t += W_ihᵀ ·
 *   hidden side [da_r, da_z, ds]:    dW_hh += · hᵀ   db_hh += ·   dh_prev = W_hhᵀ · + dh * z
 * </pre>
 * Variable lengths as for the LSTM: a sequence runs its own steps only, its outputs past its length are zero.
 */
final class GruReferenceLayer extends LayerWeightsBase {

    private static final class GruTrace implements Trace {
        final int batch;
        final int[] lengths;
        final double[] input;   // [T, B, In]
        final double[] h0;      // [B, H]
        final double[] gates;   // [T, B, 3H] r, z, n
        final double[] s;       // [T, B, H] W_hn h + b_hn
        final double[] h;       // [T, B, H]
        final double[] hn;      // [B, H]

        GruTrace(int seqLen, int batch, int[] lengths, double[] input, double[] h0, int hidden) {
            this.batch = batch;
            this.lengths = lengths;
            this.input = input;
            this.h0 = h0;
            this.gates = new double[seqLen * batch * 3 * hidden];
            this.s = new double[seqLen * batch * hidden];
            this.h = new double[seqLen * batch * hidden];
            this.hn = new double[batch * hidden];
        }

        @Override
        public double[] hn() {
            return hn;
        }

        @Override
        public double[] cn() {
            return null;
        }
    }

    GruReferenceLayer(ReferenceWeights weights, int layer, int direction) {
        super(weights, layer, direction);
    }


    @Override
    public Trace forward(double[] input, int seqLen, int batch, int[] lengths, double[] h0, double[] c0,
                         double[] out, int outWidth, int outOffset) {
        int hd = hiddenSize;
        GruTrace tr = new GruTrace(seqLen, batch, lengths, input, h0, hd);
        double[] ax = new double[3 * hd];   // W_ih x + b_ih
        double[] ah = new double[3 * hd];   // W_hh h + b_hh
        for (int b = 0; b < batch; b++) {
            double[] h = new double[hd];
            System.arraycopy(h0, b * hd, h, 0, hd);
            for (int step = 0; step < lengths[b]; step++) {
                int tb = timeOf(step, lengths[b]) * batch + b;
                for (int row = 0; row < 3 * hd; row++) {
                    double sx = bIh == null ? 0.0 : bIh[row];
                    for (int k = 0; k < inputSize; k++) {
                        sx += wIh[row * inputSize + k] * input[tb * inputSize + k];
                    }
                    double sh = bHh == null ? 0.0 : bHh[row];
                    for (int k = 0; k < hd; k++) {
                        sh += wHh[row * hd + k] * h[k];
                    }
                    ax[row] = sx;
                    ah[row] = sh;
                }
                int gate = tb * 3 * hd;
                for (int j = 0; j < hd; j++) {
                    double r = ReferenceLayer.sigmoid(ax[j] + ah[j]);
                    double z = ReferenceLayer.sigmoid(ax[hd + j] + ah[hd + j]);
                    double s = ah[2 * hd + j];
                    double n = Math.tanh(ax[2 * hd + j] + r * s);
                    h[j] = (1.0 - z) * n + z * h[j];
                    tr.gates[gate + j] = r;
                    tr.gates[gate + hd + j] = z;
                    tr.gates[gate + 2 * hd + j] = n;
                    tr.s[tb * hd + j] = s;
                    tr.h[tb * hd + j] = h[j];
                    out[tb * outWidth + outOffset + j] = h[j];
                }
            }
            System.arraycopy(h, 0, tr.hn, b * hd, hd);
        }
        return tr;
    }

    @Override
    public void backward(Trace trace, double[] dOut, int outWidth, int outOffset, double[] dhn, double[] dcn,
                         double[] dInput, double[] dh0, double[] dc0, Map<String, double[]> grads) {
        GruTrace tr = (GruTrace) trace;
        int hd = hiddenSize;
        double[] gWIh = grads.get(wIhName);
        double[] gWHh = grads.get(wHhName);
        double[] gBIh = grads.get(bIhName);
        double[] gBHh = grads.get(bHhName);
        double[] dax = new double[3 * hd];   // gradient of W_ih x + b_ih
        double[] dah = new double[3 * hd];   // gradient of W_hh h + b_hh
        for (int b = 0; b < tr.batch; b++) {
            double[] dh = new double[hd];
            if (dhn != null) {
                System.arraycopy(dhn, b * hd, dh, 0, hd);
            }
            int n = tr.lengths[b];
            for (int step = n - 1; step >= 0; step--) {
                int tb = timeOf(step, n) * tr.batch + b;
                double[] hPrev = new double[hd];
                if (step == 0) {
                    System.arraycopy(tr.h0, b * hd, hPrev, 0, hd);
                } else {
                    System.arraycopy(tr.h, (timeOf(step - 1, n) * tr.batch + b) * hd, hPrev, 0, hd);
                }
                double[] dhPrev = new double[hd];
                int gate = tb * 3 * hd;
                for (int j = 0; j < hd; j++) {
                    double r = tr.gates[gate + j];
                    double z = tr.gates[gate + hd + j];
                    double nj = tr.gates[gate + 2 * hd + j];
                    double s = tr.s[tb * hd + j];
                    double dhj = dh[j] + dOut[tb * outWidth + outOffset + j];
                    double daN = dhj * (1.0 - z) * (1.0 - nj * nj);
                    double daR = daN * s * r * (1.0 - r);
                    double daZ = dhj * (hPrev[j] - nj) * z * (1.0 - z);
                    dax[j] = daR;
                    dax[hd + j] = daZ;
                    dax[2 * hd + j] = daN;
                    dah[j] = daR;
                    dah[hd + j] = daZ;
                    dah[2 * hd + j] = daN * r;
                    dhPrev[j] = dhj * z;
                }
                for (int row = 0; row < 3 * hd; row++) {
                    for (int k = 0; k < inputSize; k++) {
                        gWIh[row * inputSize + k] += dax[row] * tr.input[tb * inputSize + k];
                        dInput[tb * inputSize + k] += dax[row] * wIh[row * inputSize + k];
                    }
                    for (int k = 0; k < hd; k++) {
                        gWHh[row * hd + k] += dah[row] * hPrev[k];
                        dhPrev[k] += dah[row] * wHh[row * hd + k];
                    }
                    if (gBIh != null) {
                        gBIh[row] += dax[row];
                        gBHh[row] += dah[row];
                    }
                }
                dh = dhPrev;
            }
            System.arraycopy(dh, 0, dh0, b * hd, hd);
        }
    }
}
