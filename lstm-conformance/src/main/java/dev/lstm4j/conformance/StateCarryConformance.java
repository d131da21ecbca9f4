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
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.stream.Stream;

import static dev.lstm4j.conformance.Checks.assertAllClose;
import static dev.lstm4j.conformance.Checks.assertClose;
import static dev.lstm4j.conformance.Checks.assertOutputsMatch;

/**
 * Carried state: a unidirectional stack run over {@code T} steps at once equals the same stack run over
 * {@code T1} steps and then over the remaining {@code T - T1} with the first call's {@code hn}/{@code cn}
 * as {@code h0}/{@code c0}; and backward through the two calls, chained through {@code dh0}/{@code dc0},
 * equals backward through the one call.
 */
public abstract class StateCarryConformance extends ConformanceSuite {
    private static final int SEQ_LEN = 9;
    private static final int SPLIT = 4;
    private static final int BATCH = 3;

    static Stream<Arguments> dtypesAndLayers() {
        return Stream.of(DType.values()).flatMap(d -> Stream.of(Arguments.of(d, 1), Arguments.of(d, 2)));
    }

    private static Case fullCase(int layers) {
        return Case.of(RnnSpec.lstm(7, 13).numLayers(layers).build(), SEQ_LEN, BATCH).withInitialState();
    }

    @ParameterizedTest(name = "{0}, {1} layer(s)")
    @MethodSource("dev.lstm4j.conformance.StateCarryConformance#dtypesAndLayers")
    void twoCallsWithCarriedStateEqualOneCall(DType dtype, int layers) {
        assumeSupported(dtype);
        Case c = fullCase(layers);
        try (Fixture f = fixture(dtype, c)) {
            HostOutputs full = f.infer();
            assertOutputsMatch("one call", f.referenceForward(), full, Tolerance.forward(dtype));
            int in = c.spec().inputSize();
            Tensor x1 = f.tensor(HostArrays.timeSlice(f.hostX(), BATCH, in, 0, SPLIT), SPLIT, BATCH, in);
            Tensor x2 = f.tensor(HostArrays.timeSlice(f.hostX(), BATCH, in, SPLIT, SEQ_LEN), SEQ_LEN - SPLIT,
                    BATCH, in);
            Rnn rnn = f.rnn();
            try (RnnOutputs o1 = rnn.forwardInference(f.params(), RnnInputs.of(x1).withInitialState(f.h0(), f.c0()));
                 RnnOutputs o2 = rnn.forwardInference(f.params(), RnnInputs.of(x2).withInitialState(o1.hn(), o1.cn()))) {
                Tolerance tol = Tolerance.forward(dtype);
                assertClose("y of both calls", full.y(), HostArrays.concatTime(o1.y().toDoubleArray(),
                        o2.y().toDoubleArray()), tol);
                assertClose("hn of the second call", full.hn(), o2.hn(), tol);
                assertClose("cn of the second call", full.cn(), o2.cn(), tol);
            }
        }
    }

    @ParameterizedTest(name = "{0}, {1} layer(s)")
    @MethodSource("dev.lstm4j.conformance.StateCarryConformance#dtypesAndLayers")
    void oneStepPerCallWithCarriedStateEqualsOneCall(DType dtype, int layers) {
        assumeSupported(dtype);
        Case c = fullCase(layers);
        try (Fixture f = fixture(dtype, c)) {
            HostOutputs full = f.infer();
            int in = c.spec().inputSize();
            int out = c.spec().outputSize();
            double[] y = new double[c.ySize()];
            RnnOutputs previous = null;
            try {
                for (int t = 0; t < SEQ_LEN; t++) {
                    Tensor xt = f.tensor(HostArrays.timeSlice(f.hostX(), BATCH, in, t, t + 1), 1, BATCH, in);
                    RnnInputs step = RnnInputs.of(xt).withInitialState(previous == null ? f.h0() : previous.hn(),
                            previous == null ? f.c0() : previous.cn());
                    RnnOutputs next = f.rnn().forwardInference(f.params(), step);
                    if (previous != null) {
                        previous.close();
                    }
                    previous = next;
                    next.y().copyTo(0, y, t * BATCH * out, BATCH * out);
                }
                Tolerance tol = Tolerance.forward(dtype);
                assertClose("y of the single-step calls", full.y(), y, tol);
                assertClose("hn of the last call", full.hn(), previous.hn(), tol);
                assertClose("cn of the last call", full.cn(), previous.cn(), tol);
            } finally {
                if (previous != null) {
                    previous.close();
                }
            }
        }
    }

    /** Truncated BPTT done right: dh0/dc0 of the later call are dhn/dcn of the earlier one. */
    @ParameterizedTest(name = "{0}, {1} layer(s)")
    @MethodSource("dev.lstm4j.conformance.StateCarryConformance#dtypesAndLayers")
    void backwardChainedThroughDh0AndDc0EqualsBackwardOfOneCall(DType dtype, int layers) {
        assumeSupported(dtype);
        Case c = fullCase(layers);
        try (Fixture f = fixture(dtype, c)) {
            Upstream u = f.upstream(true, true, true);
            HostGradients full = f.train(u).gradients();
            Checks.assertGradientsMatch("one call", f.referenceGradients(u), full, Tolerance.gradients(dtype));
            int in = c.spec().inputSize();
            int out = c.spec().outputSize();
            Tensor x1 = f.tensor(HostArrays.timeSlice(f.hostX(), BATCH, in, 0, SPLIT), SPLIT, BATCH, in);
            Tensor x2 = f.tensor(HostArrays.timeSlice(f.hostX(), BATCH, in, SPLIT, SEQ_LEN), SEQ_LEN - SPLIT,
                    BATCH, in);
            Tensor dy1 = f.tensor(HostArrays.timeSlice(u.dy(), BATCH, out, 0, SPLIT), SPLIT, BATCH, out);
            Tensor dy2 = f.tensor(HostArrays.timeSlice(u.dy(), BATCH, out, SPLIT, SEQ_LEN), SEQ_LEN - SPLIT,
                    BATCH, out);
            Tensor dhn = f.tensor(u.dhn(), c.hiddenShape());
            Tensor dcn = f.tensor(u.dcn(), c.stateShape());
            Rnn rnn = f.rnn();
            try (TrainingForward t1 = rnn.forwardTraining(f.params(),
                         RnnInputs.of(x1).withInitialState(f.h0(), f.c0()));
                 TrainingForward t2 = rnn.forwardTraining(f.params(),
                         RnnInputs.of(x2).withInitialState(t1.outputs().hn(), t1.outputs().cn()));
                 Parameters grads = rnn.newParameters();
                 InputGradients g2 = rnn.backwardData(t2.reserve(), new OutputGradients(dy2, dhn, dcn));
                 InputGradients g1 = rnn.backwardData(t1.reserve(), new OutputGradients(dy1, g2.dh0(), g2.dc0()))) {
                rnn.backwardWeights(t2.reserve(), grads);
                rnn.backwardWeights(t1.reserve(), grads);
                Tolerance tol = Tolerance.gradients(dtype);
                assertClose("dx of both calls", full.dx(), HostArrays.concatTime(g1.dx().toDoubleArray(),
                        g2.dx().toDoubleArray()), tol);
                assertClose("dh0 of the first call", full.dh0(), g1.dh0(), tol);
                assertClose("dc0 of the first call", full.dc0(), g1.dc0(), tol);
                assertAllClose("gradients accumulated over both calls", full.weights(), Fixture.read(grads), tol);
            }
        }
    }
}
