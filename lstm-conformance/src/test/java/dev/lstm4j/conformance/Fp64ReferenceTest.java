package dev.lstm4j.conformance;

import dev.lstm4j.api.CellType;
import dev.lstm4j.api.RnnSpec;
import org.junit.jupiter.api.Test;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/** Checks the fp64 reference against hand-computed values, its own finite differences and its semantics. */
class Fp64ReferenceTest {
    private static final double FD_EPS = 1e-6;
    /** Central differences in fp64 with eps 1e-6: truncation error ~eps² = 1e-12 relative, so 1e-6 is strict. */
    private static final double FD_REL = 1e-6;
    /** Round-off of the differenced loss, ~1e-16 * |L| / eps = a few 1e-10 here, bounds tiny gradients. */
    private static final double FD_ABS = 1e-8;

    /**
     * H = I = T = B = 1, x = 2, h0 = 1, c0 = 2 ln 2 - 0.9. The weights make the pre-activations
     * a_i = 2 (ln3 / 2) + 0 = ln 3, a_f = 2 (0.25) - 0.5 + 0.1 - 0.1 = 0, a_g = 2 (ln2 / 2) = ln 2,
     * a_o = 0 + 1 (ln 3) = ln 3, so i = σ(ln 3) = 3/4, f = 1/2, g = tanh(ln 2) = (2 - 1/2)/(2 + 1/2) = 3/5,
     * o = 3/4. Then c = f c0 + i g = (ln 2 - 0.45) + 0.45 = ln 2 and h = o tanh(ln 2) = 3/4 * 3/5 = 0.45.
     * With dy = 1: do = tanh(c) = 0.6, dc = o (1 - tanh²c) = 0.75 * 0.64 = 0.48, dc0 = dc f = 0.24,
     * da_i = dc g i (1 - i) = 0.48 * 0.6 * 0.1875 = 0.054, so dW_ii = da_i x = 0.108, and
     * db_ho = da_o = do o (1 - o) = 0.6 * 0.1875 = 0.1125.
     */
    @Test
    void singleStepMatchesHandComputedValues() {
        RnnSpec spec = RnnSpec.lstm(1, 1).build();
        double ln2 = Math.log(2);
        double ln3 = Math.log(3);
        Map<String, double[]> w = new LinkedHashMap<>();
        w.put("weight_ih_l0", new double[] {ln3 / 2, 0.25, ln2 / 2, 0});
        w.put("weight_hh_l0", new double[] {0, -0.5, 0, ln3});
        w.put("bias_ih_l0", new double[] {0, 0.1, 0, 0});
        w.put("bias_hh_l0", new double[] {0, -0.1, 0, 0});
        Fp64Reference ref = new Fp64Reference(ReferenceWeights.of(spec, w));
        ReferenceForward fwd = ref.forward(new ReferenceInputs(1, 1, new double[] {2}, new double[] {1},
                new double[] {2 * ln2 - 0.9}, null));
        assertEquals(0.45, fwd.y()[0], 1e-15);
        assertEquals(0.45, fwd.hn()[0], 1e-15);
        assertEquals(ln2, fwd.cn()[0], 1e-15);

        ReferenceGradients g = ref.backward(fwd, new double[] {1}, null, null);
        assertEquals(0.24, g.dc0()[0], 1e-15);
        assertEquals(0.108, g.weight("weight_ih_l0")[0], 1e-15);
        assertEquals(0.1125, g.weight("bias_hh_l0")[3], 1e-15);
        assertEquals(0.1125, g.weight("bias_ih_l0")[3], 1e-15);
    }

    @Test
    void bidirectionalTwoLayerVariableLengthGradientsMatchFiniteDifferences() {
        RnnSpec spec = RnnSpec.lstm(3, 5).numLayers(2).bidirectional(true).build();
        checkAgainstFiniteDifferences(spec, 5, 3, new int[] {5, 3, 1}, 11);
    }

    @Test
    void batchFirstNoBiasThreeLayerGradientsMatchFiniteDifferences() {
        RnnSpec spec = RnnSpec.lstm(3, 3).numLayers(3).bias(false).batchFirst(true).build();
        checkAgainstFiniteDifferences(spec, 4, 3, new int[] {2, 4, 3}, 12);
    }

    /**
     * GRU, H = I = T = B = 1, x = 1, h0 = 1/2. Pre-activations: a_r = 0 + 0 = 0 (r = 1/2), a_z = ln 3 (z = 3/4),
     * s = W_hn h0 + b_hn = 0.5 * 2 + 0.4 = 1.4, a_n = W_in x + b_in + r s = (ln 2 - 0.7) + 0 + 0.7 = ln 2, so
     * n = tanh(ln 2) = 3/5 and h = (1 - z) n + z h0 = 0.15 + 0.375 = 0.525. With dy = 1: dn = 1/4,
     * da_n = dn (1 - n²) = 0.16, db_in = 0.16, db_hn = da_n r = 0.08, dz = h0 - n = -0.1,
     * da_z = dz z (1 - z) = -0.01875, da_r = da_n s r (1 - r) = 0.056, and
     * dh0 = dh z + W_hr da_r + W_hz da_z + W_hn (da_n r) = 0.75 + 0 + 0 + 2 * 0.08 = 0.91.
     */
    @Test
    void gruSingleStepMatchesHandComputedValues() {
        RnnSpec spec = RnnSpec.builder().cell(CellType.GRU).inputSize(1).hiddenSize(1).build();
        double ln2 = Math.log(2);
        double ln3 = Math.log(3);
        Map<String, double[]> w = new LinkedHashMap<>();
        w.put("weight_ih_l0", new double[] {0, ln3, ln2 - 0.7});
        w.put("weight_hh_l0", new double[] {0, 0, 2});
        w.put("bias_ih_l0", new double[] {0, 0, 0});
        w.put("bias_hh_l0", new double[] {0, 0, 0.4});
        Fp64Reference ref = new Fp64Reference(ReferenceWeights.of(spec, w));
        ReferenceForward fwd = ref.forward(new ReferenceInputs(1, 1, new double[] {1}, new double[] {0.5}, null,
                null));
        assertEquals(0.525, fwd.y()[0], 1e-15);
        assertEquals(0.525, fwd.hn()[0], 1e-15);
        assertEquals(null, fwd.cn(), "a GRU has no cell state");

        ReferenceGradients g = ref.backward(fwd, new double[] {1}, null, null);
        assertEquals(0.16, g.weight("bias_ih_l0")[2], 1e-15);
        assertEquals(0.08, g.weight("bias_hh_l0")[2], 1e-15);
        assertEquals(-0.01875, g.weight("bias_hh_l0")[1], 1e-15);
        assertEquals(0.056, g.weight("bias_ih_l0")[0], 1e-15);
        assertEquals(0.91, g.dh0()[0], 1e-15);
        assertEquals(null, g.dc0());
    }

    @Test
    void gruBidirectionalTwoLayerVariableLengthGradientsMatchFiniteDifferences() {
        RnnSpec spec = RnnSpec.builder().cell(CellType.GRU).inputSize(3).hiddenSize(5).numLayers(2)
                .bidirectional(true).build();
        checkAgainstFiniteDifferences(spec, 5, 3, new int[] {5, 3, 1}, 21);
    }

    @Test
    void gruBatchFirstNoBiasThreeLayerGradientsMatchFiniteDifferences() {
        RnnSpec spec = RnnSpec.builder().cell(CellType.GRU).inputSize(3).hiddenSize(3).numLayers(3).bias(false)
                .batchFirst(true).build();
        checkAgainstFiniteDifferences(spec, 4, 3, new int[] {2, 4, 3}, 22);
    }

    @Test
    void peepholeBidirectionalTwoLayerVariableLengthGradientsMatchFiniteDifferences() {
        RnnSpec spec = RnnSpec.builder().cell(CellType.PEEPHOLE_LSTM).inputSize(3).hiddenSize(4).numLayers(2)
                .bidirectional(true).build();
        checkAgainstFiniteDifferences(spec, 5, 3, new int[] {5, 3, 1}, 31);
    }

    @Test
    void peepholeWithZeroPeepholeWeightsIsThePlainLstm() {
        RnnSpec plain = RnnSpec.lstm(3, 4).numLayers(2).build();
        RnnSpec peephole = RnnSpec.builder().cell(CellType.PEEPHOLE_LSTM).inputSize(3).hiddenSize(4).numLayers(2)
                .build();
        Map<String, double[]> w = ReferenceWeights.random(plain, 41).asMap();
        w.put("weight_peephole_l0", new double[12]);
        w.put("weight_peephole_l1", new double[12]);
        ReferenceInputs in = new ReferenceInputs(4, 2, HostArrays.uniform(4 * 2 * 3, 42),
                HostArrays.uniform(2 * 2 * 4, 43), HostArrays.uniform(2 * 2 * 4, 44), null);
        ReferenceForward a = new Fp64Reference(ReferenceWeights.random(plain, 41)).forward(in);
        ReferenceForward b = new Fp64Reference(ReferenceWeights.of(peephole, w)).forward(in);
        org.junit.jupiter.api.Assertions.assertArrayEquals(a.y(), b.y(), 0.0);
        org.junit.jupiter.api.Assertions.assertArrayEquals(a.cn(), b.cn(), 0.0);
    }

    @Test
    void cellClipClampsTheStateAndItsGradientsMatchFiniteDifferences() {
        RnnSpec spec = RnnSpec.lstm(3, 5).numLayers(2).bidirectional(true).cellClip(0.3).build();
        ReferenceForward f = new Fp64Reference(ReferenceWeights.random(spec, 51)).forward(new ReferenceInputs(5, 3,
                HostArrays.uniform(5 * 3 * 3, 52), null, HostArrays.uniform(4 * 3 * 5, 53), null));
        // cn is reported as computed, so the clip binds where |cn| > 0.3; h only ever sees the clamped state.
        long clamped = java.util.Arrays.stream(f.cn()).filter(v -> Math.abs(v) > 0.3).count();
        long inside = java.util.Arrays.stream(f.cn()).filter(v -> Math.abs(v) < 0.3).count();
        assertTrue(clamped > 0 && inside > 0, "the case must have clamped and free units: " + clamped + ", " + inside);
        assertTrue(java.util.Arrays.stream(f.y()).allMatch(v -> Math.abs(v) < Math.tanh(0.3)),
                "|h| = |o tanh(k(c))| < tanh(clip)");
        checkAgainstFiniteDifferences(spec, 5, 3, new int[] {5, 3, 1}, 51);
    }

    /** cuDNN's min/max clip (measured on an H100) clamps c0 as it enters: beyond the clip, its value is moot. */
    @Test
    void cellClipClampsTheInitialCellStateAndStopsItsGradient() {
        RnnSpec spec = RnnSpec.lstm(2, 3).cellClip(0.3).build();
        Fp64Reference ref = new Fp64Reference(ReferenceWeights.random(spec, 54));
        double[] x = HostArrays.uniform(4 * 2 * 2, 55);
        double[] beyond = {0.9, -0.2, -2.0, 0.1, 0.05, 0.31};
        double[] atClip = {0.3, -0.2, -0.3, 0.1, 0.05, 0.3};
        ReferenceForward a = ref.forward(new ReferenceInputs(4, 2, x, null, beyond, null));
        ReferenceForward b = ref.forward(new ReferenceInputs(4, 2, x, null, atClip, null));
        org.junit.jupiter.api.Assertions.assertArrayEquals(b.y(), a.y(), 0.0);
        ReferenceGradients g = ref.backward(a, HostArrays.uniform(4 * 2 * 3, 56), null, null);
        for (int k = 0; k < beyond.length; k++) {
            if (Math.abs(beyond[k]) > 0.3) {
                org.junit.jupiter.api.Assertions.assertEquals(0.0, g.dc0()[k], "dc0[" + k + "] of a clamped c0");
            } else {
                assertTrue(g.dc0()[k] != 0.0, "dc0[" + k + "] of a free c0 must flow");
            }
        }
    }

    @Test
    void projectionBidirectionalTwoLayerVariableLengthGradientsMatchFiniteDifferences() {
        RnnSpec spec = RnnSpec.lstm(3, 5).projSize(2).numLayers(2).bidirectional(true).build();
        checkAgainstFiniteDifferences(spec, 5, 3, new int[] {5, 3, 1}, 61);
    }

    @Test
    void projectedPeepholeWithClipGradientsMatchFiniteDifferences() {
        RnnSpec spec = RnnSpec.builder().cell(CellType.PEEPHOLE_LSTM).inputSize(3).hiddenSize(4).projSize(3)
                .cellClip(0.5).build();
        checkAgainstFiniteDifferences(spec, 4, 2, null, 62);
    }

    @Test
    void projectionWithIdentityWeightsOnAllUnitsIsThePlainLstmOutput() {
        // W_hr = [I_P | 0] keeps the first P units of o * tanh(c): with P = H - 1 and weight_hh's last column
        // dropped (the projected state has no last unit), the first P outputs equal those of a plain LSTM
        // whose weight_hh has a zero last column.
        RnnSpec plain = RnnSpec.lstm(3, 4).build();
        RnnSpec projected = RnnSpec.lstm(3, 4).projSize(3).build();
        Map<String, double[]> w = ReferenceWeights.random(plain, 71).asMap();
        double[] hh = w.get("weight_hh_l0");
        double[] hhProjected = new double[16 * 3];
        for (int r = 0; r < 16; r++) {
            System.arraycopy(hh, r * 4, hhProjected, r * 3, 3);
            hh[r * 4 + 3] = 0;
        }
        double[] hr = new double[3 * 4];
        for (int p = 0; p < 3; p++) {
            hr[p * 4 + p] = 1;
        }
        Map<String, double[]> wp = new LinkedHashMap<>(w);
        wp.put("weight_hh_l0", hhProjected);
        wp.put("weight_hr_l0", hr);
        ReferenceInputs in = new ReferenceInputs(5, 2, HostArrays.uniform(5 * 2 * 3, 72), null, null, null);
        double[] yPlain = new Fp64Reference(ReferenceWeights.of(plain, w)).forward(in).y();
        double[] yProjected = new Fp64Reference(ReferenceWeights.of(projected, wp)).forward(in).y();
        for (int row = 0; row < 5 * 2; row++) {
            for (int p = 0; p < 3; p++) {
                assertEquals(yPlain[row * 4 + p], yProjected[row * 3 + p], 1e-15, "row " + row + " unit " + p);
            }
        }
    }

    @Test
    void dropoutBetweenLayersGradientsMatchFiniteDifferences() {
        RnnSpec spec = RnnSpec.lstm(3, 4).numLayers(3).bidirectional(true).dropout(0.4).build();
        checkAgainstFiniteDifferences(spec, 4, 3, new int[] {4, 2, 3}, 81, 12345L);
    }

    /**
     * Dropout composed by hand: layer 0 run alone, its output masked with {@link DropoutMask} and scaled, then
     * layer 1 run alone on that, gives the 2-layer stack's training output; without a seed (inference) the
     * stack runs without dropout.
     */
    @Test
    void dropoutMasksTheOutputOfEveryLayerButTheLast() {
        int t = 4;
        int b = 3;
        double p = 0.5;
        RnnSpec stack = RnnSpec.lstm(3, 5).numLayers(2).dropout(p).build();
        RnnSpec single0 = RnnSpec.lstm(3, 5).build();
        RnnSpec single1 = RnnSpec.lstm(5, 5).build();
        Map<String, double[]> w = ReferenceWeights.random(stack, 91).asMap();
        Map<String, double[]> w0 = new LinkedHashMap<>();
        Map<String, double[]> w1 = new LinkedHashMap<>();
        for (String kind : new String[] {"weight_ih", "weight_hh", "bias_ih", "bias_hh"}) {
            w0.put(kind + "_l0", w.get(kind + "_l0"));
            w1.put(kind + "_l0", w.get(kind + "_l1"));
        }
        double[] x = HostArrays.uniform(t * b * 3, 92);
        double[] y0 = new Fp64Reference(ReferenceWeights.of(single0, w0)).forward(ReferenceInputs.of(t, b, x)).y();
        double[] dropped = new double[y0.length];
        int zeroed = 0;
        for (int e = 0; e < y0.length; e++) {
            boolean keep = dev.lstm4j.api.DropoutMask.keeps(77, 0, e, p);
            dropped[e] = keep ? y0[e] / (1 - p) : 0;
            zeroed += keep ? 0 : 1;
        }
        assertTrue(zeroed > 0 && zeroed < y0.length, "the mask must drop some elements and keep others");
        double[] expected = new Fp64Reference(ReferenceWeights.of(single1, w1)).forward(ReferenceInputs.of(t, b,
                dropped)).y();
        Fp64Reference ref = new Fp64Reference(ReferenceWeights.of(stack, w));
        double[] training = ref.forward(ReferenceInputs.of(t, b, x).withDropoutSeed(77)).y();
        org.junit.jupiter.api.Assertions.assertArrayEquals(expected, training, 1e-15);

        double[] plain = new Fp64Reference(ReferenceWeights.of(single1, w1)).forward(ReferenceInputs.of(t, b, y0)).y();
        org.junit.jupiter.api.Assertions.assertArrayEquals(plain, ref.forward(ReferenceInputs.of(t, b, x)).y(), 1e-15,
                "inference (no seed) does not drop");
    }

    @Test
    void gruRejectsACellState() {
        RnnSpec spec = RnnSpec.builder().cell(CellType.GRU).inputSize(2).hiddenSize(2).build();
        Fp64Reference ref = new Fp64Reference(ReferenceWeights.random(spec, 1));
        var e = org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
                () -> ref.forward(new ReferenceInputs(1, 1, new double[2], new double[2], new double[2], null)));
        assertTrue(e.getMessage().contains("no cell state"), e.getMessage());
    }

    @Test
    void batchFirstOutputsAreTimeMajorOutputsTransposed() {
        RnnSpec timeMajor = RnnSpec.lstm(3, 5).numLayers(2).bidirectional(true).build();
        RnnSpec batchFirst = timeMajor.toBuilder().batchFirst(true).build();
        int t = 4;
        int b = 3;
        double[] x = HostArrays.uniform(t * b * 3, 1);
        int[] lengths = {4, 1, 2};
        ReferenceWeights w = ReferenceWeights.random(timeMajor, 2);
        ReferenceForward tm = new Fp64Reference(w).forward(new ReferenceInputs(t, b, x, null, null, lengths));
        ReferenceForward bf = new Fp64Reference(ReferenceWeights.of(batchFirst, w.asMap())).forward(
                new ReferenceInputs(t, b, HostArrays.swapFirstTwoAxes(x, t, b, 3), null, null, lengths));
        assertArrayEquals(HostArrays.swapFirstTwoAxes(tm.y(), t, b, 10), bf.y());
        assertArrayEquals(tm.hn(), bf.hn());
        assertArrayEquals(tm.cn(), bf.cn());
    }

    /** The reverse direction of a one-layer stack is a forward run over the time-reversed input. */
    @Test
    void reverseDirectionIsForwardRunOverReversedSequence() {
        RnnSpec bidi = RnnSpec.lstm(3, 5).bidirectional(true).build();
        RnnSpec uni = RnnSpec.lstm(3, 5).build();
        int t = 6;
        ReferenceWeights w = ReferenceWeights.random(bidi, 3);
        Map<String, double[]> reverseOnly = new LinkedHashMap<>();
        for (String kind : new String[] {"weight_ih", "weight_hh", "bias_ih", "bias_hh"}) {
            reverseOnly.put(kind + "_l0", w.get(kind + "_l0_reverse"));
        }
        double[] x = HostArrays.uniform(t * 3, 4);
        double[] reversed = new double[x.length];
        for (int s = 0; s < t; s++) {
            System.arraycopy(x, s * 3, reversed, (t - 1 - s) * 3, 3);
        }
        ReferenceForward both = new Fp64Reference(w).forward(ReferenceInputs.of(t, 1, x));
        ReferenceForward fwdOfReversed = new Fp64Reference(ReferenceWeights.of(uni, reverseOnly))
                .forward(ReferenceInputs.of(t, 1, reversed));
        double[] y = both.y();
        double[] yr = fwdOfReversed.y();
        for (int s = 0; s < t; s++) {
            for (int j = 0; j < 5; j++) {
                assertEquals(yr[(t - 1 - s) * 5 + j], y[s * 10 + 5 + j], 0.0, "step " + s + " unit " + j);
            }
        }
        assertArrayEquals(fwdOfReversed.hn(), Arrays.copyOfRange(both.hn(), 5, 10));
    }

    @Test
    void eachVariableLengthSequenceEqualsRunningItAlone() {
        RnnSpec spec = RnnSpec.lstm(3, 5).numLayers(2).bidirectional(true).build();
        int t = 5;
        int b = 3;
        int[] lengths = {5, 3, 1};
        Fp64Reference ref = new Fp64Reference(ReferenceWeights.random(spec, 5));
        double[] x = HostArrays.uniform(t * b * 3, 6);
        double[] h0 = HostArrays.uniform(4 * b * 5, 7);
        double[] c0 = HostArrays.uniform(4 * b * 5, 8);
        ReferenceForward all = ref.forward(new ReferenceInputs(t, b, x, h0, c0, lengths));
        double[] y = all.y();
        for (int s = 0; s < b; s++) {
            int n = lengths[s];
            ReferenceForward alone = ref.forward(new ReferenceInputs(n, 1, HostArrays.sequence(x, b, 3, s, n),
                    HostArrays.batchColumn(h0, 4, b, 5, s), HostArrays.batchColumn(c0, 4, b, 5, s), null));
            assertArrayEquals(alone.y(), HostArrays.sequence(y, b, 10, s, n), "y of sequence " + s);
            assertArrayEquals(alone.hn(), HostArrays.batchColumn(all.hn(), 4, b, 5, s), "hn of sequence " + s);
            assertArrayEquals(alone.cn(), HostArrays.batchColumn(all.cn(), 4, b, 5, s), "cn of sequence " + s);
            for (int step = n; step < t; step++) {
                for (int f = 0; f < 10; f++) {
                    assertEquals(0.0, y[(step * b + s) * 10 + f], "y of sequence " + s + " past its length");
                }
            }
        }
    }

    @Test
    void noUpstreamGradientGivesZeroGradients() {
        RnnSpec spec = RnnSpec.lstm(3, 5).numLayers(2).bidirectional(true).build();
        Fp64Reference ref = new Fp64Reference(ReferenceWeights.random(spec, 9));
        ReferenceForward fwd = ref.forward(ReferenceInputs.of(4, 2, HostArrays.uniform(4 * 2 * 3, 10)));
        ReferenceGradients g = ref.backward(fwd, null, null, null);
        assertEquals(0.0, HostArrays.maxAbs(g.dx()));
        assertEquals(0.0, HostArrays.maxAbs(g.dh0()));
        assertEquals(0.0, HostArrays.maxAbs(g.dc0()));
        g.weights().forEach((name, v) -> assertEquals(0.0, HostArrays.maxAbs(v), name));
    }

    /**
     * Every entry of every parameter tensor, of x, h0 and c0: the analytic gradient of
     * L = sum(dy * y) + sum(dhn * hn) + sum(dcn * cn) equals the central difference (L(v+eps) - L(v-eps)) / 2eps.
     */
    private static void checkAgainstFiniteDifferences(RnnSpec spec, int t, int b, int[] lengths, long seed) {
        checkAgainstFiniteDifferences(spec, t, b, lengths, seed, null);
    }

    private static void checkAgainstFiniteDifferences(RnnSpec spec, int t, int b, int[] lengths, long seed,
                                                      Long dropoutSeed) {
        int stateSize = spec.stateLayers() * b * spec.hiddenSize();
        int hStateSize = spec.stateLayers() * b * spec.stateSize();
        boolean cellState = spec.cell().hasCellState();
        ReferenceWeights w = ReferenceWeights.random(spec, seed);
        ReferenceInputs in = new ReferenceInputs(t, b, HostArrays.uniform(t * b * spec.inputSize(), seed + 1),
                HostArrays.uniform(hStateSize, seed + 2), cellState ? HostArrays.uniform(stateSize, seed + 3) : null,
                lengths, dropoutSeed);
        double[] dy = HostArrays.uniform(t * b * spec.outputSize(), seed + 4);
        double[] dhn = HostArrays.uniform(hStateSize, seed + 5);
        double[] dcn = cellState ? HostArrays.uniform(stateSize, seed + 6) : null;
        Fp64Reference ref = new Fp64Reference(w);
        ReferenceGradients g = ref.backward(ref.forward(in), dy, dhn, dcn);

        int checked = 0;
        double worst = 0;
        for (String name : ReferenceWeights.names(spec)) {
            double[] analytic = g.weight(name);
            double[] v = w.get(name);
            for (int k = 0; k < v.length; k++) {
                double plus = loss(new Fp64Reference(w.with(name, k, v[k] + FD_EPS)), in, dy, dhn, dcn);
                double minus = loss(new Fp64Reference(w.with(name, k, v[k] - FD_EPS)), in, dy, dhn, dcn);
                worst = Math.max(worst, check(name + "[" + k + "]", analytic[k], (plus - minus) / (2 * FD_EPS)));
                checked++;
            }
        }
        for (int k = 0; k < in.x().length; k++) {
            double numeric = (loss(ref, in.withX(perturbed(in.x(), k, FD_EPS)), dy, dhn, dcn)
                    - loss(ref, in.withX(perturbed(in.x(), k, -FD_EPS)), dy, dhn, dcn)) / (2 * FD_EPS);
            worst = Math.max(worst, check("x[" + k + "]", g.dx()[k], numeric));
            checked++;
        }
        for (int k = 0; k < hStateSize; k++) {
            double numericH = (loss(ref, in.withInitialState(perturbed(in.h0(), k, FD_EPS), in.c0()), dy, dhn, dcn)
                    - loss(ref, in.withInitialState(perturbed(in.h0(), k, -FD_EPS), in.c0()), dy, dhn, dcn))
                    / (2 * FD_EPS);
            worst = Math.max(worst, check("h0[" + k + "]", g.dh0()[k], numericH));
            checked++;
        }
        for (int k = 0; cellState && k < stateSize; k++) {
            double numericC = (loss(ref, in.withInitialState(in.h0(), perturbed(in.c0(), k, FD_EPS)), dy, dhn, dcn)
                    - loss(ref, in.withInitialState(in.h0(), perturbed(in.c0(), k, -FD_EPS)), dy, dhn, dcn))
                    / (2 * FD_EPS);
            worst = Math.max(worst, check("c0[" + k + "]", g.dc0()[k], numericC));
            checked++;
        }
        assertTrue(checked > 0);
        System.out.printf("%s: %d gradient entries match central differences, worst error %.2f of the allowed%n",
                spec, checked, worst);
    }

    /** Fails unless within tolerance; returns the error as a fraction of the allowed error. */
    private static double check(String what, double analytic, double numeric) {
        double err = Math.abs(analytic - numeric);
        double allowed = FD_REL * Math.max(Math.abs(analytic), Math.abs(numeric)) + FD_ABS;
        if (!(err <= allowed)) {
            fail(what + ": analytic " + analytic + ", central difference " + numeric + ", error " + err
                    + ", allowed " + allowed);
        }
        return err / allowed;
    }

    private static double loss(Fp64Reference ref, ReferenceInputs in, double[] dy, double[] dhn, double[] dcn) {
        ReferenceForward f = ref.forward(in);
        return HostArrays.dot(dy, f.y()) + HostArrays.dot(dhn, f.hn())
                + (dcn == null ? 0 : HostArrays.dot(dcn, f.cn()));
    }

    private static double[] perturbed(double[] a, int k, double delta) {
        double[] copy = a.clone();
        copy[k] += delta;
        return copy;
    }
}
