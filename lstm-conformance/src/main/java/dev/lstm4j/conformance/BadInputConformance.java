package dev.lstm4j.conformance;

import dev.lstm4j.api.Backend;
import dev.lstm4j.api.CellType;
import dev.lstm4j.api.DType;
import dev.lstm4j.api.InputGradients;
import dev.lstm4j.api.OutputGradients;
import dev.lstm4j.api.Parameters;
import dev.lstm4j.api.Rnn;
import dev.lstm4j.api.RnnInputs;
import dev.lstm4j.api.RnnOutputs;
import dev.lstm4j.api.RnnSpec;
import dev.lstm4j.api.Tensor;
import dev.lstm4j.api.TrainingForward;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.util.EnumSet;
import java.util.Locale;

import static dev.lstm4j.conformance.Checks.assertClose;
import static dev.lstm4j.conformance.Checks.assertOutputsMatch;
import static dev.lstm4j.conformance.Checks.assertThrowsMentioning;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeFalse;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * Wrong shapes, dtypes, owners, closed objects, broken call order, non-finite values and requests too
 * large for memory: each gets a clear exception (or, for NaN, propagation) and leaves the backend
 * working and leak-free.
 */
public abstract class BadInputConformance extends ConformanceSuite {

    /** Bidirectional one-layer stack, I = 7, H = 13, T = 5, B = 3: h0 is [2, 3, 13]. */
    private static Case small() {
        return Case.of(RnnSpec.lstm(7, 13).bidirectional(true).build(), 5, 3);
    }

    /** After a failure the same backend still computes correctly. */
    private void assertBackendStillWorks(DType dtype) {
        try (Fixture f = fixture(dtype, small().withInitialState().withSeed(99))) {
            assertOutputsMatch("forward after the failure", f.referenceForward(), f.infer(), Tolerance.forward(dtype));
        }
    }

    @Test
    void xOfWrongRankIsRejectedNamingItsShape() {
        DType dtype = anySupportedDType();
        try (Fixture f = fixture(dtype, small());
             Tensor x = backend().allocate(dtype, 5, 3)) {
            assertThrowsMentioning(IllegalArgumentException.class,
                    () -> f.rnn().forwardInference(f.params(), RnnInputs.of(x)), "[T, B, I]", "[5, 3]", "7");
        }
    }

    @Test
    void xOfWrongInputSizeIsRejectedNamingBothSizes() {
        DType dtype = anySupportedDType();
        try (Fixture f = fixture(dtype, small());
             Tensor x = backend().allocate(dtype, 5, 3, 4)) {
            assertThrowsMentioning(IllegalArgumentException.class,
                    () -> f.rnn().forwardInference(f.params(), RnnInputs.of(x)), "[T, B, I]", "[5, 3, 4]", "7");
            assertThrowsMentioning(IllegalArgumentException.class,
                    () -> f.rnn().forwardTraining(f.params(), RnnInputs.of(x)), "[5, 3, 4]", "7");
        }
        assertBackendStillWorks(dtype);
    }

    @Test
    void h0OfWrongShapeIsRejectedNamingBothShapes() {
        DType dtype = anySupportedDType();
        try (Fixture f = fixture(dtype, small());
             Tensor h0 = backend().allocate(dtype, 2, 3, 14)) {
            assertThrowsMentioning(IllegalArgumentException.class, () -> f.rnn().forwardInference(f.params(),
                    RnnInputs.of(f.x()).withInitialState(h0, null)), "h0", "[2, 3, 13]", "[2, 3, 14]");
        }
    }

    @Test
    void c0OfWrongShapeIsRejectedNamingBothShapes() {
        DType dtype = anySupportedDType();
        try (Fixture f = fixture(dtype, small());
             Tensor c0 = backend().allocate(dtype, 1, 3, 13)) {
            assertThrowsMentioning(IllegalArgumentException.class, () -> f.rnn().forwardTraining(f.params(),
                    RnnInputs.of(f.x()).withInitialState(null, c0)), "c0", "[2, 3, 13]", "[1, 3, 13]");
        }
    }

    @Test
    void upstreamGradientsOfWrongShapeAreRejectedNamingBothShapes() {
        DType dtype = anySupportedDType();
        try (Fixture f = fixture(dtype, small());
             Tensor dy = backend().allocate(dtype, 5, 3, 13);
             Tensor dhn = backend().allocate(dtype, 2, 4, 13)) {
            try (TrainingForward tf = f.rnn().forwardTraining(f.params(), f.inputs())) {
                assertThrowsMentioning(IllegalArgumentException.class,
                        () -> f.rnn().backwardData(tf.reserve(), OutputGradients.ofOutput(dy)),
                        "dy", "[5, 3, 26]", "[5, 3, 13]");
            }
            try (TrainingForward tf = f.rnn().forwardTraining(f.params(), f.inputs())) {
                assertThrowsMentioning(IllegalArgumentException.class,
                        () -> f.rnn().backwardData(tf.reserve(), new OutputGradients(null, dhn, null)),
                        "dhn", "[2, 3, 13]", "[2, 4, 13]");
            }
        }
        assertBackendStillWorks(dtype);
    }

    @Test
    void float64InputToFloat32StackIsRejectedNamingBothDTypes() {
        assumeSupported(DType.FLOAT32);
        assumeSupported(DType.FLOAT64);
        Case c = small();
        try (Fixture f = fixture(DType.FLOAT32, c);
             Tensor x64 = backend().allocate(DType.FLOAT64, c.xShape())) {
            assertThrowsMentioning(IllegalArgumentException.class,
                    () -> f.rnn().forwardInference(f.params(), RnnInputs.of(x64)), "FLOAT64", "FLOAT32");
        }
    }

    @Test
    void parametersOfAnotherDTypeAreRejectedNamingBothDTypes() {
        assumeSupported(DType.FLOAT32);
        assumeSupported(DType.FLOAT64);
        Case c = small();
        try (Fixture f = fixture(DType.FLOAT32, c);
             Rnn rnn64 = backend().rnn(c.spec(), DType.FLOAT64);
             Parameters params64 = rnn64.newParameters()) {
            assertThrowsMentioning(IllegalArgumentException.class,
                    () -> f.rnn().forwardInference(params64, f.inputs()), "FLOAT64", "FLOAT32");
        }
    }

    @Test
    void tensorsOfAnotherBackendInstanceAreRejected() {
        DType dtype = anySupportedDType();
        Case c = small();
        Backend other = createBackend();
        try {
            try (Fixture f = fixture(dtype, c);
                 Tensor foreignX = other.tensor(dtype, f.hostX(), c.xShape());
                 Rnn foreignRnn = other.rnn(c.spec(), dtype);
                 Parameters foreignParams = foreignRnn.initParameters(1)) {
                assertThrows(IllegalArgumentException.class,
                        () -> f.rnn().forwardInference(f.params(), RnnInputs.of(foreignX)));
                assertThrows(IllegalArgumentException.class,
                        () -> f.rnn().forwardInference(foreignParams, f.inputs()));
            }
            assertEquals(0, other.liveBytes(), "the other backend after closing its tensors");
        } finally {
            other.close();
        }
        assertBackendStillWorks(dtype);
    }

    @Test
    void closedInputsAreRejectedWithIllegalState() {
        DType dtype = anySupportedDType();
        try (Fixture f = fixture(dtype, small().withInitialState())) {
            f.h0().close();
            assertThrows(IllegalStateException.class, () -> f.rnn().forwardInference(f.params(), f.inputs()));
            f.x().close();
            assertThrows(IllegalStateException.class, () -> f.rnn().forwardInference(f.params(),
                    RnnInputs.of(f.x())));
            assertThrows(IllegalStateException.class, () -> f.rnn().forwardTraining(f.params(),
                    RnnInputs.of(f.x())));
        }
        assertBackendStillWorks(dtype);
    }

    @Test
    void closedParametersAreRejectedWithIllegalState() {
        DType dtype = anySupportedDType();
        try (Fixture f = fixture(dtype, small())) {
            f.params().close();
            assertThrows(IllegalStateException.class, () -> f.rnn().forwardInference(f.params(), f.inputs()));
            assertThrows(IllegalStateException.class, () -> f.rnn().forwardTraining(f.params(), f.inputs()));
        }
    }

    @Test
    void closedTensorThrowsIllegalStateOnEveryUse() {
        Tensor t = backend().allocate(anySupportedDType(), 2, 3);
        t.close();
        assertTrue(t.isClosed());
        assertThrows(IllegalStateException.class, t::toDoubleArray);
        assertThrows(IllegalStateException.class, t::toFloatArray);
        assertThrows(IllegalStateException.class, () -> t.copyFrom(new double[6]));
        assertThrows(IllegalStateException.class, () -> t.copyTo(0, new float[6], 0, 6));
        assertThrows(IllegalStateException.class, t::fillZero);
    }

    @Test
    void closingTwiceIsHarmlessForEveryResource() {
        DType dtype = anySupportedDType();
        Case c = small();
        Fixture f = fixture(dtype, c);
        Tensor t = backend().allocate(dtype, 4);
        t.close();
        t.close();
        RnnOutputs out = f.rnn().forwardInference(f.params(), f.inputs());
        out.close();
        out.close();
        TrainingForward tf = f.rnn().forwardTraining(f.params(), f.inputs());
        InputGradients ig = f.rnn().backwardData(tf.reserve(), new OutputGradients(null, null, null));
        ig.close();
        ig.close();
        tf.close();
        tf.close();
        assertTrue(tf.reserve().isClosed());
        f.params().close();
        f.params().close();
        f.rnn().close();
        f.rnn().close();
        f.close();
        f.close();
        assertEquals(0, backend().liveBytes());
        backend().close();
        closeBackend();
    }

    /** A stack with dropout needs a seed to train: a silent "no dropout" would train another model. */
    @Test
    void trainingWithDropoutButNoSeedIsRejected() {
        Case c = Case.of(RnnSpec.lstm(3, 4).numLayers(2).dropout(0.5).build(), 3, 2);
        try (Fixture f = fixture(anySupportedDType(), c)) {
            Checks.assertThrowsMentioning(IllegalArgumentException.class,
                    () -> f.rnn().forwardTraining(f.params(), f.inputs()), "withDropoutSeed");
            try (dev.lstm4j.api.RnnOutputs out = f.rnn().forwardInference(f.params(), f.inputs())) {
                assertEquals(c.yShape()[2], out.y().dim(2), "inference needs no seed: dropout is off there");
            }
        }
    }

    @Test
    void lengthsLongerThanTAreRejected() {
        assertLengthsRejected(5, 6, 1);
    }

    @Test
    void lengthsBelowOneAreRejected() {
        assertLengthsRejected(5, 0, 1);
        assertLengthsRejected(5, -2, 1);
    }

    @Test
    void lengthsWithOneEntryPerSequenceMissingAreRejected() {
        assertLengthsRejected(5, 5);
        assertLengthsRejected(5, 5, 5, 5);
    }

    private void assertLengthsRejected(int... lengths) {
        DType dtype = anySupportedDType();
        try (Fixture f = fixture(dtype, small())) {
            RnnInputs in = f.inputs().withLengths(lengths);
            assertThrows(IllegalArgumentException.class, () -> f.rnn().forwardInference(f.params(), in));
            assertThrows(IllegalArgumentException.class, () -> f.rnn().forwardTraining(f.params(), in));
        }
    }

    @Test
    void backwardDataTwiceOnOneReserveThrowsIllegalState() {
        DType dtype = anySupportedDType();
        try (Fixture f = fixture(dtype, small());
             TrainingForward tf = f.rnn().forwardTraining(f.params(), f.inputs());
             InputGradients first = f.rnn().backwardData(tf.reserve(), new OutputGradients(null, null, null))) {
            assertTrue(!first.dx().isClosed());
            assertThrows(IllegalStateException.class,
                    () -> f.rnn().backwardData(tf.reserve(), new OutputGradients(null, null, null)).close());
        }
    }

    @Test
    void backwardWeightsBeforeBackwardDataThrowsIllegalState() {
        DType dtype = anySupportedDType();
        try (Fixture f = fixture(dtype, small());
             TrainingForward tf = f.rnn().forwardTraining(f.params(), f.inputs());
             Parameters grads = f.rnn().newParameters()) {
            assertThrows(IllegalStateException.class, () -> f.rnn().backwardWeights(tf.reserve(), grads));
        }
    }

    @Test
    void closedReserveIsRejectedWithIllegalState() {
        DType dtype = anySupportedDType();
        try (Fixture f = fixture(dtype, small());
             Parameters grads = f.rnn().newParameters()) {
            TrainingForward tf = f.rnn().forwardTraining(f.params(), f.inputs());
            tf.close();
            assertThrows(IllegalStateException.class,
                    () -> f.rnn().backwardData(tf.reserve(), new OutputGradients(null, null, null)).close());
            assertThrows(IllegalStateException.class, () -> f.rnn().backwardWeights(tf.reserve(), grads));
        }
    }

    @Test
    void gradientBufferOfAnotherStackIsRejected() {
        DType dtype = anySupportedDType();
        try (Fixture f = fixture(dtype, small());
             Rnn otherRnn = backend().rnn(RnnSpec.lstm(7, 11).build(), dtype);
             Parameters wrong = otherRnn.newParameters();
             TrainingForward tf = f.rnn().forwardTraining(f.params(), f.inputs());
             InputGradients ig = f.rnn().backwardData(tf.reserve(), new OutputGradients(null, null, null))) {
            assertTrue(!ig.dx().isClosed());
            assertThrows(IllegalArgumentException.class, () -> f.rnn().backwardWeights(tf.reserve(), wrong));
        }
    }

    /**
     * A NaN in one element of sequence 0 at step 0 makes that sequence's outputs NaN from then on (every
     * gate row reads that input); the other sequences are untouched and the backend keeps working.
     */
    @ParameterizedTest
    @EnumSource(DType.class)
    void nanInInputPropagatesToItsSequenceOnly(DType dtype) {
        assumeSupported(dtype);
        Case c = Case.of(RnnSpec.lstm(7, 13).build(), 5, 3);
        try (Fixture f = fixture(dtype, c)) {
            ReferenceForward clean = f.referenceForward();
            double[] x = f.hostX();
            x[0] = Double.NaN;   // t = 0, b = 0, feature 0
            f.x().copyFrom(x);
            HostOutputs inference = f.infer();
            Fixture.Trained trained = f.train(f.upstream(true, true, true));
            for (HostOutputs out : new HostOutputs[] {inference, trained.outputs()}) {
                assertNaNInSequenceZeroOnly("y", out.y(), clean.y(), c.seqLen(), c.batch(), 13, dtype);
                assertNaNInSequenceZeroOnly("hn", out.hn(), clean.hn(), 1, c.batch(), 13, dtype);
                assertNaNInSequenceZeroOnly("cn", out.cn(), clean.cn(), 1, c.batch(), 13, dtype);
            }
        }
        assertBackendStillWorks(dtype);
    }

    private static void assertNaNInSequenceZeroOnly(String what, double[] actual, double[] clean, int steps,
                                                    int batch, int hidden, DType dtype) {
        for (int t = 0; t < steps; t++) {
            for (int b = 0; b < batch; b++) {
                for (int j = 0; j < hidden; j++) {
                    int k = (t * batch + b) * hidden + j;
                    if (b == 0 && !Double.isNaN(actual[k])) {
                        fail(what + " of the sequence with a NaN input at [" + t + ", 0, " + j + "] is " + actual[k]
                                + ", expected NaN");
                    }
                }
            }
        }
        for (int b = 1; b < batch; b++) {
            assertClose(what + " of clean sequence " + b, HostArrays.sequence(clean, batch, hidden, b, steps),
                    HostArrays.sequence(actual, batch, hidden, b, steps), Tolerance.forward(dtype));
        }
    }

    /**
     * An infinite input saturates the gates it reaches, so the exact result is finite; a backend may
     * produce that or NaN, but never a value outside the range of h, an exception, or damage to the other
     * sequences.
     */
    @ParameterizedTest
    @EnumSource(DType.class)
    void infiniteInputGivesBoundedOrNaNOutputsAndLeavesOtherSequencesIntact(DType dtype) {
        assumeSupported(dtype);
        Case c = Case.of(RnnSpec.lstm(7, 13).build(), 5, 3);
        try (Fixture f = fixture(dtype, c)) {
            ReferenceForward clean = f.referenceForward();
            double[] x = f.hostX();
            x[0] = Double.POSITIVE_INFINITY;
            x[8] = Double.NEGATIVE_INFINITY;   // t = 0, b = 1, feature 1
            f.x().copyFrom(x);
            HostOutputs out = f.infer();
            int hidden = 13;
            for (int t = 0; t < c.seqLen(); t++) {
                for (int b = 0; b < 2; b++) {
                    for (int j = 0; j < hidden; j++) {
                        double v = out.y()[(t * c.batch() + b) * hidden + j];
                        assertTrue(Double.isNaN(v) || Math.abs(v) <= 1.0,
                                "y = o * tanh(c) must lie in [-1, 1] (or be NaN), got " + v);
                    }
                }
            }
            assertClose("y of the finite sequence", HostArrays.sequence(clean.y(), c.batch(), hidden, 2, c.seqLen()),
                    HostArrays.sequence(out.y(), c.batch(), hidden, 2, c.seqLen()), Tolerance.forward(dtype));
        }
        assertBackendStillWorks(dtype);
    }

    /** A cell this backend does not run is refused by name when the stack is made. */
    @ParameterizedTest
    @EnumSource(CellType.class)
    void unimplementedCellIsRejectedByRnnWithUnsupportedOperation(CellType cell) {
        org.junit.jupiter.api.Assumptions.assumeTrue(cellUnsupported(cell) != null,
                () -> "skipped: " + backend().name() + " runs " + cell);
        RnnSpec spec = RnnSpec.builder().cell(cell).inputSize(7).hiddenSize(13).build();
        assertThrowsMentioning(UnsupportedOperationException.class,
                () -> backend().rnn(spec, anySupportedDType()).close(), cell.name());
        assertBackendStillWorks(anySupportedDType());
    }

    @Test
    void unsupportedDTypeIsRejectedByRnnWithUnsupportedOperation() {
        EnumSet<DType> unsupported = EnumSet.complementOf(EnumSet.copyOf(backend().supportedDTypes()));
        assumeFalse(unsupported.isEmpty(), "the backend supports every dtype");
        for (DType dtype : unsupported) {
            assertThrowsMentioning(UnsupportedOperationException.class,
                    () -> backend().rnn(small().spec(), dtype).close(), dtype.name());
        }
    }

    /** 2^50 floats (4 PiB) exceed every address space, whatever the operating system's overcommit policy. */
    @Test
    void allocationTooLargeForMemoryFailsWithClearExceptionAndBackendKeepsWorking() {
        DType dtype = anySupportedDType();
        RuntimeException e = assertThrows(RuntimeException.class, () -> {
            try (Tensor t = backend().allocate(dtype, 1L << 25, 1L << 25)) {
                fail("allocated " + t.size() + " elements");
            }
        });
        assertMentionsMemory(e);
        assertEquals(0, backend().liveBytes(), "a failed allocation must not count");
        assertBackendStillWorks(dtype);
    }

    /** H = 2^28 needs 2^58 parameters: creating them must fail cleanly, not crash the JVM. */
    @Test
    void parametersTooLargeForMemoryFailWithClearExceptionAndBackendKeepsWorking() {
        DType dtype = anySupportedDType();
        RnnSpec huge = RnnSpec.lstm(1, 1 << 28).build();
        RuntimeException e = assertThrows(RuntimeException.class, () -> {
            try (Rnn rnn = backend().rnn(huge, dtype);
                 Parameters p = rnn.newParameters()) {
                fail("allocated " + p.packed().size() + " parameters");
            }
        });
        assertMentionsMemory(e);
        assertEquals(0, backend().liveBytes(), "a failed allocation must not count");
        assertBackendStillWorks(dtype);
    }

    private static void assertMentionsMemory(RuntimeException e) {
        String m = String.valueOf(e.getMessage()).toLowerCase(Locale.ROOT);
        assertTrue(m.contains("byte") || m.contains("memory"),
                () -> "the message should say how many bytes or that memory ran out: " + e);
    }

    /** A call rejected for a bad shape leaves the Rnn it was made on fully usable. */
    @Test
    void rejectedCallsLeaveTheRnnUsable() {
        DType dtype = anySupportedDType();
        Case c = small().withInitialState();
        try (Fixture f = fixture(dtype, c);
             Tensor wrongX = backend().allocate(dtype, 5, 3, 8)) {
            assertThrows(IllegalArgumentException.class,
                    () -> f.rnn().forwardInference(f.params(), RnnInputs.of(wrongX)));
            assertOutputsMatch("the same Rnn after a rejected call", f.referenceForward(), f.infer(),
                    Tolerance.forward(dtype));
        }
    }
}
