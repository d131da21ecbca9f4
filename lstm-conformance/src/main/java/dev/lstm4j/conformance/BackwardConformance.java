package dev.lstm4j.conformance;

import dev.lstm4j.api.CellType;
import dev.lstm4j.api.DType;
import dev.lstm4j.api.InputGradients;
import dev.lstm4j.api.OutputGradients;
import dev.lstm4j.api.ParameterLayout;
import dev.lstm4j.api.Parameters;
import dev.lstm4j.api.RnnOutputs;
import dev.lstm4j.api.RnnSpec;
import dev.lstm4j.api.Tensor;
import dev.lstm4j.api.TrainingForward;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

import static dev.lstm4j.conformance.Checks.assertAllClose;
import static dev.lstm4j.conformance.Checks.assertGradientsMatch;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * {@code backwardData} and {@code backwardWeights} against {@link Fp64Reference#backward} for every
 * combination of upstream gradients, the accumulation contract of {@code backwardWeights}, and the
 * backend's gradients against central finite differences of its own forward pass.
 */
public abstract class BackwardConformance extends ConformanceSuite {
    private static final double FD_EPS = 1e-6;
    /** Central differences of an fp64 forward pass are good to ~1e-8 relative here; 1e-3 is the usual bar. */
    private static final double FD_REL = 1e-3;
    /** Round-off of the differenced loss, ~1e-16 * |L| / eps = a few 1e-10, bounds what can be resolved. */
    private static final double FD_ABS = 1e-8;

    /** Bidirectional, two layers, odd sizes, given initial state. */
    private static Case stack() {
        return Case.of(RnnSpec.lstm(7, 13).numLayers(2).bidirectional(true).build(), 6, 3).withInitialState();
    }

    private void assertGradientsMatchReference(DType dtype, Case c, boolean dy, boolean dhn, boolean dcn) {
        assumeSupported(dtype);
        try (Fixture f = fixture(dtype, c)) {
            Upstream u = f.upstream(dy, dhn, dcn);
            ReferenceGradients expected = f.referenceGradients(u);
            Fixture.Trained actual = f.train(u);
            Checks.assertOutputsMatch("forwardTraining", f.referenceTrainingForward(), actual.outputs(),
                    Tolerance.forward(dtype));
            assertGradientsMatch("backward", expected, actual.gradients(), Tolerance.gradients(dtype));
        }
    }

    /**
     * Dropout between layers in training: three bidirectional layers, ragged lengths, p = 0.4; the backend must
     * draw {@link dev.lstm4j.api.DropoutMask}'s mask from the seed, scale kept elements, and carry the gradient
     * back through the same mask.
     */
    @ParameterizedTest
    @EnumSource(DType.class)
    void dropoutBetweenLayersMatchesReference(DType dtype) {
        String unsupported = dropoutTrainingUnsupported();
        org.junit.jupiter.api.Assumptions.assumeTrue(unsupported == null, () -> "skipped: " + unsupported);
        Case dropped = Case.of(RnnSpec.lstm(7, 13).numLayers(3).bidirectional(true).dropout(0.4).build(), 6, 3)
                .withInitialState().withLengths(6, 3, 5);
        assertGradientsMatchReference(dtype, dropped, true, true, true);
    }

    /**
     * The peephole LSTM's gradients, its peephole weights' included: two bidirectional layers, ragged lengths,
     * given initial state, with and without clip (the peepholes read the clamped state).
     */
    @ParameterizedTest
    @EnumSource(DType.class)
    void peepholeGradientsMatchReference(DType dtype) {
        assumeCell(CellType.PEEPHOLE_LSTM);
        RnnSpec.Builder peephole = RnnSpec.builder().cell(CellType.PEEPHOLE_LSTM).inputSize(7).hiddenSize(13)
                .numLayers(2).bidirectional(true);
        assertGradientsMatchReference(dtype, Case.of(peephole.build(), 6, 3).withInitialState()
                .withLengths(6, 3, 5), true, true, true);
        assertGradientsMatchReference(dtype, Case.of(peephole.cellClip(0.25).build(), 6, 3).withInitialState()
                .withLengths(6, 3, 5), true, true, true);
    }

    /** LSTMP's gradients, W_hr's included: two bidirectional layers, ragged lengths; with clip, peepholes, batch-first. */
    @ParameterizedTest
    @EnumSource(DType.class)
    void projectionGradientsMatchReference(DType dtype) {
        assumeProjection();
        RnnSpec.Builder projected = RnnSpec.lstm(7, 13).projSize(5).numLayers(2).bidirectional(true);
        assertGradientsMatchReference(dtype, Case.of(projected.build(), 6, 3).withInitialState()
                .withLengths(6, 3, 5), true, true, true);
        assumeCell(CellType.PEEPHOLE_LSTM);
        assertGradientsMatchReference(dtype, Case.of(projected.cell(CellType.PEEPHOLE_LSTM).cellClip(0.25)
                .batchFirst(true).build(), 4, 2).withInitialState().withLengths(2, 4), true, true, true);
    }

    /**
     * Every variant at the edges of the time axis: T = 1 with B = 1, and a longer T = 37 with ragged lengths,
     * three layers, odd sizes. The variants: GRU, peephole LSTM, projection, dropout (each where the backend runs it).
     */
    @ParameterizedTest
    @EnumSource(DType.class)
    void variantsAtShortAndLongSequencesMatchReference(DType dtype) {
        java.util.List<RnnSpec> variants = new java.util.ArrayList<>();
        if (cellUnsupported(CellType.GRU) == null) {
            variants.add(RnnSpec.builder().cell(CellType.GRU).inputSize(3).hiddenSize(5).numLayers(3).build());
        }
        if (cellUnsupported(CellType.PEEPHOLE_LSTM) == null) {
            variants.add(RnnSpec.builder().cell(CellType.PEEPHOLE_LSTM).inputSize(3).hiddenSize(5).numLayers(3)
                    .bidirectional(true).build());
        }
        if (projectionUnsupported() == null) {
            variants.add(RnnSpec.lstm(3, 5).projSize(2).numLayers(3).build());
        }
        if (dropoutTrainingUnsupported() == null) {
            variants.add(RnnSpec.lstm(3, 5).numLayers(3).dropout(0.3).build());
        }
        org.junit.jupiter.api.Assumptions.assumeFalse(variants.isEmpty(), "skipped: no variant runs here");
        for (RnnSpec spec : variants) {
            boolean cellState = spec.cell().hasCellState();
            assertGradientsMatchReference(dtype, Case.of(spec, 1, 1).withInitialState(true, cellState), true, true,
                    cellState);
            assertGradientsMatchReference(dtype, Case.of(spec, 37, 2).withLengths(37, 19), true, true, cellState);
        }
    }

    /** PyTorch's GRU: gradients of x, h0 and every parameter; two bidirectional layers, ragged lengths, T = 1. */
    @ParameterizedTest
    @EnumSource(DType.class)
    void gruGradientsMatchReference(DType dtype) {
        assumeCell(CellType.GRU);
        RnnSpec.Builder gru = RnnSpec.builder().cell(CellType.GRU).inputSize(7).hiddenSize(13).numLayers(2)
                .bidirectional(true);
        assertGradientsMatchReference(dtype, Case.of(gru.build(), 6, 3).withInitialState(true, false)
                .withLengths(6, 3, 5), true, true, false);
        assertGradientsMatchReference(dtype, Case.of(gru.build(), 1, 2), true, false, false);
        assertGradientsMatchReference(dtype, Case.of(gru.numLayers(1).bidirectional(false).batchFirst(true).build(),
                5, 4).withInitialState(true, false), false, true, false);
    }

    @ParameterizedTest
    @EnumSource(DType.class)
    void gradientsFromDyAloneMatchReference(DType dtype) {
        assertGradientsMatchReference(dtype, stack(), true, false, false);
    }

    @ParameterizedTest
    @EnumSource(DType.class)
    void gradientsFromDhnAloneMatchReference(DType dtype) {
        assertGradientsMatchReference(dtype, stack(), false, true, false);
    }

    @ParameterizedTest
    @EnumSource(DType.class)
    void gradientsFromDcnAloneMatchReference(DType dtype) {
        assertGradientsMatchReference(dtype, stack(), false, false, true);
    }

    @ParameterizedTest
    @EnumSource(DType.class)
    void gradientsFromDyDhnAndDcnMatchReference(DType dtype) {
        assertGradientsMatchReference(dtype, stack(), true, true, true);
    }

    /**
     * No gradient crosses the clamp outside the clip; the clip binds on some units here. 0.25 is exact in float,
     * which matters to backends that hold the bounds in float (cuDNN does: a clip of 0.3 shifts its FLOAT64
     * results by about 1e-8).
     */
    @ParameterizedTest
    @EnumSource(DType.class)
    void cellClipGradientsMatchReference(DType dtype) {
        Case clipped = Case.of(RnnSpec.lstm(7, 13).numLayers(2).bidirectional(true).cellClip(0.25).build(), 6, 3)
                .withInitialState().withLengths(6, 3, 5);
        assertGradientsMatchReference(dtype, clipped, true, true, true);
    }

    @ParameterizedTest
    @EnumSource(DType.class)
    void oddSizesSingleLayerGradientsMatchReference(DType dtype) {
        assertGradientsMatchReference(dtype, Case.of(RnnSpec.lstm(7, 13).build(), 5, 3), true, true, true);
    }

    @ParameterizedTest
    @EnumSource(DType.class)
    void widerLayerWithOddTailsGradientsMatchReference(DType dtype) {
        assertGradientsMatchReference(dtype, Case.of(RnnSpec.lstm(33, 67).build(), 7, 5).withInitialState(),
                true, true, true);
    }

    @ParameterizedTest
    @EnumSource(DType.class)
    void singleStepBatchOfOneGradientsMatchReference(DType dtype) {
        assertGradientsMatchReference(dtype, Case.of(RnnSpec.lstm(7, 13).build(), 1, 1).withInitialState(),
                true, true, true);
    }

    @ParameterizedTest
    @EnumSource(DType.class)
    void sequenceOf200StepsGradientsMatchReference(DType dtype) {
        assertGradientsMatchReference(dtype, Case.of(RnnSpec.lstm(7, 13).build(), 200, 2).withInitialState(),
                true, true, true);
    }

    @ParameterizedTest
    @EnumSource(DType.class)
    void threeLayerGradientsMatchReference(DType dtype) {
        assertGradientsMatchReference(dtype, Case.of(RnnSpec.lstm(7, 13).numLayers(3).build(), 5, 3)
                .withInitialState(), true, true, true);
    }

    @ParameterizedTest
    @EnumSource(DType.class)
    void noBiasGradientsMatchReference(DType dtype) {
        assertGradientsMatchReference(dtype, Case.of(RnnSpec.lstm(7, 13).numLayers(2).bidirectional(true)
                .bias(false).build(), 5, 3).withInitialState(), true, true, true);
    }

    @ParameterizedTest
    @EnumSource(DType.class)
    void batchFirstGradientsMatchReference(DType dtype) {
        assertGradientsMatchReference(dtype, Case.of(RnnSpec.lstm(7, 13).numLayers(2).bidirectional(true)
                .batchFirst(true).build(), 5, 3).withInitialState(), true, true, true);
    }

    @ParameterizedTest
    @EnumSource(DType.class)
    void zeroInitialStateGradientsMatchReference(DType dtype) {
        assertGradientsMatchReference(dtype, Case.of(RnnSpec.lstm(7, 13).numLayers(2).bidirectional(true)
                .build(), 5, 3), true, true, true);
    }

    /** With every upstream gradient absent, every gradient is zero, and accumulating adds nothing. */
    @ParameterizedTest
    @EnumSource(DType.class)
    void absentUpstreamGradientsGiveZeroGradients(DType dtype) {
        assumeSupported(dtype);
        try (Fixture f = fixture(dtype, stack());
             TrainingForward tf = f.rnn().forwardTraining(f.params(), f.inputs());
             Parameters grads = f.rnn().newParameters()) {
            double[] before = f.random((int) grads.packed().size(), 50);
            grads.packed().copyFrom(before);
            try (InputGradients ig = f.rnn().backwardData(tf.reserve(), new OutputGradients(null, null, null))) {
                assertEquals(0.0, HostArrays.maxAbs(ig.dx().toDoubleArray()), "dx");
                assertEquals(0.0, HostArrays.maxAbs(ig.dh0().toDoubleArray()), "dh0");
                assertEquals(0.0, HostArrays.maxAbs(ig.dc0().toDoubleArray()), "dc0");
            }
            f.rnn().backwardWeights(tf.reserve(), grads);
            Checks.assertClose("parameter gradients", before, grads.packed().toDoubleArray(), new Tolerance(0, 0));
        }
    }

    /**
     * {@code backwardWeights} adds into the buffer it is given: starting from values G0, one pass gives
     * G0 + g and a second training step on the same inputs gives G0 + 2g.
     */
    @ParameterizedTest
    @EnumSource(DType.class)
    void backwardWeightsAddsToExistingGradientValues(DType dtype) {
        assumeSupported(dtype);
        try (Fixture f = fixture(dtype, stack());
             Parameters grads = f.rnn().newParameters()) {
            Upstream u = f.upstream(true, true, true);
            Map<String, double[]> g = f.referenceGradients(u).weights();
            Map<String, double[]> g0 = new LinkedHashMap<>();
            for (String name : grads.names()) {
                double[] v = f.random(ReferenceWeights.size(f.testCase().spec(), name), 60 + g0.size());
                grads.write(name, v);
                g0.put(name, v);
            }
            Tolerance tol = Tolerance.gradients(dtype);
            backwardInto(f, u, grads);
            assertAllClose("after one pass: G0 + g", sum(g0, g, 1), Fixture.read(grads), tol);
            backwardInto(f, u, grads);
            assertAllClose("after two passes: G0 + 2g", sum(g0, g, 2), Fixture.read(grads), tol);
        }
    }

    private static void backwardInto(Fixture f, Upstream u, Parameters grads) {
        Case c = f.testCase();
        try (TrainingForward tf = f.rnn().forwardTraining(f.params(), f.inputs());
             Tensor dy = f.backend().tensor(f.dtype(), u.dy(), c.yShape());
             Tensor dhn = f.backend().tensor(f.dtype(), u.dhn(), c.hiddenShape());
             Tensor dcn = f.backend().tensor(f.dtype(), u.dcn(), c.stateShape());
             InputGradients ig = f.rnn().backwardData(tf.reserve(), new OutputGradients(dy, dhn, dcn))) {
            assertEquals(c.xSize(), ig.dx().size());
            f.rnn().backwardWeights(tf.reserve(), grads);
        }
    }

    private static Map<String, double[]> sum(Map<String, double[]> base, Map<String, double[]> g, int times) {
        Map<String, double[]> out = new LinkedHashMap<>();
        base.forEach((name, b) -> {
            double[] v = b.clone();
            double[] d = g.get(name);
            for (int k = 0; k < v.length; k++) {
                v[k] += times * d[k];
            }
            out.put(name, v);
        });
        return out;
    }

    /**
     * The backend's own gradients equal central differences of its own {@code forwardInference} in
     * FLOAT64: for L = sum(dy * y) + sum(dhn * hn) + sum(dcn * cn), every entry of every parameter tensor,
     * of x, h0 and c0, on a bidirectional two-layer stack with odd sizes and variable lengths. This check
     * needs no reference: it ties backward to forward on the backend itself.
     */
    @Test
    void backendGradientsMatchCentralDifferencesOfItsForwardInFloat64() {
        assumeSupported(DType.FLOAT64);
        Case c = Case.of(RnnSpec.lstm(3, 5).numLayers(2).bidirectional(true).build(), 5, 3)
                .withInitialState().withLengths(5, 3, 1).withSeed(7);
        try (Fixture f = fixture(DType.FLOAT64, c)) {
            Upstream u = f.upstream(true, true, true);
            HostGradients analytic = f.train(u).gradients();
            Parameters params = f.params();
            int checked = 0;
            double worst = 0;
            for (ParameterLayout.Entry e : params.layout().entries()) {
                double[] a = analytic.weights().get(e.name());
                for (int k = 0; k < e.size(); k++) {
                    double fd = centralDifference(f, u, params.packed(), e.offset() + k);
                    worst = Math.max(worst, check(e.name() + "[" + k + "]", a[k], fd));
                    checked++;
                }
            }
            Tensor[] inputs = {f.x(), f.h0(), f.c0()};
            double[][] grads = {analytic.dx(), analytic.dh0(), analytic.dc0()};
            String[] names = {"x", "h0", "c0"};
            for (int n = 0; n < inputs.length; n++) {
                for (int k = 0; k < inputs[n].size(); k++) {
                    double fd = centralDifference(f, u, inputs[n], k);
                    worst = Math.max(worst, check(names[n] + "[" + k + "]", grads[n][k], fd));
                    checked++;
                }
            }
            assertEquals(params.layout().totalSize() + c.xSize() + 2L * c.stateSize(), checked);
            System.out.printf(Locale.ROOT, "%s: %d gradients match central differences, worst error %.2f of "
                    + "the allowed%n", backend().name(), checked, worst);
        }
    }

    /** (L(v + eps) - L(v - eps)) / 2eps for element {@code index} of {@code t}, restored afterwards. */
    private static double centralDifference(Fixture f, Upstream u, Tensor t, long index) {
        double[] v = new double[1];
        t.copyTo(index, v, 0, 1);
        double original = v[0];
        try {
            t.copyFrom(index, new double[] {original + FD_EPS}, 0, 1);
            double plus = loss(f, u);
            t.copyFrom(index, new double[] {original - FD_EPS}, 0, 1);
            double minus = loss(f, u);
            return (plus - minus) / (2 * FD_EPS);
        } finally {
            t.copyFrom(index, new double[] {original}, 0, 1);
        }
    }

    private static double loss(Fixture f, Upstream u) {
        try (RnnOutputs out = f.rnn().forwardInference(f.params(), f.inputs())) {
            return u.loss(out.y().toDoubleArray(), out.hn().toDoubleArray(), out.cn().toDoubleArray());
        }
    }

    /** Fails unless within tolerance; returns the error as a fraction of the allowed error. */
    private static double check(String what, double analytic, double numeric) {
        double err = Math.abs(analytic - numeric);
        double allowed = FD_REL * Math.max(Math.abs(analytic), Math.abs(numeric)) + FD_ABS;
        if (!(err <= allowed)) {
            fail(String.format(Locale.ROOT, "gradient of %s: backward gives %.10g, central difference of the "
                    + "forward pass gives %.10g (error %.3g, allowed %.3g)", what, analytic, numeric, err, allowed));
        }
        return err / allowed;
    }
}
