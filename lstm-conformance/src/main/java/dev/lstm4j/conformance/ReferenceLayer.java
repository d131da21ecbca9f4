package dev.lstm4j.conformance;

import dev.lstm4j.api.CellType;

import java.util.Map;

/**
 * One layer and direction of {@link Fp64Reference}: the LSTM cell run over a batch of variable-length
 * sequences, forward and backward, one scalar at a time.
 *
 * <p>Forward, for one sequence of length {@code n}, the steps run {@code t = 0 .. n-1} (reverse direction:
 * {@code t = n-1 .. 0}); {@code (h, c)} start at the initial state and at each step become
 * <pre>
 *   a_q = W_iq x_t + b_iq + W_hq h + b_hq      for q in i, f, g, o (rows q*H .. q*H+H-1)
 *   i = σ(a_i)   f = σ(a_f)   g = tanh(a_g)   o = σ(a_o)
 *   c' = f * c + i * g
 *   h' = o * tanh(c')
 * </pre>
 * The peephole LSTM (Gers and Schmidhuber) adds diagonal weights {@code p_i, p_f, p_o} (tensor
 * {@code weight_peephole_l{k}} [3, H], rows i, f, o): {@code a_i += p_i * c}, {@code a_f += p_f * c} with the
 * previous cell state, and {@code a_o += p_o * c'} with the new one, so the output gate sees {@code c'}.
 * With projection (LSTMP, PyTorch's {@code proj_size}) the hidden state is {@code h' = W_hr (o * tanh(c'))}, P
 * features, and {@code W_hh} is {@code [4H, P]}; backward first takes {@code dh} back through {@code W_hr}.
 * With a cell clip, as cuDNN's {@code CUDNN_RNN_CLIP_MINMAX} behaves (measured on an H100): the cell state is
 * kept as computed, {@code c' = f * k(c) + i * g}, and clamped wherever it is read,
 * {@code k(c) = min(max(c, -clip), clip)}: {@code h' = o * tanh(k(c'))}, the next step's {@code k(c')}, and the
 * peepholes. So {@code c0} enters clamped and {@code cn} is reported as computed; the gradient passes through
 * {@code k} inside the clip and stops outside it. Backward walks the same steps in the opposite order. With {@code dh}, {@code dc} the gradients
 * arriving at {@code h'}, {@code c'} (from the output at step {@code t} and from the following step):
 * <pre>
 *   do = dh * tanh(c')                  dc += dh * o * (1 - tanh²(c'))      (c' read as k(c') with a clip)
 *   di = dc * g    df = dc * c    dg = dc * i    dc_prev = dc * f
 *   da_i = di * i(1-i)   da_f = df * f(1-f)   da_g = dg * (1-g²)   da_o = do * o(1-o)
 *   dW_ih += da xᵀ   dW_hh += da hᵀ   db_ih += da   db_hh += da
 *   dx_t += W_ihᵀ da                    dh_prev = W_hhᵀ da
 * </pre>
 */
final class ReferenceLayer extends LayerWeightsBase {
    private final String peepName;
    private final double[] peep;  // [3H] p_i, p_f, p_o; null for the plain LSTM
    private final double clip;    // cell clip, 0 for none

    /** What the forward pass keeps for backward; entries past a sequence's length stay zero. */
    static final class Trace implements ReferenceRecurrence.Trace {
        final int seqLen;
        final int batch;
        final int[] lengths;
        final double[] input;   // [T, B, In] the layer's input
        final double[] h0;      // [B, P] (P = H without projection)
        final double[] c0;      // [B, H]
        final double[] gates;   // [T, B, 4H] activated i, f, g, o
        final double[] c;       // [T, B, H] cell state after step t
        final double[] h;       // [T, B, P] hidden state after step t
        final double[] hn;      // [B, P] state after each sequence's last step in this direction
        final double[] cn;      // [B, H]

        Trace(int seqLen, int batch, int[] lengths, double[] input, double[] h0, double[] c0, int hidden, int state) {
            this.seqLen = seqLen;
            this.batch = batch;
            this.lengths = lengths;
            this.input = input;
            this.h0 = h0;
            this.c0 = c0;
            this.gates = new double[seqLen * batch * 4 * hidden];
            this.c = new double[seqLen * batch * hidden];
            this.h = new double[seqLen * batch * state];
            this.hn = new double[batch * state];
            this.cn = new double[batch * hidden];
        }

        @Override
        public double[] hn() {
            return hn;
        }

        @Override
        public double[] cn() {
            return cn;
        }
    }

    ReferenceLayer(ReferenceWeights weights, int layer, int direction) {
        super(weights, layer, direction);
        this.peepName = ReferenceWeights.name("weight_peephole", layer, direction);
        this.peep = weights.spec().cell() == CellType.PEEPHOLE_LSTM ? weights.array(peepName) : null;
        this.clip = weights.spec().cellClip();
    }


    /**
     * Runs the layer and writes its hidden states into columns {@code [outOffset, outOffset + P)} of
     * {@code out [T, B, outWidth]}.
     */
    @Override
    public Trace forward(double[] input, int seqLen, int batch, int[] lengths, double[] h0, double[] c0,
                         double[] out, int outWidth, int outOffset) {
        int hd = hiddenSize;
        int ps = stateSize;
        Trace tr = new Trace(seqLen, batch, lengths, input, h0, c0, hd, ps);
        double[] a = new double[4 * hd];
        double[] m = new double[hd];   // o * tanh(c'): h itself, or what W_hr projects
        for (int b = 0; b < batch; b++) {
            double[] h = new double[ps];
            double[] c = new double[hd];
            System.arraycopy(h0, b * ps, h, 0, ps);
            System.arraycopy(c0, b * hd, c, 0, hd);
            for (int s = 0; s < lengths[b]; s++) {
                int t = timeOf(s, lengths[b]);
                int tb = t * batch + b;
                for (int r = 0; r < 4 * hd; r++) {
                    double sum = bIh == null ? 0.0 : bIh[r] + bHh[r];
                    for (int k = 0; k < inputSize; k++) {
                        sum += wIh[r * inputSize + k] * input[tb * inputSize + k];
                    }
                    for (int k = 0; k < ps; k++) {
                        sum += wHh[r * ps + k] * h[k];
                    }
                    a[r] = sum;
                }
                for (int j = 0; j < hd; j++) {
                    double cPrev = clamp(c[j]);
                    double i = sigmoid(a[j] + (peep == null ? 0.0 : peep[j] * cPrev));
                    double f = sigmoid(a[hd + j] + (peep == null ? 0.0 : peep[hd + j] * cPrev));
                    double g = Math.tanh(a[2 * hd + j]);
                    c[j] = f * cPrev + i * g;
                    double cRead = clamp(c[j]);
                    double o = sigmoid(a[3 * hd + j] + (peep == null ? 0.0 : peep[2 * hd + j] * cRead));
                    m[j] = o * Math.tanh(cRead);
                    int gate = tb * 4 * hd;
                    tr.gates[gate + j] = i;
                    tr.gates[gate + hd + j] = f;
                    tr.gates[gate + 2 * hd + j] = g;
                    tr.gates[gate + 3 * hd + j] = o;
                    tr.c[tb * hd + j] = c[j];
                }
                project(m, h);
                for (int p = 0; p < ps; p++) {
                    tr.h[tb * ps + p] = h[p];
                    out[tb * outWidth + outOffset + p] = h[p];
                }
            }
            System.arraycopy(h, 0, tr.hn, b * ps, ps);
            System.arraycopy(c, 0, tr.cn, b * hd, hd);
        }
        return tr;
    }

    /**
     * Backpropagates through the layer. Reads the output gradient from columns
     * {@code [outOffset, outOffset + H)} of {@code dOut [T, B, outWidth]}, adds into {@code dInput [T, B, In]}
     * and into the parameter gradients in {@code grads}, and writes {@code dh0}, {@code dc0} {@code [B, H]}.
     * A null {@code dhn} or {@code dcn} counts as zero.
     */
    @Override
    public void backward(ReferenceRecurrence.Trace trace, double[] dOut, int outWidth, int outOffset, double[] dhn,
                         double[] dcn, double[] dInput, double[] dh0, double[] dc0, Map<String, double[]> grads) {
        Trace tr = (Trace) trace;
        int hd = hiddenSize;
        int ps = stateSize;
        double[] gWHr = wHr == null ? null : grads.get(wHrName);
        double[] dm = new double[hd];   // gradient at o * tanh(c')
        double[] gWIh = grads.get(wIhName);
        double[] gWHh = grads.get(wHhName);
        double[] gBIh = grads.get(bIhName);
        double[] gBHh = grads.get(bHhName);
        double[] gPeep = peep == null ? null : grads.get(peepName);
        double[] da = new double[4 * hd];
        for (int b = 0; b < tr.batch; b++) {
            double[] dh = new double[ps];
            double[] dc = new double[hd];
            if (dhn != null) {
                System.arraycopy(dhn, b * ps, dh, 0, ps);
            }
            if (dcn != null) {
                System.arraycopy(dcn, b * hd, dc, 0, hd);
            }
            int n = tr.lengths[b];
            for (int s = n - 1; s >= 0; s--) {
                int t = timeOf(s, n);
                int tb = t * tr.batch + b;
                double[] hPrev = new double[ps];
                double[] cPrev = new double[hd];
                if (s == 0) {
                    System.arraycopy(tr.h0, b * ps, hPrev, 0, ps);
                    System.arraycopy(tr.c0, b * hd, cPrev, 0, hd);
                } else {
                    int prev = timeOf(s - 1, n) * tr.batch + b;
                    System.arraycopy(tr.h, prev * ps, hPrev, 0, ps);
                    System.arraycopy(tr.c, prev * hd, cPrev, 0, hd);
                }
                double[] dcPrev = new double[hd];
                double[] dhStep = new double[ps];
                for (int p = 0; p < ps; p++) {
                    dhStep[p] = dh[p] + dOut[tb * outWidth + outOffset + p];
                }
                backProject(dhStep, tr, tb, dm, gWHr);
                for (int j = 0; j < hd; j++) {
                    int gate = tb * 4 * hd;
                    double i = tr.gates[gate + j];
                    double f = tr.gates[gate + hd + j];
                    double g = tr.gates[gate + 2 * hd + j];
                    double o = tr.gates[gate + 3 * hd + j];
                    double cRaw = tr.c[tb * hd + j];
                    boolean inside = inside(cRaw);            // k passed the gradient at c'
                    double cRead = clamp(cRaw);
                    double prevRead = clamp(cPrev[j]);
                    double tanhC = Math.tanh(cRead);
                    double dhj = dm[j];
                    double dO = dhj * tanhC;
                    double daO = dO * o * (1.0 - o);
                    double dcj = dc[j];
                    if (inside) {
                        dcj += dhj * o * (1.0 - tanhC * tanhC);
                        if (peep != null) {
                            dcj += daO * peep[2 * hd + j];   // a_o saw k(c') through p_o
                        }
                    }
                    double dI = dcj * g;
                    double dF = dcj * prevRead;
                    double dG = dcj * i;
                    da[j] = dI * i * (1.0 - i);
                    da[hd + j] = dF * f * (1.0 - f);
                    da[2 * hd + j] = dG * (1.0 - g * g);
                    da[3 * hd + j] = daO;
                    dcPrev[j] = dcj * f;
                    if (peep != null) {
                        dcPrev[j] += da[j] * peep[j] + da[hd + j] * peep[hd + j];
                        gPeep[j] += da[j] * prevRead;
                        gPeep[hd + j] += da[hd + j] * prevRead;
                        gPeep[2 * hd + j] += daO * cRead;
                    }
                    if (!inside(cPrev[j])) {
                        dcPrev[j] = 0;   // k held c_prev at its bound
                    }
                }
                double[] dhPrev = new double[ps];
                for (int r = 0; r < 4 * hd; r++) {
                    for (int k = 0; k < inputSize; k++) {
                        gWIh[r * inputSize + k] += da[r] * tr.input[tb * inputSize + k];
                        dInput[tb * inputSize + k] += da[r] * wIh[r * inputSize + k];
                    }
                    for (int k = 0; k < ps; k++) {
                        gWHh[r * ps + k] += da[r] * hPrev[k];
                        dhPrev[k] += da[r] * wHh[r * ps + k];
                    }
                    if (gBIh != null) {
                        gBIh[r] += da[r];
                        gBHh[r] += da[r];
                    }
                }
                dh = dhPrev;
                dc = dcPrev;
            }
            System.arraycopy(dh, 0, dh0, b * ps, ps);
            System.arraycopy(dc, 0, dc0, b * hd, hd);
        }
    }

    /** {@code h = W_hr m} with projection, else {@code h = m}. */
    private void project(double[] m, double[] h) {
        if (wHr == null) {
            System.arraycopy(m, 0, h, 0, hiddenSize);
            return;
        }
        for (int p = 0; p < stateSize; p++) {
            double sum = 0;
            for (int j = 0; j < hiddenSize; j++) {
                sum += wHr[p * hiddenSize + j] * m[j];
            }
            h[p] = sum;
        }
    }

    /**
     * The gradient at {@code m = o * tanh(c')} of step {@code tb} from the gradient {@code dh} at h: {@code W_hr^T dh}
     * with projection (accumulating {@code dW_hr += dh m^T}, m recomputed from the trace), else {@code dh}.
     */
    private void backProject(double[] dh, Trace tr, int tb, double[] dm, double[] gWHr) {
        if (wHr == null) {
            System.arraycopy(dh, 0, dm, 0, hiddenSize);
            return;
        }
        int hd = hiddenSize;
        for (int j = 0; j < hd; j++) {
            double m = tr.gates[tb * 4 * hd + 3 * hd + j] * Math.tanh(clamp(tr.c[tb * hd + j]));
            double sum = 0;
            for (int p = 0; p < stateSize; p++) {
                gWHr[p * hd + j] += dh[p] * m;
                sum += wHr[p * hd + j] * dh[p];
            }
            dm[j] = sum;
        }
    }

    /** The logistic function {@code 1 / (1 + e^-x)}. */
    static double sigmoid(double x) {
        return 1.0 / (1.0 + Math.exp(-x));
    }

    /** Whether the clamp passes the gradient at {@code c}: no clip, or {@code -clip <= c <= clip}. */
    private boolean inside(double c) {
        return clip <= 0 || Math.abs(c) <= clip;
    }

    /** {@code c} clamped to the cell clip, or unchanged without one. */
    private double clamp(double c) {
        return clip > 0 ? Math.max(-clip, Math.min(clip, c)) : c;
    }
}
