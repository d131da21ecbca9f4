package dev.lstm4j.conformance;

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

import static dev.lstm4j.conformance.Checks.assertOutputsMatch;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@link dev.lstm4j.api.Backend#liveBytes()} accounting: every allocation is counted while open and
 * released on close, repeated calls do not grow it, failed calls leave nothing behind, and closing the
 * Rnn releases its workspaces.
 */
public abstract class MemoryConformance extends ConformanceSuite {
    private static final int REPEATS = 5;

    private static Case stack() {
        return Case.of(RnnSpec.lstm(7, 13).numLayers(2).bidirectional(true).build(), 6, 3).withInitialState();
    }

    @ParameterizedTest
    @EnumSource(DType.class)
    void reshapeSharesMemoryAndIsClosedWithItsOwner(DType dtype) {
        assumeSupported(dtype);
        long before = backend().liveBytes();
        Tensor owner = backend().tensor(dtype, new double[] {1, 2, 3, 4, 5, 6}, 3, 1, 2);
        long withOwner = backend().liveBytes();
        Tensor matrix = owner.reshape(3, 2);
        assertEquals(withOwner, backend().liveBytes(), "a view must not allocate");
        assertArrayEquals(new long[] {3, 2}, matrix.shape());
        matrix.copyFrom(4, new double[] {50}, 0, 1);
        assertArrayEquals(new double[] {1, 2, 3, 4, 50, 6}, owner.toDoubleArray(), "a write through the view");
        Tensor flat = matrix.reshape(6);
        flat.close();
        assertTrue(flat.isClosed());
        assertEquals(50, matrix.toDoubleArray()[4], "closing a view of a view frees nothing");
        assertEquals(withOwner, backend().liveBytes());
        owner.close();
        assertEquals(before, backend().liveBytes());
        assertTrue(matrix.isClosed(), "a view is closed with its owner");
        assertThrows(IllegalStateException.class, matrix::toDoubleArray);
        assertThrows(IllegalStateException.class, () -> matrix.reshape(6));
    }

    @Test
    void reshapeToAnotherNumberOfElementsIsRejected() {
        try (Tensor t = backend().allocate(anySupportedDType(), 2, 3)) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> t.reshape(7));
            assertTrue(e.getMessage().contains("6") && e.getMessage().contains("[7]"), e.getMessage());
            assertThrows(IllegalArgumentException.class, () -> t.reshape(-2, -3));
        }
    }

    @ParameterizedTest
    @EnumSource(DType.class)
    void tensorBytesAreCountedWhileOpenAndReleasedOnClose(DType dtype) {
        assumeSupported(dtype);
        long before = backend().liveBytes();
        Tensor t = backend().allocate(dtype, 3, 5, 7);
        try {
            assertTrue(backend().liveBytes() >= before + 105L * dtype.byteSize(),
                    "liveBytes " + backend().liveBytes() + " does not count a tensor of 105 elements");
        } finally {
            t.close();
        }
        assertEquals(before, backend().liveBytes());
    }

    @ParameterizedTest
    @EnumSource(DType.class)
    void emptyTensorsHaveTheirShapeAreCountedAndTakeWrites(DType dtype) {
        assumeSupported(dtype);
        long before = backend().liveBytes();
        double[] values = {1.5, -2, 0.25, 3, -0.5, 7};
        try (Tensor t = backend().empty(dtype, 2, 3)) {
            assertEquals(dtype, t.dtype());
            assertArrayEquals(new long[] {2, 3}, t.shape());
            assertTrue(backend().liveBytes() >= before + 6L * dtype.byteSize(),
                    "liveBytes " + backend().liveBytes() + " does not count an empty tensor of 6 elements");
            t.copyFrom(values);
            assertArrayEquals(values, t.toDoubleArray());
        }
        assertEquals(before, backend().liveBytes());
    }

    @ParameterizedTest
    @EnumSource(DType.class)
    void repeatedInferenceDoesNotGrowLiveBytes(DType dtype) {
        assumeSupported(dtype);
        try (Fixture f = fixture(dtype, stack())) {
            long setup = backend().liveBytes();
            long outputBytes = (long) (f.testCase().ySize() + 2 * f.testCase().stateSize()) * dtype.byteSize();
            try (RnnOutputs out = f.rnn().forwardInference(f.params(), f.inputs())) {
                assertEquals(f.testCase().ySize(), out.y().size());
                assertTrue(backend().liveBytes() >= setup + outputBytes,
                        "liveBytes must count the outputs while they are open");
            }
            long steady = backend().liveBytes();
            assertTrue(steady >= setup);
            for (int k = 0; k < REPEATS; k++) {
                f.infer();
                assertEquals(steady, backend().liveBytes(), "live bytes after inference call " + (k + 2));
            }
        }
        assertEquals(0, backend().liveBytes(), "after closing outputs, inputs, parameters and the Rnn");
    }

    @ParameterizedTest
    @EnumSource(DType.class)
    void repeatedTrainingStepsDoNotGrowLiveBytes(DType dtype) {
        assumeSupported(dtype);
        try (Fixture f = fixture(dtype, stack())) {
            Upstream u = f.upstream(true, true, true);
            try (TrainingForward tf = f.rnn().forwardTraining(f.params(), f.inputs())) {
                assertTrue(tf.reserve().bytes() > 0, "a training reserve holds the gate activations");
                assertTrue(backend().liveBytes() >= tf.reserve().bytes(), "liveBytes must count the reserve");
            }
            f.train(u);
            long steady = backend().liveBytes();
            for (int k = 0; k < REPEATS; k++) {
                f.train(u);
                assertEquals(steady, backend().liveBytes(), "live bytes after training step " + (k + 2));
            }
        }
        assertEquals(0, backend().liveBytes(), "after closing every result, inputs, parameters and the Rnn");
    }

    /** Calls rejected at any stage (before the forward, at backward, at allocation) keep nothing. */
    @Test
    void failedCallsLeaveNoLiveBytesBehind() {
        DType dtype = anySupportedDType();
        Case c = stack();
        try (Fixture f = fixture(dtype, c);
             Tensor wrongH0 = backend().allocate(dtype, 4, 3, 12);
             Tensor wrongDy = backend().allocate(dtype, 6, 3, 13);
             Rnn other = backend().rnn(RnnSpec.lstm(7, 11).build(), dtype);
             Parameters wrongGrads = other.newParameters()) {
            Upstream u = f.upstream(true, true, true);
            f.infer();
            f.train(u);
            long steady = backend().liveBytes();
            Rnn rnn = f.rnn();

            assertThrows(IllegalArgumentException.class, () -> rnn.forwardInference(f.params(),
                    RnnInputs.of(f.x()).withInitialState(wrongH0, null)));
            assertEquals(steady, backend().liveBytes(), "after a forward rejected for its h0");
            assertThrows(IllegalArgumentException.class, () -> rnn.forwardTraining(f.params(),
                    f.inputs().withLengths(1, 2, 7)));
            assertEquals(steady, backend().liveBytes(), "after a training forward rejected for its lengths");

            try (TrainingForward tf = rnn.forwardTraining(f.params(), f.inputs())) {
                assertThrows(IllegalArgumentException.class,
                        () -> rnn.backwardData(tf.reserve(), OutputGradients.ofOutput(wrongDy)));
            }
            assertEquals(steady, backend().liveBytes(), "after a backwardData rejected for its dy");

            try (TrainingForward tf = rnn.forwardTraining(f.params(), f.inputs());
                 InputGradients ig = rnn.backwardData(tf.reserve(), new OutputGradients(null, null, null))) {
                assertEquals(c.xSize(), ig.dx().size());
                assertThrows(IllegalArgumentException.class, () -> rnn.backwardWeights(tf.reserve(), wrongGrads));
                assertThrows(IllegalStateException.class,
                        () -> rnn.backwardData(tf.reserve(), new OutputGradients(null, null, null)).close());
            }
            assertEquals(steady, backend().liveBytes(), "after rejected backwardWeights and a second backwardData");

            assertThrows(RuntimeException.class, () -> backend().allocate(dtype, 1L << 25, 1L << 25).close());
            assertEquals(steady, backend().liveBytes(), "after an allocation too large for memory");
        }
        assertEquals(0, backend().liveBytes());
    }

    /**
     * Closing the Rnn releases whatever it cached during calls; parameters it created stay valid and
     * serve a new Rnn of the same stack.
     */
    @ParameterizedTest
    @EnumSource(DType.class)
    void closingRnnReleasesItsWorkspacesAndKeepsItsParameters(DType dtype) {
        assumeSupported(dtype);
        Case c = stack();
        try (Fixture f = fixture(dtype, c)) {
            ReferenceForward expected = f.referenceForward();
            long beforeCalls = backend().liveBytes();
            f.infer();
            f.train(f.upstream(true, true, true));
            f.rnn().close();
            assertTrue(backend().liveBytes() <= beforeCalls, "closing the Rnn must release what it cached: "
                    + backend().liveBytes() + " live bytes, " + beforeCalls + " before the calls");
            try (Rnn again = backend().rnn(c.spec(), dtype);
                 RnnOutputs out = again.forwardInference(f.params(), f.inputs())) {
                assertOutputsMatch("a new Rnn with the old parameters", expected, HostOutputs.of(out),
                        Tolerance.forward(dtype));
            }
        }
        assertEquals(0, backend().liveBytes());
    }

    /** Tensors stay valid after their backend is closed, and are freed (and uncounted) when closed. */
    @Test
    void closingBackendKeepsHandedOutTensorsValid() {
        DType dtype = anySupportedDType();
        double[] values = {1, 2, 3, 4, 5, 6};
        Tensor t = backend().tensor(dtype, values, 2, 3);
        try {
            closeBackend();
            assertArrayEquals(values, t.toDoubleArray());
            assertTrue(backend().liveBytes() >= 6L * dtype.byteSize());
        } finally {
            t.close();
        }
        assertEquals(0, backend().liveBytes());
    }
}
