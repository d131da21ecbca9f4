package dev.lstm4j.conformance;

import dev.lstm4j.api.DType;
import dev.lstm4j.api.RnnInputs;
import dev.lstm4j.api.RnnSpec;
import dev.lstm4j.api.Tensor;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import static dev.lstm4j.conformance.Checks.assertClose;
import static dev.lstm4j.conformance.Checks.assertGradientsMatch;
import static dev.lstm4j.conformance.Checks.assertOutputsMatch;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * Per-sequence lengths with PyTorch's packed-sequence semantics: outputs past a length are zero,
 * {@code hn}/{@code cn} are each sequence's state after its own last step, the reverse direction starts
 * at that step, padding neither influences anything nor receives gradient.
 */
public abstract class VariableLengthConformance extends ConformanceSuite {
    private static final int SEQ_LEN = 6;
    private static final int[] LENGTHS = {SEQ_LEN, 3, 1};

    /** Bidirectional two-layer stack, B = 3, lengths [T, 3, 1], given initial state. */
    private static Case bidirectional() {
        return Case.of(RnnSpec.lstm(5, 7).numLayers(2).bidirectional(true).build(), SEQ_LEN, LENGTHS.length)
                .withLengths(LENGTHS).withInitialState();
    }

    @ParameterizedTest
    @EnumSource(DType.class)
    void outputsPastEachLengthAreZero(DType dtype) {
        assumeSupported(dtype);
        Case c = bidirectional();
        try (Fixture f = fixture(dtype, c)) {
            HostOutputs inference = f.infer();
            assertZeroPastLengths("forwardInference y", inference.y(), c, c.spec().outputSize());
            assertOutputsMatch("forwardInference", f.referenceForward(), inference, Tolerance.forward(dtype));
            Fixture.Trained trained = f.train(f.upstream(true, false, false));
            assertZeroPastLengths("forwardTraining y", trained.outputs().y(), c, c.spec().outputSize());
        }
    }

    @ParameterizedTest
    @EnumSource(DType.class)
    void outputsMatchReference(DType dtype) {
        assumeSupported(dtype);
        try (Fixture f = fixture(dtype, bidirectional())) {
            assertOutputsMatch("forwardInference", f.referenceForward(), f.infer(), Tolerance.forward(dtype));
        }
    }

    /**
     * Each sequence of the batch gives the same y (within its length), hn and cn as a batch holding only
     * that sequence with T = its length: the backend is compared with itself, not with the reference.
     */
    @ParameterizedTest
    @EnumSource(DType.class)
    void eachSequenceMatchesRunningItAloneWithItsOwnLength(DType dtype) {
        assumeSupported(dtype);
        Case c = bidirectional();
        RnnSpec spec = c.spec();
        int in = spec.inputSize();
        int out = spec.outputSize();
        int hidden = spec.hiddenSize();
        int layers = spec.stateLayers();
        try (Fixture f = fixture(dtype, c)) {
            HostOutputs all = f.infer();
            Tolerance tol = Tolerance.forward(dtype);
            for (int b = 0; b < c.batch(); b++) {
                int n = LENGTHS[b];
                Case alone = Case.of(spec, n, 1).withInitialState();
                Tensor x = f.tensor(HostArrays.sequence(f.hostX(), c.batch(), in, b, n), alone.xShape());
                Tensor h0 = f.tensor(HostArrays.batchColumn(f.hostH0(), layers, c.batch(), hidden, b),
                        alone.stateShape());
                Tensor c0 = f.tensor(HostArrays.batchColumn(f.hostC0(), layers, c.batch(), hidden, b),
                        alone.stateShape());
                HostOutputs single = f.infer(RnnInputs.of(x).withInitialState(h0, c0), alone);
                String what = "sequence " + b + " (length " + n + ")";
                assertClose(what + " y", single.y(), HostArrays.sequence(all.y(), c.batch(), out, b, n), tol);
                assertClose(what + " hn", single.hn(), HostArrays.batchColumn(all.hn(), layers, c.batch(), hidden, b),
                        tol);
                assertClose(what + " cn", single.cn(), HostArrays.batchColumn(all.cn(), layers, c.batch(), hidden, b),
                        tol);
            }
        }
    }

    /** dy is non-zero everywhere, padding included; dx must still be exactly zero there. */
    @ParameterizedTest
    @EnumSource(DType.class)
    void inputGradientsPastEachLengthAreZero(DType dtype) {
        assumeSupported(dtype);
        Case c = bidirectional();
        try (Fixture f = fixture(dtype, c)) {
            HostGradients g = f.train(f.upstream(true, true, true)).gradients();
            assertZeroPastLengths("dx", g.dx(), c, c.spec().inputSize());
        }
    }

    @ParameterizedTest
    @EnumSource(DType.class)
    void gradientsMatchReference(DType dtype) {
        assumeSupported(dtype);
        try (Fixture f = fixture(dtype, bidirectional())) {
            Upstream u = f.upstream(true, true, true);
            assertGradientsMatch("backward", f.referenceGradients(u), f.train(u).gradients(),
                    Tolerance.gradients(dtype));
        }
    }

    /** Lengths need not be sorted (PyTorch's enforce_sorted=False). */
    @ParameterizedTest
    @EnumSource(DType.class)
    void unsortedLengthsMatchReference(DType dtype) {
        assertMatchesReference(dtype, Case.of(RnnSpec.lstm(5, 7).numLayers(2).bidirectional(true).build(), SEQ_LEN, 4)
                .withLengths(2, SEQ_LEN, 1, 4).withInitialState());
    }

    @ParameterizedTest
    @EnumSource(DType.class)
    void batchFirstVariableLengthsMatchReference(DType dtype) {
        assertMatchesReference(dtype, Case.of(RnnSpec.lstm(5, 7).numLayers(2).bidirectional(true).batchFirst(true)
                .build(), SEQ_LEN, 3).withLengths(LENGTHS).withInitialState());
    }

    @ParameterizedTest
    @EnumSource(DType.class)
    void unidirectionalVariableLengthsMatchReference(DType dtype) {
        assertMatchesReference(dtype, Case.of(RnnSpec.lstm(5, 7).numLayers(2).build(), SEQ_LEN, 3)
                .withLengths(LENGTHS));
    }

    private void assertMatchesReference(DType dtype, Case c) {
        assumeSupported(dtype);
        try (Fixture f = fixture(dtype, c)) {
            Upstream u = f.upstream(true, true, true);
            Fixture.Trained trained = f.train(u);
            assertOutputsMatch("forwardInference", f.referenceForward(), f.infer(), Tolerance.forward(dtype));
            assertOutputsMatch("forwardTraining", f.referenceForward(), trained.outputs(), Tolerance.forward(dtype));
            assertGradientsMatch("backward", f.referenceGradients(u), trained.gradients(), Tolerance.gradients(dtype));
        }
    }

    @ParameterizedTest
    @EnumSource(DType.class)
    void lengthsAllEqualToTGiveSameResultsAsNoLengths(DType dtype) {
        assumeSupported(dtype);
        Case plain = Case.of(RnnSpec.lstm(5, 7).numLayers(2).bidirectional(true).build(), SEQ_LEN, 3)
                .withInitialState();
        Case full = plain.withLengths(SEQ_LEN, SEQ_LEN, SEQ_LEN);
        try (Fixture a = fixture(dtype, plain);
             Fixture b = fixture(dtype, full)) {
            Upstream u = a.upstream(true, true, true);
            Fixture.Trained withoutLengths = a.train(u);
            Fixture.Trained withLengths = b.train(u);
            Tolerance fwd = Tolerance.forward(dtype);
            Tolerance grad = Tolerance.gradients(dtype);
            assertOutputsMatchEachOther(withoutLengths.outputs(), withLengths.outputs(), fwd);
            assertOutputsMatchEachOther(a.infer(), b.infer(), fwd);
            assertClose("dx", withoutLengths.gradients().dx(), withLengths.gradients().dx(), grad);
            assertClose("dh0", withoutLengths.gradients().dh0(), withLengths.gradients().dh0(), grad);
            assertClose("dc0", withoutLengths.gradients().dc0(), withLengths.gradients().dc0(), grad);
            Checks.assertAllClose("gradient of", withoutLengths.gradients().weights(),
                    withLengths.gradients().weights(), grad);
        }
    }

    /** Arbitrary finite values in the padding change nothing, outputs and gradients alike. */
    @ParameterizedTest
    @EnumSource(DType.class)
    void paddingValuesDoNotChangeAnyResult(DType dtype) {
        assumeSupported(dtype);
        Case c = bidirectional();
        try (Fixture f = fixture(dtype, c)) {
            Upstream u = f.upstream(true, true, true);
            Fixture.Trained clean = f.train(u);
            HostOutputs cleanInference = f.infer();
            f.x().copyFrom(withPadding(f.hostX(), c, 1000.0));
            Fixture.Trained noisy = f.train(u);
            Tolerance fwd = Tolerance.forward(dtype);
            Tolerance grad = Tolerance.gradients(dtype);
            assertOutputsMatchEachOther(cleanInference, f.infer(), fwd);
            assertOutputsMatchEachOther(clean.outputs(), noisy.outputs(), fwd);
            assertClose("dx", clean.gradients().dx(), noisy.gradients().dx(), grad);
            assertClose("dh0", clean.gradients().dh0(), noisy.gradients().dh0(), grad);
            assertClose("dc0", clean.gradients().dc0(), noisy.gradients().dc0(), grad);
            Checks.assertAllClose("gradient of", clean.gradients().weights(), noisy.gradients().weights(), grad);
        }
    }

    /** NaN in the padding (an uninitialised buffer, say) reaches neither the outputs nor dx. */
    @ParameterizedTest
    @EnumSource(DType.class)
    void nanInPaddingReachesNeitherOutputsNorInputGradients(DType dtype) {
        assumeSupported(dtype);
        Case c = bidirectional();
        try (Fixture f = fixture(dtype, c)) {
            Upstream u = f.upstream(true, true, true);
            HostOutputs clean = f.infer();
            HostGradients cleanGradients = f.train(u).gradients();
            f.x().copyFrom(withPadding(f.hostX(), c, Double.NaN));
            Tolerance fwd = Tolerance.forward(dtype);
            assertOutputsMatchEachOther(clean, f.infer(), fwd);
            Fixture.Trained noisy = f.train(u);
            assertOutputsMatchEachOther(clean, noisy.outputs(), fwd);
            Tolerance grad = Tolerance.gradients(dtype);
            assertClose("dx", cleanGradients.dx(), noisy.gradients().dx(), grad);
            assertClose("dh0", cleanGradients.dh0(), noisy.gradients().dh0(), grad);
            assertClose("dc0", cleanGradients.dc0(), noisy.gradients().dc0(), grad);
        }
    }

    private static void assertOutputsMatchEachOther(HostOutputs expected, HostOutputs actual, Tolerance tol) {
        assertClose("y", expected.y(), actual.y(), tol);
        assertClose("hn", expected.hn(), actual.hn(), tol);
        assertClose("cn", expected.cn(), actual.cn(), tol);
    }

    /** {@code x} with every element past its sequence's length set to {@code value}. */
    private static double[] withPadding(double[] x, Case c, double value) {
        double[] out = x.clone();
        int features = c.spec().inputSize();
        int padded = 0;
        for (int b = 0; b < c.batch(); b++) {
            for (int t = c.lengths()[b]; t < c.seqLen(); t++) {
                for (int k = 0; k < features; k++) {
                    out[index(c, t, b, features, k)] = value;
                    padded++;
                }
            }
        }
        assertTrue(padded > 0, "the case has no padding");
        return out;
    }

    private static void assertZeroPastLengths(String what, double[] a, Case c, int features) {
        assertEquals(c.seqLen() * c.batch() * features, a.length, what + ": number of elements");
        int checked = 0;
        for (int b = 0; b < c.batch(); b++) {
            for (int t = c.lengths()[b]; t < c.seqLen(); t++) {
                for (int k = 0; k < features; k++) {
                    double v = a[index(c, t, b, features, k)];
                    if (v != 0.0) {
                        fail(what + " of sequence " + b + " (length " + c.lengths()[b] + ") at step " + t
                                + ", feature " + k + " is " + v + ", expected 0 past the sequence's length");
                    }
                    checked++;
                }
            }
        }
        assertTrue(checked > 0, "the case has no padding");
    }

    private static int index(Case c, int t, int b, int features, int k) {
        return (c.batchFirst() ? (b * c.seqLen() + t) : (t * c.batch() + b)) * features + k;
    }
}
