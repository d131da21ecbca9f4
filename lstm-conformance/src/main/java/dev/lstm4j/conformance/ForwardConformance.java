package dev.lstm4j.conformance;

import dev.lstm4j.api.CellType;
import dev.lstm4j.api.DType;
import dev.lstm4j.api.Parameters;
import dev.lstm4j.api.RnnInputs;
import dev.lstm4j.api.RnnSpec;
import dev.lstm4j.api.Tensor;
import dev.lstm4j.api.TrainingForward;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import static dev.lstm4j.conformance.Checks.assertClose;
import static dev.lstm4j.conformance.Checks.assertOutputsMatch;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Forward outputs {@code y}, {@code hn}, {@code cn} of {@code forwardInference} and {@code forwardTraining}
 * against {@link Fp64Reference}, within {@link Tolerance#forward}.
 */
public abstract class ForwardConformance extends ConformanceSuite {

    private void assertForwardMatchesReference(DType dtype, Case c) {
        assumeSupported(dtype);
        try (Fixture f = fixture(dtype, c)) {
            ReferenceForward expected = f.referenceForward();
            Tolerance tol = Tolerance.forward(dtype);
            assertOutputsMatch("forwardInference", expected, f.infer(), tol);
            try (TrainingForward tf = f.rnn().forwardTraining(f.params(), f.inputs())) {
                assertOutputsMatch("forwardTraining", expected, HostOutputs.of(tf.outputs()), tol);
            }
        }
    }

    @ParameterizedTest
    @EnumSource(DType.class)
    void oddSizesMatchReference(DType dtype) {
        assertForwardMatchesReference(dtype, Case.of(RnnSpec.lstm(7, 13).build(), 5, 3));
    }

    /** Sizes past a few SIMD widths with odd remainders, to reach vectorised loops and their scalar tails. */
    @ParameterizedTest
    @EnumSource(DType.class)
    void widerLayerWithOddTailsMatchesReference(DType dtype) {
        assertForwardMatchesReference(dtype, Case.of(RnnSpec.lstm(33, 67).build(), 7, 5).withInitialState());
    }

    @ParameterizedTest
    @EnumSource(DType.class)
    void batchOfOneMatchesReference(DType dtype) {
        assertForwardMatchesReference(dtype, Case.of(RnnSpec.lstm(7, 13).build(), 6, 1));
    }

    @ParameterizedTest
    @EnumSource(DType.class)
    void singleStepMatchesReference(DType dtype) {
        assertForwardMatchesReference(dtype, Case.of(RnnSpec.lstm(7, 13).build(), 1, 4).withInitialState());
    }

    @ParameterizedTest
    @EnumSource(DType.class)
    void singleStepBatchOfOneMatchesReference(DType dtype) {
        assertForwardMatchesReference(dtype, Case.of(RnnSpec.lstm(1, 1).build(), 1, 1).withInitialState());
    }

    @ParameterizedTest
    @EnumSource(DType.class)
    void sequenceOf200StepsMatchesReference(DType dtype) {
        assertForwardMatchesReference(dtype, Case.of(RnnSpec.lstm(7, 13).build(), 200, 2).withInitialState());
    }

    @ParameterizedTest
    @EnumSource(DType.class)
    void twoLayersMatchReference(DType dtype) {
        assertForwardMatchesReference(dtype, Case.of(RnnSpec.lstm(7, 13).numLayers(2).build(), 5, 3));
    }

    @ParameterizedTest
    @EnumSource(DType.class)
    void threeLayersMatchReference(DType dtype) {
        assertForwardMatchesReference(dtype,
                Case.of(RnnSpec.lstm(7, 13).numLayers(3).build(), 5, 3).withInitialState());
    }

    @ParameterizedTest
    @EnumSource(DType.class)
    void bidirectionalMatchesReference(DType dtype) {
        assertForwardMatchesReference(dtype, Case.of(RnnSpec.lstm(7, 13).bidirectional(true).build(), 5, 3));
    }

    @ParameterizedTest
    @EnumSource(DType.class)
    void bidirectionalThreeLayersWithInitialStateMatchReference(DType dtype) {
        assertForwardMatchesReference(dtype,
                Case.of(RnnSpec.lstm(7, 13).numLayers(3).bidirectional(true).build(), 5, 3).withInitialState());
    }

    /**
     * The clip binds on some units (initial cell states are drawn from [-1, 1]). 0.25 is exact in float, which
     * matters to backends that hold the bounds in float (cuDNN does: 0.3 shifts its FLOAT64 results by about 1e-8).
     */
    @ParameterizedTest
    @EnumSource(DType.class)
    void cellClipMatchesReference(DType dtype) {
        assertForwardMatchesReference(dtype,
                Case.of(RnnSpec.lstm(7, 13).numLayers(2).bidirectional(true).cellClip(0.25).build(), 5, 3)
                        .withInitialState().withLengths(5, 2, 4));
    }

    /** The peephole LSTM: two bidirectional layers, ragged lengths, given initial state, with and without clip. */
    @ParameterizedTest
    @EnumSource(DType.class)
    void peepholeMatchesReference(DType dtype) {
        assumeCell(CellType.PEEPHOLE_LSTM);
        RnnSpec.Builder peephole = RnnSpec.builder().cell(CellType.PEEPHOLE_LSTM).inputSize(7).hiddenSize(13)
                .numLayers(2).bidirectional(true);
        assertForwardMatchesReference(dtype, Case.of(peephole.build(), 5, 3).withInitialState().withLengths(5, 2, 4));
        assertForwardMatchesReference(dtype,
                Case.of(peephole.cellClip(0.25).build(), 5, 3).withInitialState().withLengths(5, 2, 4));
    }

    /** PyTorch's GRU: two bidirectional layers, ragged lengths, given h0; and batch-first without bias. */
    @ParameterizedTest
    @EnumSource(DType.class)
    void gruMatchesReference(DType dtype) {
        assumeCell(CellType.GRU);
        RnnSpec.Builder gru = RnnSpec.builder().cell(CellType.GRU).inputSize(7).hiddenSize(13).numLayers(2)
                .bidirectional(true);
        assertForwardMatchesReference(dtype,
                Case.of(gru.build(), 5, 3).withInitialState(true, false).withLengths(5, 2, 4));
        assertForwardMatchesReference(dtype, Case.of(gru.batchFirst(true).bias(false).build(), 4, 2));
    }

    /** LSTMP (PyTorch's proj_size): two bidirectional layers, ragged lengths, h0 of P features; with clip and peepholes. */
    @ParameterizedTest
    @EnumSource(DType.class)
    void projectionMatchesReference(DType dtype) {
        assumeProjection();
        RnnSpec.Builder projected = RnnSpec.lstm(7, 13).projSize(5).numLayers(2).bidirectional(true);
        assertForwardMatchesReference(dtype,
                Case.of(projected.build(), 5, 3).withInitialState().withLengths(5, 2, 4));
        assumeCell(CellType.PEEPHOLE_LSTM);
        assertForwardMatchesReference(dtype, Case.of(projected.cell(CellType.PEEPHOLE_LSTM).cellClip(0.25).build(),
                4, 2).withInitialState().withLengths(2, 4));
    }

    @ParameterizedTest
    @EnumSource(DType.class)
    void noBiasMatchesReference(DType dtype) {
        assertForwardMatchesReference(dtype,
                Case.of(RnnSpec.lstm(7, 13).numLayers(2).bidirectional(true).bias(false).build(), 5, 3)
                        .withInitialState());
    }

    @ParameterizedTest
    @EnumSource(DType.class)
    void batchFirstMatchesReference(DType dtype) {
        assertForwardMatchesReference(dtype,
                Case.of(RnnSpec.lstm(7, 13).numLayers(2).bidirectional(true).batchFirst(true).build(), 5, 3)
                        .withInitialState());
    }

    @ParameterizedTest
    @EnumSource(DType.class)
    void givenInitialStateMatchesReference(DType dtype) {
        assertForwardMatchesReference(dtype,
                Case.of(RnnSpec.lstm(7, 13).numLayers(2).build(), 5, 3).withInitialState());
    }

    @ParameterizedTest
    @EnumSource(DType.class)
    void initialHiddenStateAloneMatchesReference(DType dtype) {
        assertForwardMatchesReference(dtype,
                Case.of(RnnSpec.lstm(7, 13).numLayers(2).build(), 5, 3).withInitialState(true, false));
    }

    @ParameterizedTest
    @EnumSource(DType.class)
    void initialCellStateAloneMatchesReference(DType dtype) {
        assertForwardMatchesReference(dtype,
                Case.of(RnnSpec.lstm(7, 13).numLayers(2).build(), 5, 3).withInitialState(false, true));
    }

    /**
     * Both forward passes compute the same function; they may use different kernels (cuDNN does), so
     * they must agree within the forward tolerance rather than bit for bit.
     */
    @ParameterizedTest
    @EnumSource(DType.class)
    void inferenceAndTrainingForwardAgree(DType dtype) {
        assumeSupported(dtype);
        Case c = Case.of(RnnSpec.lstm(7, 13).numLayers(2).bidirectional(true).build(), 9, 4).withInitialState();
        try (Fixture f = fixture(dtype, c)) {
            HostOutputs inference = f.infer();
            try (TrainingForward tf = f.rnn().forwardTraining(f.params(), f.inputs())) {
                HostOutputs training = HostOutputs.of(tf.outputs());
                Tolerance tol = Tolerance.forward(dtype);
                assertClose("y", inference.y(), training.y(), tol);
                assertClose("hn", inference.hn(), training.hn(), tol);
                assertClose("cn", inference.cn(), training.cn(), tol);
            }
        }
    }

    /** Cached workspaces must follow the shape of each call: long, short, then long again on one Rnn. */
    @ParameterizedTest
    @EnumSource(DType.class)
    void oneRnnServesCallsOfDifferentShapes(DType dtype) {
        assumeSupported(dtype);
        RnnSpec spec = RnnSpec.lstm(7, 13).numLayers(2).bidirectional(true).build();
        Case big = Case.of(spec, 6, 4).withInitialState();
        Case small = Case.of(spec, 2, 7);
        try (Fixture f = fixture(dtype, big)) {
            Fp64Reference ref = f.reference();
            Tolerance tol = Tolerance.forward(dtype);
            assertOutputsMatch("first call " + big, ref.forward(f.referenceInputs()), f.infer(), tol);

            double[] smallX = f.random(small.xSize(), 100);
            Tensor x = f.tensor(smallX, small.xShape());
            assertOutputsMatch("second call, smaller", ref.forward(ReferenceInputs.of(2, 7, smallX)),
                    f.infer(RnnInputs.of(x), small), tol);

            assertOutputsMatch("third call, as the first", ref.forward(f.referenceInputs()), f.infer(), tol);
        }
    }

    /** Parameters a backend creates carry PyTorch's names in {@code state_dict} order. */
    @ParameterizedTest
    @EnumSource(DType.class)
    void parametersAreNamedInPyTorchOrder(DType dtype) {
        assumeSupported(dtype);
        RnnSpec spec = RnnSpec.lstm(7, 13).numLayers(2).bidirectional(true).build();
        try (Fixture f = fixture(dtype, Case.of(spec, 1, 1));
             Parameters fresh = f.rnn().newParameters()) {
            assertEquals(ReferenceWeights.names(spec), fresh.names());
            assertEquals(dtype, fresh.dtype());
            for (String name : fresh.names()) {
                assertEquals(ReferenceWeights.size(spec, name), fresh.readDoubles(name).length, name);
                assertEquals(0.0, HostArrays.maxAbs(fresh.readDoubles(name)), "new parameters are zero: " + name);
            }
        }
    }
}
