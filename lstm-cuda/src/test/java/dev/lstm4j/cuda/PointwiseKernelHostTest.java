package dev.lstm4j.cuda;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The pointwise kernels' arithmetic against the LSTM equations in fp64, on the CPU (see {@link KernelHost}):
 * odd H larger than a block (edge threads), a strided h (a slice of a bidirectional y), a row whose sequence
 * has ended, and the null-pointer variants (no bias, zero initial state, no lengths, no dy).
 */
class PointwiseKernelHostTest {
    private static final int B = 3;
    private static final int H = 37;
    private static final int T_STEP = 4;
    private static final int[] LENGTHS = {7, 4, 9};   // row 1 has ended at step 4
    private static final double TOLERANCE = 2e-6;     // float32 rounding of values of order 1

    @TempDir
    static Path dir;
    private static KernelHost host;

    @BeforeAll
    static void build() throws Exception {
        host = KernelHost.build(dir);
        assumeTrue(host != null, "skipped: g++ is not on the PATH, so the kernels cannot be built for the CPU");
    }

    private static float[] random(long seed, int n, double scale) {
        SplittableRandom r = new SplittableRandom(seed);
        float[] a = new float[n];
        for (int k = 0; k < n; k++) {
            a[k] = (float) r.nextDouble(-scale, scale);
        }
        return a;
    }

    private static double sigmoid(double x) {
        return 1 / (1 + Math.exp(-x));
    }

    private static boolean active(int b) {
        return T_STEP < LENGTHS[b];
    }

    private static void close(double expected, float actual, String what) {
        assertEquals(expected, actual, TOLERANCE * Math.max(1, Math.abs(expected)), what);
    }

    @Test
    void forwardStepMatchesTheEquationsAndKeepsEndedRows() throws Exception {
        int hPrevStride = 2 * H + 5;
        int hOutStride = 2 * H + 3;
        float[] gates = random(1, B * 4 * H, 3);
        float[] bias = random(2, 4 * H, 1);
        float[] hPrev = random(3, B * hPrevStride, 1);
        float[] cPrev = random(4, B * H, 2);
        host.write("gates.bin", gates);
        host.write("lengths.bin", LENGTHS);
        host.write("bias.bin", bias);
        host.write("hprev.bin", hPrev);
        host.write("cprev.bin", cPrev);
        host.launch("forward", B, H, T_STEP, hPrevStride, hOutStride, 1, true, true, true, true, 0);
        float[] acts = host.read("gates.out");
        float[] hOut = host.read("hout.out");
        float[] cOut = host.read("cout.out");

        for (int b = 0; b < B; b++) {
            for (int j = 0; j < H; j++) {
                int g = b * 4 * H;
                String at = "b=" + b + " j=" + j;
                if (!active(b)) {
                    assertEquals(cPrev[b * H + j], cOut[b * H + j], "ended row keeps c " + at);
                    assertEquals(hPrev[b * hPrevStride + j], hOut[b * hOutStride + j], "ended row repeats h " + at);
                    for (int k = 0; k < 4; k++) {
                        assertEquals(0f, acts[g + k * H + j], "ended row has no activations " + at);
                    }
                    continue;
                }
                double i = sigmoid((double) gates[g + j] + bias[j]);
                double f = sigmoid((double) gates[g + H + j] + bias[H + j]);
                double gg = Math.tanh((double) gates[g + 2 * H + j] + bias[2 * H + j]);
                double o = sigmoid((double) gates[g + 3 * H + j] + bias[3 * H + j]);
                double c = f * cPrev[b * H + j] + i * gg;
                close(c, cOut[b * H + j], "c " + at);
                close(o * Math.tanh(c), hOut[b * hOutStride + j], "h " + at);
                close(i, acts[g + j], "i " + at);
                close(f, acts[g + H + j], "f " + at);
                close(gg, acts[g + 2 * H + j], "g " + at);
                close(o, acts[g + 3 * H + j], "o " + at);
            }
            for (int j = H; j < hOutStride; j++) {
                assertEquals(-7f, hOut[b * hOutStride + j], "columns beyond H of the y slice are not touched");
            }
        }
    }

    @Test
    void forwardWithoutStateBiasOrLengthsStartsFromZeroAndLeavesGatesWhenNotKept() throws Exception {
        float[] gates = random(5, B * 4 * H, 3);
        host.write("gates.bin", gates);
        host.launch("forward", B, H, 0, H, H, 0, false, false, false, false, 0);
        float[] after = host.read("gates.out");
        float[] hOut = host.read("hout.out");
        float[] cOut = host.read("cout.out");
        for (int b = 0; b < B; b++) {
            for (int j = 0; j < H; j++) {
                int g = b * 4 * H;
                double c = sigmoid(gates[g + j]) * Math.tanh(gates[g + 2 * H + j]);   // f * 0 + i * g
                close(c, cOut[b * H + j], "c");
                close(sigmoid(gates[g + 3 * H + j]) * Math.tanh(c), hOut[b * H + j], "h");
            }
        }
        assertTrue(java.util.Arrays.equals(gates, after), "inference leaves the pre-activations as they were");
    }

    @Test
    void backwardStepMatchesTheDerivativesAndPassesEndedRowsThrough() throws Exception {
        int dyStride = 2 * H;
        float[] acts = new float[B * 4 * H];
        float[] raw = random(6, B * 4 * H, 3);
        for (int k = 0; k < acts.length; k++) {   // real activations: sigmoid gates, tanh candidate
            acts[k] = (float) ((k % (4 * H)) / H == 2 ? Math.tanh(raw[k]) : sigmoid(raw[k]));
        }
        float[] cCur = random(7, B * H, 2);
        float[] cPrev = random(8, B * H, 2);
        float[] dh = random(9, B * H, 1);
        float[] dc = random(10, B * H, 1);
        float[] dy = random(11, B * dyStride, 1);
        host.write("gates.bin", acts);
        host.write("lengths.bin", LENGTHS);
        host.write("ccur.bin", cCur);
        host.write("cprev.bin", cPrev);
        host.write("dh.bin", dh);
        host.write("dc.bin", dc);
        host.write("dy.bin", dy);
        host.launch("backward", B, H, T_STEP, dyStride, true, true, true, 0);
        float[] dA = host.read("gates.out");
        float[] dhOut = host.read("dh.out");
        float[] dcOut = host.read("dc.out");

        for (int b = 0; b < B; b++) {
            for (int j = 0; j < H; j++) {
                int g = b * 4 * H;
                int s = b * H + j;
                String at = "b=" + b + " j=" + j;
                if (!active(b)) {
                    for (int k = 0; k < 4; k++) {
                        assertEquals(0f, dA[g + k * H + j], "ended row has no gate gradient " + at);
                    }
                    assertEquals(dh[s], dhOut[s], "ended row passes dh through " + at);
                    assertEquals(dc[s], dcOut[s], "ended row passes dc through " + at);
                    continue;
                }
                double i = acts[g + j];
                double f = acts[g + H + j];
                double gg = acts[g + 2 * H + j];
                double o = acts[g + 3 * H + j];
                double tc = Math.tanh(cCur[s]);
                double dht = (double) dh[s] + dy[b * dyStride + j];
                double dct = dc[s] + dht * o * (1 - tc * tc);
                close(dct * gg * i * (1 - i), dA[g + j], "dA_i " + at);
                close(dct * cPrev[s] * f * (1 - f), dA[g + H + j], "dA_f " + at);
                close(dct * i * (1 - gg * gg), dA[g + 2 * H + j], "dA_g " + at);
                close(dht * tc * o * (1 - o), dA[g + 3 * H + j], "dA_o " + at);
                close(dct * f, dcOut[s], "dc_prev " + at);
                assertEquals(0f, dhOut[s], "dh is cleared for the caller's dA W_hh GEMM " + at);
            }
        }
    }

    /** The clip as cuDNN applies it: c stored as computed, clamped where read (c_{t-1}, and c_t for h_t). */
    @Test
    void cellClipClampsWhereTheStateIsReadAndStopsTheGradientOutsideIt() throws Exception {
        float clip = 0.3f;
        float[] gates = random(14, B * 4 * H, 3);
        float[] cPrev = random(15, B * H, 2);
        host.write("gates.bin", gates);
        host.write("cprev.bin", cPrev);
        host.launch("forward", B, H, 0, H, H, 1, false, false, false, true, clip);
        float[] acts = host.read("gates.out");
        float[] cOut = host.read("cout.out");
        float[] hOut = host.read("hout.out");
        int clamped = 0;
        for (int b = 0; b < B; b++) {
            for (int j = 0; j < H; j++) {
                int g = b * 4 * H;
                int s = b * H + j;
                double c = sigmoid(gates[g + H + j]) * clamp(cPrev[s], clip)
                        + sigmoid(gates[g + j]) * Math.tanh(gates[g + 2 * H + j]);
                close(c, cOut[s], "c stored as computed");
                close(sigmoid(gates[g + 3 * H + j]) * Math.tanh(clamp(c, clip)), hOut[s], "h reads k(c)");
                clamped += Math.abs(c) > clip ? 1 : 0;
            }
        }
        assertTrue(clamped > 0 && clamped < B * H, "the case must clamp some units but not all: " + clamped);

        float[] dh = random(16, B * H, 1);
        float[] dc = random(17, B * H, 1);
        host.write("gates.bin", acts);
        host.write("ccur.bin", cOut);
        host.write("dh.bin", dh);
        host.write("dc.bin", dc);
        host.launch("backward", B, H, 0, H, false, true, false, clip);
        float[] dA = host.read("gates.out");
        float[] dcOut = host.read("dc.out");
        for (int b = 0; b < B; b++) {
            for (int j = 0; j < H; j++) {
                int g = b * 4 * H;
                int s = b * H + j;
                double tc = Math.tanh(clamp(cOut[s], clip));
                double o = acts[g + 3 * H + j];
                double f = acts[g + H + j];
                double d = dc[s] + (Math.abs(cOut[s]) <= clip ? dh[s] * o * (1 - tc * tc) : 0);
                double dcPrev = Math.abs(cPrev[s]) <= clip ? d * f : 0;
                close(dcPrev, dcOut[s], "dc_prev b=" + b + " j=" + j);
                close(d * acts[g + 2 * H + j] * acts[g + j] * (1 - acts[g + j]), dA[g + j], "dA_i b=" + b + " j=" + j);
                close(d * clamp(cPrev[s], clip) * f * (1 - f), dA[g + H + j], "dA_f reads k(c_{t-1}) b=" + b + " j=" + j);
                close(dh[s] * tc * o * (1 - o), dA[g + 3 * H + j], "dA_o b=" + b + " j=" + j);
            }
        }
    }

    /** The kernel's mask is DropoutMask's bit for bit: the GPU and the CPU drop the same elements. */
    @Test
    void dropoutKernelDrawsDropoutMasksMask() throws Exception {
        long seed = 0x9E3779B97F4A7C15L ^ 123456789L;   // high bit set: both seed words matter, signed
        int n = 1000;
        int layer = 2;
        double p = 0.37;
        float[] in = random(21, n, 1);
        host.write("seed.bin", new int[] {(int) seed, (int) (seed >>> 32)});
        host.write("in.bin", in);
        host.launch("dropout", n, layer, p, (float) dev.lstm4j.api.DropoutMask.scale(p));
        float[] out = host.read("out.bin");
        int dropped = 0;
        for (int e = 0; e < n; e++) {
            boolean keep = dev.lstm4j.api.DropoutMask.keeps(seed, layer, e, p);
            float expected = keep ? in[e] * (float) dev.lstm4j.api.DropoutMask.scale(p) : 0f;
            assertEquals(expected, out[e], 0f, "element " + e);
            dropped += keep ? 0 : 1;
        }
        assertTrue(dropped > 300 && dropped < 440, "about p of the elements dropped: " + dropped);
    }

    /** The peephole terms against the fp64 equations: i, f see c_{t-1}, o sees c_t; backward adds their paths. */
    @Test
    void peepholeStepsMatchTheEquations() throws Exception {
        float[] gates = random(31, B * 4 * H, 2);
        float[] cPrev = random(32, B * H, 1.5);
        float[] peep = random(33, 3 * H, 1);
        host.write("gates.bin", gates);
        host.write("cprev.bin", cPrev);
        host.write("peep.bin", peep);
        host.launch("forward-peep", B, H, 0, H, H, 1, false, false, false, true, 0);
        float[] acts = host.read("gates.out");
        float[] cOut = host.read("cout.out");
        float[] hOut = host.read("hout.out");
        for (int b = 0; b < B; b++) {
            for (int j = 0; j < H; j++) {
                int g = b * 4 * H;
                int s = b * H + j;
                double i = sigmoid(gates[g + j] + (double) peep[j] * cPrev[s]);
                double f = sigmoid(gates[g + H + j] + (double) peep[H + j] * cPrev[s]);
                double c = f * cPrev[s] + i * Math.tanh(gates[g + 2 * H + j]);
                double o = sigmoid(gates[g + 3 * H + j] + (double) peep[2 * H + j] * c);
                close(c, cOut[s], "c");
                close(o * Math.tanh(c), hOut[s], "h");
                close(o, acts[g + 3 * H + j], "o sees c_t");
            }
        }
        float[] dh = random(34, B * H, 1);
        float[] dc = random(35, B * H, 1);
        host.write("gates.bin", acts);
        host.write("ccur.bin", cOut);
        host.write("dh.bin", dh);
        host.write("dc.bin", dc);
        host.launch("backward-peep", B, H, 0, H, false, true, false, 0);
        float[] dA = host.read("gates.out");
        float[] dcOut = host.read("dc.out");
        for (int b = 0; b < B; b++) {
            for (int j = 0; j < H; j++) {
                int g = b * 4 * H;
                int s = b * H + j;
                double i = acts[g + j];
                double f = acts[g + H + j];
                double gg = acts[g + 2 * H + j];
                double o = acts[g + 3 * H + j];
                double tc = Math.tanh(cOut[s]);
                double daO = dh[s] * tc * o * (1 - o);
                double d = dc[s] + dh[s] * o * (1 - tc * tc) + daO * peep[2 * H + j];
                double daI = d * gg * i * (1 - i);
                double daF = d * cPrev[s] * f * (1 - f);
                close(daO, dA[g + 3 * H + j], "dA_o");
                close(daI, dA[g + j], "dA_i");
                close(daF, dA[g + H + j], "dA_f");
                close(d * f + daI * peep[j] + daF * peep[H + j], dcOut[s], "dc_prev with both peephole paths");
            }
        }
    }

    /** The GRU steps against PyTorch's equations in fp64: the reset gate scales W_hn h + b_hn, biases included. */
    @Test
    void gruStepsMatchTheEquations() throws Exception {
        float[] gates = random(41, B * 3 * H, 2);
        float[] rec = random(42, B * 3 * H, 2);
        float[] bih = random(43, 3 * H, 1);
        float[] bhh = random(44, 3 * H, 1);
        float[] hPrev = random(45, B * H, 1);
        host.write("gates.bin", gates);
        host.write("rec.bin", rec);
        host.write("bih.bin", bih);
        host.write("bhh.bin", bhh);
        host.write("hprev.bin", hPrev);
        host.launch("gru-forward", B, H);
        float[] acts = host.read("gates.out");
        float[] hOut = host.read("hout.out");
        float[] sOut = host.read("sout.out");
        for (int b = 0; b < B; b++) {
            for (int j = 0; j < H; j++) {
                int g = b * 3 * H;
                int at = b * H + j;
                double r = sigmoid((double) gates[g + j] + bih[j] + rec[g + j] + bhh[j]);
                double z = sigmoid((double) gates[g + H + j] + bih[H + j] + rec[g + H + j] + bhh[H + j]);
                double sv = (double) rec[g + 2 * H + j] + bhh[2 * H + j];
                double n = Math.tanh((double) gates[g + 2 * H + j] + bih[2 * H + j] + r * sv);
                close(r, acts[g + j], "r");
                close(z, acts[g + H + j], "z");
                close(n, acts[g + 2 * H + j], "n");
                close(sv, sOut[at], "s");
                close((1 - z) * n + z * hPrev[at], hOut[at], "h");
            }
        }
        float[] dh = random(46, B * H, 1);
        float[] dy = random(47, B * H, 1);
        host.write("gates.bin", acts);
        host.write("s.bin", sOut);
        host.write("dh.bin", dh);
        host.write("dy.bin", dy);
        host.launch("gru-backward", B, H);
        float[] dAx = host.read("gates.out");
        float[] dAh = host.read("hidden.out");
        float[] dhOut = host.read("dh.out");
        for (int b = 0; b < B; b++) {
            for (int j = 0; j < H; j++) {
                int g = b * 3 * H;
                int at = b * H + j;
                double r = acts[g + j];
                double z = acts[g + H + j];
                double n = acts[g + 2 * H + j];
                double d = (double) dh[at] + dy[at];
                double dN = d * (1 - z) * (1 - n * n);
                double dR = dN * sOut[at] * r * (1 - r);
                double dZ = d * (hPrev[at] - n) * z * (1 - z);
                close(dR, dAx[g + j], "da_r");
                close(dZ, dAx[g + H + j], "da_z");
                close(dN, dAx[g + 2 * H + j], "da_n");
                close(dR, dAh[g + j], "hidden da_r");
                close(dZ, dAh[g + H + j], "hidden da_z");
                close(dN * r, dAh[g + 2 * H + j], "hidden da_n * r");
                close(d * z, dhOut[at], "dh * z");
            }
        }
    }

    /** Peephole weight gradients: sums over steps and rows of dA times the state each gate read, clamped. */
    @Test
    void peepholeGradientKernelSumsOverStepsAndRows() throws Exception {
        int t = 4;
        float clip = 0.5f;
        for (int reverse = 0; reverse < 2; reverse++) {
            float[] dA = random(51, t * B * 4 * H, 1);
            float[] cells = random(52, t * B * H, 1);
            float[] c0 = random(53, B * H, 1);
            float[] grad = random(54, 3 * H, 1);
            host.write("da.bin", dA);
            host.write("cells.bin", cells);
            host.write("c0.bin", c0);
            host.write("grad.bin", grad);
            host.launch("peephole-grad", t, B, H, reverse, clip);
            float[] out = host.read("grad.out");
            for (int q = 0; q < 3; q++) {
                for (int j = 0; j < H; j++) {
                    double sum = grad[q * H + j];
                    for (int s = 0; s < t; s++) {
                        int before = reverse == 1 ? s + 1 : s - 1;
                        for (int b = 0; b < B; b++) {
                            double c = q == 2 ? cells[(s * B + b) * H + j]
                                    : before >= 0 && before < t ? cells[(before * B + b) * H + j] : c0[b * H + j];
                            int column = (q == 2 ? 3 : q) * H + j;
                            sum += dA[(s * B + b) * 4 * H + column] * clamp(c, clip);
                        }
                    }
                    assertEquals(sum, out[q * H + j], 1e-4 * Math.max(1, Math.abs(sum)), "q=" + q + " j=" + j);
                }
            }
        }
    }

    /** Projection: rows not running keep h; the gradient at h and its kept copy, running rows' dh reset. */
    @Test
    void projectionRowKernelsKeepAndSplitByRunningRows() throws Exception {
        int w = 5;
        float[] hPrev = random(61, B * w, 1);
        float[] out = random(62, B * w, 1);
        host.write("lengths.bin", LENGTHS);
        host.write("hprev.bin", hPrev);
        host.write("out.bin", out);
        host.launch("keep-inactive", B, w, T_STEP);
        float[] kept = host.read("out.out");
        float[] dh = random(63, B * w, 1);
        float[] dy = random(64, B * w, 1);
        host.write("dh.bin", dh);
        host.write("dy.bin", dy);
        host.launch("projection-grad", B, w, T_STEP);
        float[] dhOut = host.read("dh.out");
        float[] dhAt = host.read("dhat.out");
        float[] keptGrad = host.read("kept.out");
        for (int b = 0; b < B; b++) {
            for (int j = 0; j < w; j++) {
                int e = b * w + j;
                boolean running = active(b);
                assertEquals(running ? out[e] : hPrev[e], kept[e], 0f, "keep-inactive b=" + b);
                double at = dh[e] + (running ? dy[e] : 0);
                close(at, dhAt[e], "dh at h_t b=" + b);
                close(running ? at : 0, keptGrad[e], "kept for dW_hr b=" + b);
                close(running ? 0 : dh[e], dhOut[e], "carried dh b=" + b);
            }
        }
    }

    /** The optimizer kernels against torch.optim's formulas (AdamW with decay, Nesterov SGD), one step. */
    @Test
    void optimizerKernelsMatchTheFormulas() throws Exception {
        int n = 300;
        float[] p = random(71, n, 1);
        float[] g = random(72, n, 1);
        float[] m = random(73, n, 0.1);
        float[] v = random(74, n, 0.1);
        for (int k = 0; k < n; k++) {
            v[k] = Math.abs(v[k]);
        }
        host.write("p.bin", p);
        host.write("g.bin", g);
        host.write("m.bin", m);
        host.write("v.bin", v);
        dev.lstm4j.api.AdamUpdate u = new dev.lstm4j.api.AdamUpdate(0.01, 0.9, 0.99, 1e-6, 0.05, true, 3);
        host.launch("adam", n, u.lr(), u.beta1(), u.beta2(), u.eps(), u.weightDecay(), 1, u.biasCorrection1(),
                u.biasCorrection2());
        float[] pOut = host.read("p.out");
        float[] mOut = host.read("m.out");
        float[] vOut = host.read("v.out");
        for (int k = 0; k < n; k++) {
            double param = p[k] * (1 - 0.01 * 0.05);
            double mm = 0.9 * m[k] + 0.1 * g[k];
            double vv = 0.99 * v[k] + 0.01 * g[k] * (double) g[k];
            close(mm, mOut[k], "m");
            close(vv, vOut[k], "v");
            close(param - 0.01 * (mm / u.biasCorrection1()) / (Math.sqrt(vv / u.biasCorrection2()) + 1e-6), pOut[k],
                    "AdamW p");
        }
        float[] b = random(75, n, 1);
        host.write("b.bin", b);
        host.launch("sgd", n, 0.1, 0.9, 0.01, 1);
        float[] pSgd = host.read("p.out");
        float[] bSgd = host.read("b.out");
        for (int k = 0; k < n; k++) {
            double grad = g[k] + 0.01 * p[k];
            double buf = 0.9 * b[k] + grad;
            close(buf, bSgd[k], "momentum");
            close(p[k] - 0.1 * (grad + 0.9 * buf), pSgd[k], "Nesterov SGD p");
        }
    }

    /**
     * The embedding kernels: a gather reads each index's row; the grouped scatter-add gives, bit for bit, what
     * adding the source rows one after the other in index order gives (repeated indices, unused rows, a width
     * that is not a multiple of the block).
     */
    @Test
    void gatherAndGroupedScatterAddMatchRowByRowLoops() throws Exception {
        int width = 37;
        int table = 6;
        int[] rows = {5, 0, 5, 2, 0, 5, 3};
        float[] src = random(81, table * width, 1);
        host.write("index.bin", rows);
        host.write("src.bin", src);
        host.launch("gather", rows.length, width, table);
        float[] gathered = host.read("dst.out");
        for (int i = 0; i < rows.length; i++) {
            for (int k = 0; k < width; k++) {
                assertEquals(src[rows[i] * width + k], gathered[i * width + k], "gathered row " + i);
            }
        }

        float[] grads = random(82, rows.length * width, 1);   // one source row per index
        float[] dst = random(83, table * width, 1);
        float[] expected = dst.clone();
        for (int i = 0; i < rows.length; i++) {
            for (int k = 0; k < width; k++) {
                expected[rows[i] * width + k] += grads[i * width + k];
            }
        }
        RowSegments groups = RowSegments.of(rows, table);
        host.write("packed.bin", groups.packed());
        host.write("src.bin", grads);
        host.write("dst.bin", dst);
        host.launch("segment-add", groups.segments(), width, rows.length, table, groups.packed().length);
        assertArrayEquals(expected, host.read("dst.out"));
    }

    private static double clamp(double c, double clip) {
        return Math.max(-clip, Math.min(clip, c));
    }
}
