package dev.lstm4j.peer.pytorch;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDManager;
import dev.lstm4j.api.DType;
import dev.lstm4j.api.io.NdArray;
import dev.lstm4j.conformance.Checks;
import dev.lstm4j.conformance.Tolerance;
import dev.lstm4j.peer.BenchMode;
import dev.lstm4j.peer.StackShape;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** PyTorch's nn.LSTM through {@link PyTorchEngine} against the fp64 reference, on odd small sizes. */
class PyTorchEngineTest {
    private static final long SEED = 7;
    private static final Tolerance FORWARD = Tolerance.forward(DType.FLOAT32);
    private static final Tolerance GRADIENTS = Tolerance.gradients(DType.FLOAT32);

    private static PyTorchEngine engine;

    @BeforeAll
    static void loadEngine() {
        engine = new PyTorchEngine();
        engine.configureThreads(1);
    }

    static Stream<Arguments> stacks() {
        return Stream.of(
                Arguments.of("1 layer", new StackShape(5, 3, 7, 13, 1, false), true),
                Arguments.of("2 layers", new StackShape(5, 3, 7, 13, 2, false), true),
                Arguments.of("bidirectional", new StackShape(5, 3, 7, 13, 1, true), true),
                Arguments.of("2 layers bidirectional", new StackShape(4, 2, 5, 6, 2, true), true),
                Arguments.of("no biases", new StackShape(5, 3, 7, 13, 1, false), false));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("stacks")
    void inferenceOutputMatchesFp64Reference(String name, StackShape shape, boolean bias) {
        ReferenceCase c = ReferenceCase.of(shape, bias, SEED);
        try (TorchLstmRun run = engine.prepare(shape, BenchMode.INFERENCE, c.weights(), c.x(), null)) {
            run.run();
            NdArray y = run.output();
            assertArrayEquals(new long[] {shape.seqLen(), shape.batch(), shape.directions() * shape.hiddenSize()},
                    y.shape());
            Checks.assertClose(name + " y", c.forward().y(), y.toDoubles(), FORWARD);
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("stacks")
    void trainingOutputAndAllGradientsMatchFp64Reference(String name, StackShape shape, boolean bias) {
        ReferenceCase c = ReferenceCase.of(shape, bias, SEED);
        try (TorchLstmRun run = engine.prepare(shape, BenchMode.TRAIN, c.weights(), c.x(), c.dy())) {
            run.run();
            Checks.assertClose(name + " y", c.forward().y(), run.output().toDoubles(), FORWARD);
            NdArray dx = run.inputGradient();
            assertArrayEquals(c.x().shape(), dx.shape());
            Checks.assertClose(name + " dx", c.gradients().dx(), dx.toDoubles(), GRADIENTS);
            Checks.assertAllClose(name + " gradient of", c.gradients().weights(), doubles(run.parameterGradients()),
                    GRADIENTS);
        }
    }

    @Test
    void repeatedTrainingIterationsDoNotAccumulateGradients() {
        StackShape shape = new StackShape(5, 3, 7, 13, 2, true);
        ReferenceCase c = ReferenceCase.of(shape, true, SEED);
        try (TorchLstmRun run = engine.prepare(shape, BenchMode.TRAIN, c.weights(), c.x(), c.dy())) {
            for (int k = 0; k < 3; k++) {
                run.run();
            }
            Checks.assertClose("dx after 3 iterations", c.gradients().dx(), run.inputGradient().toDoubles(),
                    GRADIENTS);
            Checks.assertAllClose("gradient after 3 iterations of", c.gradients().weights(),
                    doubles(run.parameterGradients()), GRADIENTS);
        }
    }

    @Test
    void iterationsKeepNoTensorsBeyondTheLastAndCloseReleasesAll() {
        StackShape shape = new StackShape(5, 3, 7, 13, 1, true);
        ReferenceCase c = ReferenceCase.of(shape, true, SEED);
        int before = liveTensors();
        try (TorchLstmRun run = engine.prepare(shape, BenchMode.TRAIN, c.weights(), c.x(), c.dy())) {
            run.run();
            run.inputGradient();
            int afterOne = liveTensors();
            assertTrue(afterOne > before, "the count sees the run's tensors");
            for (int k = 0; k < 20; k++) {
                run.run();
            }
            run.inputGradient();
            run.parameterGradients();
            assertEquals(afterOne, liveTensors(), "live tensors after 21 iterations vs after 1");
        }
        assertEquals(before, liveTensors(), "live tensors after close");
    }

    @Test
    void weightsThatDoNotFitTheShapeAreRejectedByName() {
        StackShape shape = new StackShape(5, 3, 7, 13, 1, false);
        ReferenceCase c = ReferenceCase.of(shape, true, SEED);
        Map<String, NdArray> wrongShape = new LinkedHashMap<>(c.weights());
        wrongShape.put("weight_hh_l0", NdArray.of(new float[52 * 12], 52, 12));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> engine.prepare(shape, BenchMode.INFERENCE, wrongShape, c.x(), null));
        assertTrue(e.getMessage().contains("weight_hh_l0"), e.getMessage());

        StackShape twoLayers = new StackShape(5, 3, 7, 13, 2, false);
        e = assertThrows(IllegalArgumentException.class,
                () -> engine.prepare(twoLayers, BenchMode.INFERENCE, c.weights(), c.x(), null));
        assertTrue(e.getMessage().contains("weight_ih_l1"), e.getMessage());
    }

    @Test
    void provenanceReportsLibtorchVersionThreadsAndTheOneDnnKernel() {
        Map<String, String> p = engine.provenance();
        assertEquals("pytorch", p.get("engine"));
        assertEquals("2.7.1", p.get("libtorch"));
        assertEquals("1", p.get("threads.intraOp"));
        assertFalse(p.get("djl").isBlank());
        assertEquals("MkldnnRnnLayerBackward0", p.get("lstmKernel"));
    }

    /** Tensors held by any of DJL's PyTorch managers: all hang below the system manager. */
    private static int liveTensors() {
        try (NDManager probe = Engine.getEngine("PyTorch").newBaseManager()) {
            return probe.getParentManager().getManagedArrays().size();
        }
    }

    private static Map<String, double[]> doubles(Map<String, NdArray> arrays) {
        Map<String, double[]> out = new LinkedHashMap<>();
        arrays.forEach((k, v) -> out.put(k, v.toDoubles()));
        return out;
    }
}
